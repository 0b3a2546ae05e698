"""The gig market's forms: each parses input only; the services check the rules and say what is wrong."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from linju.core.widgets import PhoneInput

from .models import PayUnit
from .services.dispatching import PASS_OVER_REASONS
from .services.posting import MAX_HEADCOUNT


class GigForm(forms.Form):
    """Four fields to fill (the work, pay, who pays, a phone); the rest has its default, under 更多."""

    place = forms.CharField(max_length=50, widget=forms.HiddenInput)
    work_type = forms.ChoiceField(label=_("Kind of work"))
    pay = forms.DecimalField(
        label=_("Pay (yuan)"),
        min_value=0.01,
        max_value=100000,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    pay_unit = forms.ChoiceField(label=_("Paid"), choices=PayUnit.choices, initial=PayUnit.DAY)
    headcount = forms.IntegerField(
        label=_("People needed"),
        min_value=1,
        max_value=MAX_HEADCOUNT,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    employer_name = forms.CharField(label=_("Who pays"), max_length=80)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=24,
        widget=PhoneInput(attrs={"autocomplete": "off"}),
    )
    # 更多: each has its default
    title = forms.CharField(
        label=_("What the work is (the kind of work by default)"), max_length=80, required=False
    )
    village = forms.ChoiceField(label=_("Village of the work"), required=False)
    address = forms.CharField(label=_("Where exactly"), max_length=120, required=False)
    starts_on = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("From"),
        initial=datetime.time(8, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("Until"),
        initial=datetime.time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    min_age = forms.IntegerField(
        label=_("Youngest age"), min_value=0, max_value=120, initial=16, required=False
    )
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=120, required=False)
    heavy = forms.ChoiceField(
        label=_("Heavy work"),
        choices=[("", _("as the kind of work")), ("yes", _("yes")), ("no", _("no"))],
        required=False,
    )
    tools = forms.CharField(label=_("Tools to bring"), max_length=100, required=False)
    contact_name = forms.CharField(
        label=_("Whom to ask (who pays by default)"), max_length=40, required=False
    )
    details = forms.CharField(
        label=_("Details"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, work_types=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].choices = [("", "—")] + [(w.code, w.name) for w in work_types]
        self.fields["village"].choices = [("", _("the town's first village"))] + [
            (v.code, v.name) for v in villages
        ]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["heavy"] = {"yes": True, "no": False}.get(data.pop("heavy") or "")
        if data.get("min_age") is None:
            data.pop("min_age")
        return data


class SignInForm(forms.Form):
    place = forms.ChoiceField(label=_("Signing in at"))
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.value, p.name) for p in places]


class WorkerForm(forms.Form):
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=24, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    work_types = forms.MultipleChoiceField(
        label=_("Kinds of work they can do"), required=False, widget=forms.CheckboxSelectMultiple
    )
    villages = forms.MultipleChoiceField(
        label=_("Villages they can reach (their own when none is ticked)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_from = forms.TimeField(
        label=_("Free from"),
        initial=datetime.time(7, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    available_until = forms.TimeField(
        label=_("Free until"),
        initial=datetime.time(18, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    accepts_heavy = forms.BooleanField(label=_("Heavy work acceptable"), required=False)
    hardship = forms.BooleanField(label=_("In a 就业困难 category (hard to employ)"), required=False)
    from_seeker = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, work_types=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_types"].choices = [(w.code, w.name) for w in work_types]
        self.fields["villages"].choices = [(v.code, f"{v.town.name}{v.name}") for v in villages]


class DispatchForm(forms.Form):
    worker = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    others = forms.ChoiceField(
        label=_("Those ahead who are not sent"),
        choices=[("", "—"), *PASS_OVER_REASONS.items()],
        required=False,
    )
    others_words = forms.CharField(label=_("or say why"), max_length=200, required=False)
    text_slip = forms.BooleanField(label=_("Text the slip"), required=False, initial=True)

    def reason(self) -> str:
        return self.cleaned_data.get("others_words") or self.cleaned_data.get("others") or ""
