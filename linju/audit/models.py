import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
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
    # the chain (linju/audit/chain.py): written by the sealing job, never by the request that
    # inserts the row; empty until then
    seq = models.PositiveBigIntegerField(_("place in the bureau's chain"), null=True, blank=True)
    sealed_after = models.BigIntegerField(_("the event before it in the chain"), null=True, blank=True)
    prev_digest = models.CharField(max_length=64, blank=True)
    digest = models.CharField(_("seal (HMAC-SM3)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # the sealing job's work: a bureau's events not sealed yet, in the order they came
            models.Index(fields=["bureau", "id"], condition=Q(seq__isnull=True), name="audit_unsealed"),
        ]
        constraints = [models.UniqueConstraint(fields=["bureau", "seq"], name="audit_seq_per_bureau")]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_label}"
        )


class AuditChainHead(models.Model):
    """The last sealed event of a bureau's chain: where the next seal continues, and what the check
    expects at the end (a deleted newest event leaves no gap to see otherwise)."""

    bureau = models.OneToOneField("geo.Bureau", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    last_id = models.BigIntegerField(null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.bureau_id}: {self.seq}"


class AuditCheck(models.Model):
    """One run of the audit log's check (`audit_verify`, nightly): what it found, per bureau."""

    bureau = models.ForeignKey("geo.Bureau", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    events = models.PositiveBigIntegerField(_("events checked"), default=0)
    findings = models.JSONField(_("findings"), default=list, blank=True)

    class Meta:
        verbose_name = _("audit log check")
        verbose_name_plural = _("audit log checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bureau_id} {self.checked_at:%Y-%m-%d %H:%M}: {len(self.findings)}"


def export_file_path(job: "ExportJob", filename: str) -> str:
    """exports/<bureau>/<token>.xlsx: the name says nothing of what is inside."""
    return f"exports/{job.bureau_id or 'none'}/{job.token}.xlsx"


class ExportJob(BaseModel):
    """A spreadsheet asked for on a page and built by a huey worker into the file storage every
    server shares (a folder, or the bucket): the web worker only queues it, and the one who asked
    downloads it from the page it sends them to. Kept a day, then deleted with its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        BUILDING = "building", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # the bureau whose records it holds: empty only for a platform administrator's figures
    bureau = models.ForeignKey(
        "geo.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)  # where it was asked from, for the audit log
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=export_file_path, blank=True, max_length=200)
    filename = models.CharField(max_length=100, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="a_finished_export_has_its_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
