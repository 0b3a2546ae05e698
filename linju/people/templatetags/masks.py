"""A name masked in a template as everywhere else (`mask_name`): 刘代办 → 刘*办."""

from django import template

from linju.people.masking import mask_name

register = template.Library()


@register.filter(name="masked_name")
def masked_name(name: str) -> str:
    return mask_name(str(name or ""))
