"""A gig's pay and days as people say them, for the templates (the selectors' words)."""

from django import template

from linju.gigs.selectors import days_words, pay_words

register = template.Library()


@register.filter
def pay(gig) -> str:
    return pay_words(gig)


@register.filter
def days(gig) -> str:
    return days_words(gig)
