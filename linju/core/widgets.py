"""Form widgets every app shares. A phone is typed on a phone: the digit keypad (type=tel,
inputmode=numeric), wherever a phone is asked for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# a phone field's refusals in words of our own, never Django's "ensure this value …"
PHONE_WORDS = {
    "required": _("Write your mobile phone number."),
    "max_length": _("A mobile phone number has 11 digits: check the number."),
}


class PhoneInput(forms.TextInput):
    input_type = "tel"

    def __init__(self, attrs: dict | None = None):
        super().__init__({"inputmode": "numeric", "autocomplete": "tel"} | (attrs or {}))
