from django import forms
from django.utils.translation import gettext_lazy as _

from linju.cases.models import Rating
from linju.core.widgets import PhoneInput

from .models import Certification, HomeTask, LeaderVisit, VisitNeed


class ConsultationForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Topic"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", "—")] + [(i.code, i.name) for i in items]


class CounterConsultationForm(forms.Form):
    """A question answered at a counter: where, the topic or a note; the person when known (their
    record's page links here with them), the key that logs a form sent twice once."""

    service_point_code = forms.ChoiceField(label=_("Counter"))
    item_code = forms.ChoiceField(label=_("Topic"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    resident_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, counters=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_point_code"].choices = [(p.code, p.name) for p in counters]
        self.fields["item_code"].choices = [("", "—")] + [(i.code, i.name) for i in items]


class VisitForm(forms.Form):
    village_code = forms.ChoiceField(label=_("Village"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    households_met = forms.IntegerField(label=_("Households met"), min_value=0, max_value=999, initial=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    NEED_ROWS = 3

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [(v.code, f"{v.town.name} · {v.name}") for v in villages]
        outcomes = [("", "—")] + [
            (v, label) for v, label in VisitNeed.Outcome.choices if v != VisitNeed.Outcome.CASE
        ]
        for i in range(self.NEED_ROWS):
            self.fields[f"need_{i}"] = forms.CharField(label=_("Need raised"), required=False, max_length=300)
            self.fields[f"outcome_{i}"] = forms.ChoiceField(
                label=_("Handled"), required=False, choices=outcomes
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("Follow up by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def need_rows(self):
        return [(self[f"need_{i}"], self[f"outcome_{i}"], self[f"due_{i}"]) for i in range(self.NEED_ROWS)]


class CompleteTaskForm(forms.Form):
    result = forms.CharField(label=_("Result"), max_length=2000)


class PhoneRequestForm(forms.Form):
    """一个电话: who called, for whom, what, where they live, and whether someone must come."""

    caller_is_person = forms.BooleanField(
        label=_("The person called themselves"), required=False, initial=True
    )
    caller = forms.CharField(
        label=_("Who called (name, phone, relationship) if someone else"), max_length=100, required=False
    )
    item = forms.ChoiceField(label=_("What they need"))
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=24)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False, widget=PhoneInput())
    village_code = forms.ChoiceField(label=_("Village"))
    address = forms.CharField(label=_("Address (group, house)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What the person asked"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cannot_travel = forms.BooleanField(label=_("Cannot travel: someone comes to the house"), required=False)
    task_kind = forms.ChoiceField(label=_("Home service"), choices=HomeTask.Kind.choices, required=False)
    visit_date = forms.DateField(
        label=_("Day of the visit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, items=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, i.name) for i in items]
        self.fields["village_code"].choices = [(v.code, f"{v.town.name} · {v.name}") for v in villages]


class HomeVisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Day of the visit"), widget=forms.DateInput(attrs={"type": "date"}))


class CertifyForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Certification.Method.choices)


class LeaderVisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Visited"), choices=LeaderVisit.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    town_code = forms.ChoiceField(label=_("Town"))
    employer_id = forms.TypedChoiceField(
        label=_("Employer on record"), required=False, coerce=int, empty_value=None
    )
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=100)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    follow_up = forms.CharField(label=_("Follow-up"), required=False, max_length=2000)
    follow_up_due = forms.DateField(
        label=_("Follow up by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, towns=(), employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town_code"].choices = [(t.code, t.name) for t in towns]
        self.fields["employer_id"].choices = [("", "—")] + [(e.pk, e.name) for e in employers]


class HomeTaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HomeTask.Kind.choices)


class SlipRatingForm(forms.Form):
    """一次一评: a booth visit rated with the code on its slip."""

    slip_code = forms.CharField(label=_("The code on your slip"), max_length=12)
    level = forms.TypedChoiceField(
        label=_("Your rating"), choices=Rating.Level.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
