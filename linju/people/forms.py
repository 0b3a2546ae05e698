from django import forms
from django.utils.translation import gettext_lazy as _

from linju.core.widgets import PhoneInput


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, pinyin initials (zkm), last 4 ID digits or phone"),
                "autocomplete": "off",
            }
        ),
    )
    town = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)


class ResidentRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=24)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False, widget=PhoneInput())
    village_code = forms.ChoiceField(label=_("Village"))
    household_number = forms.CharField(label=_("Household number"), max_length=20, required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [(v.code, f"{v.town.name} · {v.name}") for v in villages]
