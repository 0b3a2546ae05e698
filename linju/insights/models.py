from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.geo.models import bureau_key


def import_upload_path(job: "ImportJob", filename: str) -> str:
    """Where an uploaded workbook is kept in the file storage: its bureau's folder, a name of its own
    (the resident's file name stays in `filename`; the stored one says nothing of its content)."""
    import uuid

    return f"imports/{job.bureau_id}/{uuid.uuid4().hex}.xlsx"


class ImportJob(BaseModel):
    """One spreadsheet brought in: checked row by row, then written all at once (or not at all)."""

    class Kind(models.TextChoices):
        RESIDENTS = "residents", _("residents")
        SEEKERS = "seekers", _("job seekers")
        VACANCIES = "vacancies", _("vacancies")
        SIGNS = "signs", _("signs of life (pension certification by data)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        CHECKING = "checking", _("checking the rows")
        WRITING = "writing", _("saving")
        DONE = "done", _("saved")
        REJECTED = "rejected", _("not saved: rows need correcting")
        FAILED = "failed", _("failed")

    bureau = bureau_key()
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(_("file"), max_length=200)
    # the workbook as uploaded, in Django's file storage (a folder, or the bucket every server
    # shares): a worker on another machine reads it from there
    upload = models.FileField(upload_to=import_upload_path, max_length=200, editable=False)
    language = models.CharField(max_length=10, default="zh-hans")
    partial = models.BooleanField(_("save the good rows even if some are bad"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True
    )  # [{"row": 5, "column": "…", "value": "…", "message": "…"}]
    error_count = models.PositiveIntegerField(default=0)
    # how many times a worker has taken the job: one whose worker died is taken again once
    # (services.import_jobs_retake_stalled), and each save checks the taker is still the latest
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_written__lte=models.F("rows_total")), name="import_written_le_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.WRITING)

    @property
    def rows_known(self) -> bool:
        """Whether the number of rows is known (measured before the first row is checked)."""
        return bool(self.rows_total) or not self.running

    @property
    def percent(self) -> int | None:
        """How far the job is: 100 only once it is saved, never while it runs (a job killed half way
        does not read as done); None while the number of rows is not known. Rows written stay 0
        until checking ends (a new run starts from 0)."""
        if self.status == self.Status.DONE:
            return 100
        if self.status == self.Status.QUEUED:
            return 0
        if not self.rows_total:
            return None
        # checking is the first half, saving the second: the bar only moves on
        return min(99, 100 * (self.rows_checked + self.rows_written) // (2 * self.rows_total))
