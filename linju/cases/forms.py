from django import forms
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import item_channel_choices
from linju.core.widgets import PHONE_WORDS, PhoneInput
from linju.identity.models import Method

from .jinbao_codes import ETHNIC_CHOICES
from .models import Appeal, Case, Extension, FollowUp, Rating
from .services import Agent, AuthoriseNow

BUNDLE = "bundle:"  # the start form's value of a bundle (一件事), beside the items' codes


class IntakeStartForm(forms.Form):
    """Step 1: what, how, where. Choices are filled by the view from the cadre's towns."""

    # the ways staff take a request (an offer's case is made by the resident's yes, not chosen here)
    channel = forms.ChoiceField(label=_("Channel"), choices=item_channel_choices, widget=forms.RadioSelect)
    place = forms.ChoiceField(label=_("Where"))
    item = forms.ChoiceField(label=_("Service item"), required=False)

    def __init__(self, *args, items=(), places=(), bundles=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((i.code, f"{i.name}") for i in items)]
        if bundles:  # 一件事: one request for several items, under its own heading
            choices.append(
                (
                    _("One application for a life event"),
                    [(f"{BUNDLE}{b.code}", b.bundle.name) for b in bundles],
                )
            )
        self.fields["item"].choices = choices
        self.fields["place"].choices = places


