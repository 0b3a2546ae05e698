from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PlanRun
from .selectors import MAX_NEW_STATIONS


class PlanForm(forms.Form):
    town = forms.ChoiceField(label=_("Town"), required=False)
    budget = forms.IntegerField(
        label=_("Market places with a regular booth"), min_value=0, max_value=500, initial=3
    )
    objective = forms.ChoiceField(label=_("Aim"), choices=PlanRun.Objective.choices, initial="median")
    within = forms.IntegerField(
        label=_("Within how many minutes (when the aim is a set time)"),
        min_value=1,
        max_value=600,
        initial=30,
    )
    town_minimum = forms.IntegerField(
        label=_("At least this many in each town"), min_value=0, max_value=20, initial=0
    )
    method = forms.ChoiceField(label=_("How to work it out"), choices=PlanRun.Method.choices, initial="auto")
    fixed_in = forms.MultipleChoiceField(label=_("Always keep"), required=False)
    fixed_out = forms.MultipleChoiceField(label=_("Never choose"), required=False)

    def __init__(self, *args, towns=(), markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", _("All my towns")), *[(t.code, t.name) for t in towns]]
        choices = [(m.code, f"{m.town.name} · {m.name}") for m in markets]
        self.fields["fixed_in"].choices = choices
        self.fields["fixed_out"].choices = choices


class JobServiceForm(forms.Form):
    """The 15-minute job-service circle: which towns, and how many new 零工驿站 to place."""

    town = forms.ChoiceField(label=_("Town"), required=False)
    count = forms.IntegerField(
        label=_("New gig stations"), min_value=1, max_value=MAX_NEW_STATIONS, initial=3, required=False
    )

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", _("All my towns")), *[(t.code, t.name) for t in towns]]
