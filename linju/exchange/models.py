"""The outbox of messages to systems outside Linju (the province's 政务服务 platform first).

A message is written in the transaction of the change it reports (a case taken, paused, sent back,
extended, finished; a rating; a rectification), so a change rolled back sends nothing. A worker
delivers it later (linju/exchange/delivery.py), as often as needed, always with the same
`message_id`: the receiver keeps the first copy of each id and answers the others as received.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.geo.models import bureau_key


class Target(models.TextChoices):
    PROVINCE = "province", _("the province's 政务服务 platform")


class Kind(models.TextChoices):
    CASE_ACCEPTED = "case_accepted", _("case taken (受理)")
    CASE_SUSPENDED = "case_suspended", _("case waiting for papers (补正)")
    CASE_RETURNED = "case_returned", _("case returned (退回)")
    CASE_EXTENDED = "case_extended", _("case extended (延期)")
    CASE_FINISHED = "case_finished", _("case finished (办结)")
    RATING = "rating", _("rating (好差评)")
    RECTIFICATION = "rectification", _("rectification (整改)")


class Message(models.Model):
    """One message to an outside system, kept until it is received (sent) or given up (dead)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be sent")
        SENT = "sent", _("received by the target")
        DEAD = "dead", _("given up (dead letter)")

    bureau = bureau_key()  # whose case or rating it reports: its staff see its dead letters
    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # what the message reports, once: a case's number and version with the kind (one message per
    # move, however often the enqueue is reached)
    reference = models.CharField(_("reference"), max_length=80)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # when a worker may take it next: the backoff after a failure, or the end of a worker's claim
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.CharField(_("the target's last answer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the messages a worker may take, by time (few at any moment)
            models.Index(fields=["next_attempt_at"], condition=Q(status="waiting"), name="exchange_due"),
            models.Index(fields=["-created_at"], condition=Q(status="dead"), name="exchange_dead"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "reference"], name="exchange_one_message_per_reference"
            ),
            models.CheckConstraint(condition=Q(target__in=Target.values), name="exchange_target_known"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="exchange_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "sent", "dead"]), name="exchange_status_known"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="exchange_reference_given"),
            # received: when, and not waiting; otherwise no time of receipt
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False, attempts__gte=1)
                | Q(~Q(status="sent"), sent_at__isnull=True),
                name="exchange_sent_has_time",
            ),
            # waiting: a time when it may be taken; given up: tried, and the reason kept
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(next_attempt_at__isnull=False),
                name="exchange_waiting_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="dead") | (Q(attempts__gte=1) & ~Q(last_error="")),
                name="exchange_dead_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} ({self.status})"
