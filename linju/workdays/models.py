from django.db import models
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel


class Holiday(BaseModel):
    """A day that differs from the weekday rule: an official holiday, or a weekend worked (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (no work)")
        WORKDAY = "workday", _("adjusted working day (调休)")

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        MANUAL = "manual", _("entered or imported by an administrator")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({self.get_kind_display()})"


class ScheduleYear(BaseModel):
    """A year whose official holiday schedule (State Council notice) is fully entered.

    Dates in other years are computed with weekends only and marked estimated.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("year with a known schedule")
        verbose_name_plural = _("years with a known schedule")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
