from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every table records when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PendingTask(models.Model):
    """A job that could not be queued after its commit (the queue did not answer), kept until a
    sweep queues it (linju/core/enqueue.py). Written only when queuing fails."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    task = models.CharField(_("task"), max_length=200)  # the dotted path of the huey task
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("job waiting for the queue")
        verbose_name_plural = _("jobs waiting for the queue")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
