"""A gig's pay and days as people say them, for the templates (the selectors' words)."""

from django import template
from django.utils import timezone

from linju.gigs.selectors import days_words, is_over, pay_words

register = template.Library()


@register.filter
def pay(gig) -> str:
    return pay_words(gig)


@register.filter
def days(gig) -> str:
    return days_words(gig)


@register.filter
def over(gig) -> bool:
    """Whether the gig's hours are over now (the bureau's local time): staff lists mark it."""
    return is_over(gig, timezone.localtime())