class AgentFormFields(forms.Form):
    """代办人, beside the beneficiary: all optional, but whole once a name is written."""

    agent_name = forms.CharField(label=_("Agent's name"), max_length=40, required=False)
    agent_id_number = forms.CharField(label=_("Agent's ID number"), max_length=24, required=False)
    agent_phone = forms.CharField(
        label=_("Agent's phone"), max_length=24, required=False, widget=PhoneInput()
    )
    agent_relation = forms.ChoiceField(
        label=_("Relationship to the applicant"),
        choices=[("", "—"), *Case.Relation.choices],
        required=False,
    )
    texts_to_agent = forms.BooleanField(label=_("The agent agrees to get the texts"), required=False)
    # an agent acts under the person's authorisation (委托) in force, or one the person signs now
    agent_authorise = forms.BooleanField(
        label=_("The person signs the authorisation (委托书) now"), required=False
    )
    agent_authorise_all = forms.BooleanField(label=_("For all items, not only this one"), required=False)
    agent_authorise_until = forms.DateField(
        label=_("Until (empty: until the person withdraws it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    agent_authorise_photo = forms.FileField(
        label=_("Photo of the signed form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    texts_to_applicant = forms.BooleanField(
        label=_("The applicant agrees to get the texts"), required=False, initial=True
    )


class Unkept(forms.TextInput):
    """A field whose value is never written back into the page (the e-card's code: scanned afresh)."""

    def format_value(self, value):
        return None


class IdentificationFields(forms.Form):
    """How the person was identified: a card on the reader, the e-card's code (a scanner types it
    into its field), or by hand with the reason (also when the reader or platform does not answer)."""

    identification_method = forms.ChoiceField(
        label=_("How was the person identified?"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    identification_qr = forms.CharField(
        label=_("E-card code (scan it into this field)"),
        max_length=2000,
        required=False,
        widget=Unkept(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )
    identification_terminal = forms.CharField(
        label=_("Terminal or device (its reader or scanner)"), max_length=60, required=False
    )
    identification_reason = forms.CharField(
        label=_("By hand, or no answer from the reader or platform: how and why"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IntakeDetailsForm(IdentificationFields, AgentFormFields):
    """Step 2: who (and who applies for them), and which materials were handed in."""

    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=24)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False, widget=PhoneInput())
    village_code = forms.ChoiceField(
        label=_("Village"), error_messages={"required": _("Choose the person's village.")}
    )
    # for the 金保 entry sheet; optional, asked once (a later case of the person's takes it from this one)
    ethnic_group = forms.ChoiceField(
        label=_("Ethnic group (民族, optional)"), choices=[("", "—"), *ETHNIC_CHOICES], required=False
    )
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
    # set by the button "take it under the registered name", offered when the name typed differs
    registered_name = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, villages=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        # no village chosen for the cadre: the person's own is picked, never the list's first
        self.fields["village_code"].choices = [("", "—")] + [
            (v.code, f"{v.town.name} · {v.name}") for v in villages
        ]
        self.material_fields = []
        for index, material in enumerate(materials):
            name = f"material_{index}"
            self.fields[name] = forms.ChoiceField(
                label=material.name,
                choices=[("received", _("handed in")), ("missing", _("missing")), ("na", _("not needed"))],
                widget=forms.RadioSelect,
                # nothing is ticked for the cadre: they say what was handed over, item by item
                error_messages={"required": _("Say whether it was handed in, is missing or is not needed.")},
            )
            self.material_fields.append((name, material.name))

    def identification_given(self) -> dict:
        """What the page was told of the person's identification, for `identification_at_the_counter`."""
        data = self.cleaned_data
        return {
            "method": data["identification_method"],
            "terminal": data["identification_terminal"],
            "qr": data["identification_qr"],
            "reason": data["identification_reason"],
            "name": data["name"],
            "id_number": data["id_number"],
        }

    def materials(self) -> tuple[list[str], list[str]]:
        received = [
            label for name, label in self.material_fields if self.cleaned_data.get(name) == "received"
        ]
        missing = [label for name, label in self.material_fields if self.cleaned_data.get(name) == "missing"]
        missing += [
            line.strip() for line in self.cleaned_data.get("other_missing", "").splitlines() if line.strip()
        ]
        return received, missing

    def agent(self):
        """The 代办人 typed, or None when the person applies for themselves."""
        data = self.cleaned_data
        if not any(data.get(f) for f in ("agent_name", "agent_id_number", "agent_phone", "agent_relation")):
            return None
        return Agent(
            name=data["agent_name"],
            id_number=data["agent_id_number"],
            relation=data["agent_relation"],
            phone=data["agent_phone"],
            texts=data["texts_to_agent"],
            authorise=AuthoriseNow(
                all_items=data["agent_authorise_all"],
                until=data["agent_authorise_until"],
                evidence=data["agent_authorise_photo"],
            )
            if data["agent_authorise"]
            else None,
        )


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=10)
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)
    missing = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)


class FinishForm(forms.Form):
    """办结 with the outcome; the decision may be attached as a PDF or a photo."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices, widget=forms.RadioSelect)
    outcome_detail = forms.CharField(
        label=_("What was decided, or why not (plain words for the resident)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome_rule = forms.CharField(
        label=_("The rule applied (for a refusal)"), max_length=200, required=False
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, max_value=1_000_000, decimal_places=2
    )
    period = forms.CharField(label=_("Period (e.g. 2026-12 to 2027-05)"), max_length=60, required=False)
    document = forms.FileField(label=_("Decision (PDF or photo, at most 5 MB)"), required=False)
    hand_over = forms.BooleanField(
        label=_("A paper is collected in person at the town's station (送达)"), required=False
    )


class ExtensionAskForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("Working days more"), min_value=1, max_value=Extension.MAX_DAYS, initial=5
    )
    reason = forms.CharField(
        label=_("Why more time is needed"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    note = forms.CharField(required=False, max_length=500)


class StatusLookupForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of your phone"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RatingForm(StatusLookupForm):
    level = forms.TypedChoiceField(
        label=_("Your rating"), choices=Rating.Level.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingCodeAskForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        error_messages=PHONE_WORDS,
        widget=PhoneInput(),
    )


class PhoneRatingForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    code = forms.CharField(
        label=_("The code texted to you"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    level = forms.TypedChoiceField(
        label=_("Your rating"), choices=Rating.Level.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class FixRatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How was it fixed?"),
        choices=FollowUp.FixLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )


class CallbackCallForm(forms.Form):
    resident_said = forms.CharField(
        label=_("What the resident said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallbackRectifyForm(forms.Form):
    way = forms.ChoiceField(label=_("Rectification"), choices=FollowUp.Way.choices, widget=forms.RadioSelect)
    rectification = forms.CharField(
        label=_("What is done about it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectify_by = forms.DateField(
        label=_("To be fixed by (限期整改)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CallbackDoneForm(forms.Form):
    rectification = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=Appeal.Ground.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecideForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold: set the rating aside")), ("0", _("Reject: the rating stands"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpCloseForm(forms.Form):
    answer = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
