from django import forms
from django.utils.translation import gettext_lazy as _

from linju.core.widgets import PhoneInput

from .models import Authorisation, ConsentPurpose, ConsentRecord


class AuthorisationForm(forms.Form):
    """At a counter: the person authorises an agent (family, or the village's helper)."""

    agent_kind = forms.ChoiceField(label=_("agent is"), choices=Authorisation.AgentKind.choices[:2])
    helper_id = forms.TypedChoiceField(label=_("village helper (代办员)"), coerce=int, required=False)
    agent_name = forms.CharField(label=_("Agent's name"), max_length=40, required=False)
    agent_id_number = forms.CharField(label=_("Agent's ID number"), max_length=24, required=False)
    relation = forms.CharField(label=_("relationship"), max_length=40, required=False)
    agent_phone = forms.CharField(
        label=_("Agent's phone"), max_length=24, required=False, widget=PhoneInput()
    )
    all_items = forms.BooleanField(label=_("all items"), required=False)
    item_codes = forms.CharField(label=_("Item codes, separated by spaces"), max_length=500, required=False)
    valid_until = forms.DateField(
        label=_("Until (empty: until the person withdraws it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    evidence = forms.FileField(
        label=_("Photo of the signed form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )

    def __init__(self, *args, helpers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper_id"].choices = [("", "—"), *((h.pk, h.name) for h in helpers)]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=ConsentPurpose.choices)
    decision = forms.ChoiceField(label=_("answer"), choices=ConsentRecord.Decision.choices)
    method = forms.ChoiceField(label=_("collected"), choices=ConsentRecord.Method.choices[:3])
