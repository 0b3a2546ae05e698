from django import forms
from django.utils.translation import gettext_lazy as _

from .vocabulary import SKILLS, Education, Shift


class SeekerForm(forms.Form):
    resident = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        required=False,
        help_text=_("The person must be registered in one of your villages."),
    )
    education = forms.TypedChoiceField(label=_("Education"), choices=Education.CHOICES, coerce=int)
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=[(c, n) for c, (n, _g) in SKILLS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_commute_minutes = forms.IntegerField(
        label=_("Longest commute, one way (minutes)"), min_value=5, max_value=240, initial=60
    )
    shifts = forms.MultipleChoiceField(
        label=_("Shifts they can work"), choices=Shift.CHOICES, widget=forms.CheckboxSelectMultiple
    )
    wage_wanted = forms.IntegerField(label=_("Wanted monthly wage (yuan)"), min_value=1, max_value=100000)
    accepts_heavy_manual = forms.BooleanField(label=_("Heavy manual work is acceptable"), required=False)
    wants_training = forms.BooleanField(label=_("Wants to learn a skill"), required=False)
    constraints = forms.CharField(
        label=_("Constraints, in their own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("resident") and not data.get("id_number"):
            self.add_error(
                "id_number", _("Enter the person's ID number, or open the form from their record.")
            )
        return data


class StepForm(forms.Form):
    status = forms.CharField(max_length=12)
    reason = forms.CharField(required=False, max_length=300)
