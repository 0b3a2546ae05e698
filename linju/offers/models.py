"""免申即享: what discovery found, offered to the person, and their answer.

A discovery run's matches for a rule the bureau offers become offers, one per resident and item.
Nothing reaches a resident before district staff (or the town's cadre) have taken a second look
and approved it (二次确认). An approved offer is brought the way the person can be reached (a
text with a short link, or a home task or village visit for those without a phone of their own or
over 75), and the answer (yes, no, a cadre to come) is recorded once, whoever records it.
"""

import secrets

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import ServiceItem
from linju.core.fields import BlindIndexedQuerySet, BlindIndexField, EncryptedField
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import Village, bureau_key
from linju.people.models import Resident

TOKEN_LENGTH = 10


def new_token() -> str:
    """The short link's key: 10 characters of an unguessable alphabet (no 0/O, 1/l to misread)."""
    alphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(TOKEN_LENGTH))


class OfferQuerySet(ScopedQuerySet):
    town_path = "village__town"

    def still_open(self):
        return self.filter(status__in=Offer.STILL_OPEN)


class Offer(BaseModel):
    """One item offered to one resident because a rule matched their registry data."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("waiting for a second look")
        HELD = "held", _("held back by staff")
        OPEN = "open", _("offered, waiting for an answer")
        HELP = "help", _("asked for a cadre to come")
        CONFIRMED = "confirmed", _("asked for it")
        GRANTED = "granted", _("granted on the data, no application")
        DECLINED = "declined", _("not wanted")
        UNANSWERED = "unanswered", _("no answer")
        WITHDRAWN = "withdrawn", _("withdrawn: no longer matched")

    class Reach(models.TextChoices):
        """How the offer is brought to the person."""

        TEXT = "text", _("by text message")
        HOME_TASK = "home_task", _("by a home visit")
        VILLAGE_VISIT = "village_visit", _("at the next village visit")

    class Answer(models.TextChoices):
        YES = "yes", _("yes, I want it")
        NO = "no", _("no, not wanted")
        HELP = "help", _("please have a cadre come")

    class AnsweredVia(models.TextChoices):
        SMS = "sms", _("reply to the text")
        LINK = "link", _("the page the text links to")
        PHONE = "phone", _("by phone, recorded by staff")
        BOOTH = "booth", _("at a market-day booth, recorded by staff")
        VISIT = "visit", _("at a visit, recorded by staff")

    # no second offer of the same item while one of these stands (a database constraint)
    STILL_OPEN = (Status.AWAITING, Status.HELD, Status.OPEN, Status.HELP)

    bureau = bureau_key()
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="offers")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="offers")
    # the village at the time of the match: the funnel counts by it, and scoping goes through it
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="offers")
    # what matched: the rule, its version (its history row), the run, the facts read and their date
    rule = models.ForeignKey("eligibility.EligibilityRule", on_delete=models.PROTECT, related_name="offers")
    rule_version = models.PositiveIntegerField(_("rule version"))
    run = models.ForeignKey(
        "eligibility.DiscoveryRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    matched_facts = models.JSONField(_("the data it was matched on"), default=dict)
    facts_as_of = models.DateField(_("date of that data"))

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AWAITING)
    reach = models.CharField(_("brought"), max_length=14, choices=Reach.choices, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_on = models.DateField(_("open until"), null=True, blank=True)
    texted_at = models.DateTimeField(_("text sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    token = models.CharField(max_length=TOKEN_LENGTH, unique=True, default=new_token, editable=False)

    answer = models.CharField(_("answer"), max_length=4, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_via = models.CharField(_("answered via"), max_length=6, choices=AnsweredVia.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(_("reason given"), max_length=200, blank=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="offer"
    )
    home_task = models.ForeignKey(
        "outreach.HomeTask", on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "item"],
                condition=Q(status__in=["awaiting", "held", "open", "help"]),
                name="one_standing_offer_per_resident_item",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answered_at__isnull=False, answered_via__gt=""),
                name="offer_answer_has_time_and_way",
            ),
            models.CheckConstraint(
                condition=~Q(answered_via__in=["phone", "booth", "visit"]) | Q(answered_by__isnull=False),
                name="offer_answer_for_resident_names_staff",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "granted"]) | Q(case__isnull=False),
                name="offer_confirmed_has_case",
            ),
            # withdrawn: also one never approved, that a later run no longer matched (never sent)
            models.CheckConstraint(
                condition=Q(status__in=["awaiting", "held", "withdrawn"]) | Q(approved_at__isnull=False),
                name="offer_sent_only_after_approval",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "item", "village"], name="offer_by_status_item_village"),
            models.Index(fields=["resident", "item", "-created_at"], name="offer_by_resident_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.resident} ({self.get_status_display()})"


class RuleMatches(models.Model):
    """Whom one offered rule matched in one discovery run (every match, offered or not: those with a
    standing offer or an open case too), as packed ids with their villages, as DiscoveryList keeps
    its lists: what the offers were made from, what a later run is compared with to withdraw offers no
    longer matched, and the funnel's "eligible"."""

    bureau = bureau_key()
    run = models.ForeignKey("eligibility.DiscoveryRun", on_delete=models.CASCADE, related_name="rule_matches")
    rule = models.ForeignKey("eligibility.EligibilityRule", on_delete=models.CASCADE, related_name="+")
    # ascending resident ids and each one's village id, little-endian 64-bit integers
    packed_ids = models.BinaryField(default=b"")
    packed_villages = models.BinaryField(default=b"")
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matches of an offered rule")
        verbose_name_plural = _("matches of offered rules")
        constraints = [models.UniqueConstraint(fields=["run", "rule"], name="one_match_list_per_run_rule")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.rule_id} · {self.size}"

    @staticmethod
    def pack(values) -> bytes:
        return np.asarray(values, dtype="<i8").tobytes()

    def resident_ids(self) -> np.ndarray:
        return np.frombuffer(self.packed_ids, dtype="<i8")

    def village_ids(self) -> np.ndarray:
        return np.frombuffer(self.packed_villages, dtype="<i8")


class TextReplyQuerySet(BlindIndexedQuerySet, ScopedQuerySet):
    town_path = "village__town"


class TextReply(BaseModel):
    """A text a resident sent back through the gateway, from a phone of the registry: an answer to
    the offer last texted to that phone, a stop (TD), or words for a person to read. A reply from a
    number no resident has is not kept (nothing to scope it by, nobody to answer); the gateway is
    told the same either way."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answered an offer")
        STOP = "stop", _("asked for no more texts")
        TO_READ = "to_read", _("for a person to read")

    bureau = bureau_key()
    # encrypted at rest (linju/core/fields.py), found by its blind index (a stop, a text kept already)
    phone = EncryptedField(_("phone"), max_length=20, purpose="phone", index="phone_index")
    phone_index = BlindIndexField(source="phone")  # indexed in Meta: no LIKE pattern index beside it
    text = models.CharField(_("text"), max_length=160)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # whose phone it is (the resident of the offer last texted to it, or else the first with it)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="text_replies")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="text_replies"
    )
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = TextReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("text received")
        verbose_name_plural = _("texts received")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the inbox: what waits to be read
            models.Index(fields=["kind", "read_at"], name="text_reply_to_read"),
            # a stop, a text kept already: found by the phone's blind index, compared whole
            models.Index(fields=["phone_index"], name="text_reply_phone_index"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(read_at__isnull=True, read_by__isnull=True)
                | Q(read_at__isnull=False, read_by__isnull=False),
                name="text_reply_read_says_by_whom",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.phone[-4:]} {self.get_kind_display()}"
