from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.geo.models import MarketPlace, Town


class PlanRun(BaseModel):
    """One proposal: which market places get a regular booth, and how close it is to the best."""

    class Objective(models.TextChoices):
        MEDIAN = "median", _("the least walking for everyone, on average")
        COVER = "cover", _("the most people within a set time")

    class Method(models.TextChoices):
        AUTO = "auto", _("the best plan when it is quick to find, else a fast one that says how close it is")
        EXACT = "exact", _("the best plan (may take longer)")
        FAST = "fast", _("a fast plan, and how close it is to the best")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("solving")
        DONE = "done", _("done")
        FAILED = "failed", _("could not be solved")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_runs"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True)
    objective = models.CharField(_("aim"), max_length=10, choices=Objective.choices, default=Objective.MEDIAN)
    within = models.PositiveSmallIntegerField(_("within (minutes)"), default=30)
    budget = models.PositiveSmallIntegerField(_("market places with a regular booth"))
    town_minimum = models.PositiveSmallIntegerField(_("at least this many in each town"), default=0)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.AUTO)
    fixed_in = models.ManyToManyField(
        MarketPlace, related_name="+", blank=True, verbose_name=_("always keep")
    )
    fixed_out = models.ManyToManyField(
        MarketPlace, related_name="+", blank=True, verbose_name=_("never choose")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    chosen = models.ManyToManyField(MarketPlace, related_name="plan_runs", blank=True)
    used = models.CharField(max_length=40, blank=True)  # the method that answered
    objective_value = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # figures today and proposed, villages
    error = models.CharField(max_length=300, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("booth placement proposal")
        verbose_name_plural = _("booth placement proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(gap__isnull=True) | Q(gap__gte=0), name="plan_gap_not_negative"
            ),
            models.CheckConstraint(condition=Q(within__gte=1), name="plan_within_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.budget}"
