from django import forms
from django.utils.translation import gettext_lazy as _

from linju.core.widgets import PhoneInput

from .models import ResidentFacts

NUMBER_WORDS = {
    "invalid": _("Write a whole number, in digits."),
    "min_value": _("This number cannot be less than %(limit_value)s."),
    "max_value": _("This number cannot be more than %(limit_value)s."),
}

YES_NO = [("", _("not sure")), ("yes", _("yes")), ("no", _("no"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )


class SelfCheckForm(forms.Form):
    age = forms.IntegerField(label=_("Your age"), min_value=0, max_value=120)
    employment_status = forms.ChoiceField(
        label=_("Your work now"),
        choices=[("", _("not sure"))] + list(ResidentFacts.Employment.choices),
        required=False,
    )
    job_loss_cause = forms.ChoiceField(
        label=_("If you lost your job: why"),
        choices=[("", _("not sure"))] + list(ResidentFacts.LossCause.choices),
        required=False,
    )
    months_since_job_loss = forms.IntegerField(
        label=_("Months since you lost your job"), min_value=0, max_value=600, required=False
    )
    registered_unemployed = _yes_no(_("Registered as unemployed?"))
    unemployment_contribution_months = forms.IntegerField(
        label=_("Months you paid unemployment insurance"), min_value=0, max_value=600, required=False
    )
    pension_insured = _yes_no(_("In a pension insurance?"))
    pension_contribution_months = forms.IntegerField(
        label=_("Months you paid pension insurance"), min_value=0, max_value=800, required=False
    )
    receives_pension = _yes_no(_("Already receiving a pension?"))
    medical_insured = _yes_no(_("In a medical insurance?"))
    household_size = forms.IntegerField(
        label=_("People in your household"), min_value=1, max_value=30, required=False
    )
    income_per_capita = forms.IntegerField(
        label=_("Household income per person a month (yuan)"), min_value=0, max_value=1000000, required=False
    )
    medical_expenses_12m = forms.IntegerField(
        label=_("Medical costs in the last 12 months (yuan)"), min_value=0, max_value=10000000, required=False
    )
    subsistence_allowance = _yes_no(_("Receiving the subsistence allowance (低保)?"))
    hardship_recently = _yes_no(_("A sudden hardship in the last 3 months?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # each number said in plain words of our own, never Django's "ensure this value …"
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages |= NUMBER_WORDS
        self.fields["age"].error_messages |= {
            "required": _("Write your age in years."),
            "min_value": _("Your age cannot be less than 0."),
            "max_value": _("Your age cannot be more than 120."),
        }


class SelfCheckTextForm(forms.Form):
    """Send the items the self-check found to one's own phone: the phone, the town (for the station
    to name), the items' codes (at most a dozen) and the steps shown with them."""

    phone = forms.CharField(label=_("Your mobile phone"), max_length=20, widget=PhoneInput())
    town = forms.CharField(max_length=12)
    items = forms.CharField(max_length=200)
    steps = forms.CharField(max_length=200, required=False)  # "UI-002:3,…": the steps the page showed

    def clean_steps(self) -> list[str]:
        return [key for key in self.cleaned_data["steps"].split(",") if key][:24]

    def clean_items(self) -> list[str]:
        codes = [c for c in self.cleaned_data["items"].split(",") if c]
        if not codes or len(codes) > 12:
            raise forms.ValidationError(_("Check first, then send what was found."))
        return codes
