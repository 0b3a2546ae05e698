"""`{% guide_of gig as note %}`: the wage guide beside a gig, for `gigs/guide_note.html`;
`{% below_guide_of gig %}`: the cadre's plain sentence when it pays below; `note|guide_range`: the
guide's low to high figure (the one comparison, linju/gigs/wage_guide.py)."""

from django import template

from linju.gigs.wage_guide import below_guide_words, guide_for, guide_range_words

register = template.Library()


@register.simple_tag
def guide_of(gig):
    return guide_for(gig) if gig is not None else None


@register.simple_tag
def below_guide_of(gig):
    return below_guide_words(gig) if gig is not None else ""


@register.filter
def guide_range(note):
    return guide_range_words(note) if note is not None else ""
