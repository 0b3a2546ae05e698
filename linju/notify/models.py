from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.fields import BlindIndexedQuerySet, BlindIndexField, EncryptedField
from linju.geo.models import bureau_key


class OutboxMessage(models.Model):
    """Every text message Linju sends, whatever the backend: what, to whom, why, and what became of it."""

    class Status(models.TextChoices):
        SENDING = "sending", _("being sent (claimed; the gateway not yet answered)")
        RETRY = "retry", _("to be sent again (the gateway was busy or not reached)")
        WRITTEN = "written", _("written to the outbox (no gateway)")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DELIVERED = "delivered", _("delivered (the gateway's receipt)")
        UNDELIVERED = "undelivered", _("not delivered (the gateway's receipt)")

    bureau = bureau_key()
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # encrypted at rest (linju/core/fields.py); a receipt finds its text, and a text is claimed once,
    # by the phone's blind index
    phone = EncryptedField(_("phone"), max_length=20, purpose="phone", index="phone_index")
    phone_index = BlindIndexField(source="phone")
    text = models.CharField(_("text"), max_length=500)
    purpose = models.CharField(_("purpose"), max_length=40)
    reference = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    backend = models.CharField(_("backend"), max_length=100)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # what the gateway is asked (its template and variables: a text is asked again as it was first),
    # when it is asked again, and what the gateway said: its id for the message (Aliyun's BizId), its
    # error or receipt code, how many times it was asked, and when the receipt came
    template = models.CharField(_("gateway's template"), max_length=40, blank=True)
    params = models.JSONField(_("template variables"), default=dict, blank=True)
    retry_at = models.DateTimeField(_("to be sent again at"), null=True, blank=True)
    provider_id = models.CharField(_("gateway's message id"), max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("gateway's code"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reported_at = models.DateTimeField(_("receipt received"), null=True, blank=True)

    objects = BlindIndexedQuerySet.as_manager()

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the texts waiting to be sent again, for the job that sends them (few, when any)
            models.Index(fields=["retry_at"], condition=Q(status="retry"), name="outbox_retry_due")
        ]
        constraints = [
            # One text per purpose, reference and phone: a retried job or a second scheduler that
            # reaches the same text finds it claimed and sends nothing. Texts without a reference
            # (a self-check's answer, asked for by the resident) are limited by a rate instead.
            models.UniqueConstraint(
                fields=["purpose", "reference", "phone_index"],
                condition=~Q(reference=""),
                name="one_text_per_purpose_reference_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.purpose} {self.reference}"
