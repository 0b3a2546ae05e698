from django import forms
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import Channel

from .models import Rating


class IntakeStartForm(forms.Form):
    """Step 1: what, how, where. Choices are filled by the view from the cadre's towns."""

    item = forms.ChoiceField(label=_("Service item"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect)
    place = forms.ChoiceField(label=_("Where"))

    def __init__(self, *args, items=(), places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, f"{i.name}") for i in items]
        self.fields["place"].choices = places


class IntakeDetailsForm(forms.Form):
    """Step 2: who, and which materials were handed in."""

    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=24)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    village_code = forms.ChoiceField(label=_("Village"))
    description = forms.CharField(
        label=_("What the person asked"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    other_missing = forms.CharField(
        label=_("Other missing materials, one per line"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, villages=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [(v.code, f"{v.town.name} · {v.name}") for v in villages]
        self.material_fields = []
        for index, material in enumerate(materials):
            name = f"material_{index}"
            self.fields[name] = forms.ChoiceField(
                label=material.name,
                choices=[("received", _("handed in")), ("missing", _("missing")), ("na", _("not needed"))],
                initial="received" if material.required else "na",
                widget=forms.RadioSelect,
            )
            self.material_fields.append((name, material.name))

    def materials(self) -> tuple[list[str], list[str]]:
        received = [
            label for name, label in self.material_fields if self.cleaned_data.get(name) == "received"
        ]
        missing = [label for name, label in self.material_fields if self.cleaned_data.get(name) == "missing"]
        missing += [
            line.strip() for line in self.cleaned_data.get("other_missing", "").splitlines() if line.strip()
        ]
        return received, missing


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=10)
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)
    missing = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)


class StatusLookupForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    phone_last4 = forms.CharField(label=_("Last 4 digits of your phone"), min_length=4, max_length=4)


class RatingForm(StatusLookupForm):
    level = forms.TypedChoiceField(
        label=_("Your rating"), choices=Rating.Level.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhoneRatingForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Rating given by phone"), choices=Rating.Level.choices, coerce=int)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class FollowUpCloseForm(forms.Form):
    answer = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
