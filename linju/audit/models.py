from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linju.geo.models import bureau_key


class AuditEvent(models.Model):
    """Who looked at or took out personal data, when, what, and from where. Never edited."""

    class Action(models.TextChoices):
        RECORD_VIEWED = "record_viewed", _("viewed a full record")
        UNMASKED = "unmasked", _("showed whole ID number and phone")
        EXPORTED = "exported", _("exported personal data")

    bureau = bureau_key()
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_label = models.CharField(
        _("object"), max_length=200, blank=True, help_text=_("Masked: never a whole ID number.")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_label}"
        )
