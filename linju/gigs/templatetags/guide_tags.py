"""`{% guide_of gig as note %}`: the wage guide beside a gig, for `gigs/guide_note.html` (the one
comparison, linju/gigs/wage_guide.py)."""

from django import template

from linju.gigs.wage_guide import guide_for

register = template.Library()


@register.simple_tag
def guide_of(gig):
    return guide_for(gig) if gig is not None else None
