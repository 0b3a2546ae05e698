"""What the retirement law needs beyond the registry: a woman's former retirement age where it is
not the default, and the one text each person gets a year before retiring."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.fields import EncryptedField
from linju.core.models import BaseModel
from linju.geo.models import bureau_key
from linju.people.models import Resident


class FormerRetirementAge(BaseModel):
    """A former retirement age recorded for one resident. The registry holds sex and birth date
    only: without a row here a man's former age is 60 and a woman's 50 (a woman worker's); a woman
    who was a cadre or held a managerial or technical post (干部, 管理岗位) retires from 55, and staff
    record it here, once (linju/pensions/law.py, `former_age_of`)."""

    bureau = bureau_key()
    resident = models.OneToOneField(
        Resident, on_delete=models.CASCADE, related_name="former_retirement", verbose_name=_("resident")
    )
    former_age = models.PositiveSmallIntegerField(_("former retirement age"))
    basis = models.CharField(_("on what basis"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("former retirement age")
        verbose_name_plural = _("former retirement ages")
        constraints = [
            models.CheckConstraint(
                condition=Q(former_age__in=[50, 55, 60]), name="former_retirement_age_50_55_60"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.former_age}"


class RetirementNotice(models.Model):
    """The text a resident gets a year before their statutory retirement month: one a person, ever.
    The row is the claim: the nightly job inserts it before the gateway is asked, so two schedulers
    (or a job run twice) reaching the same person send one text."""

    bureau = bureau_key()
    resident = models.OneToOneField(
        Resident, on_delete=models.CASCADE, related_name="retirement_notice", verbose_name=_("resident")
    )
    retirement_month = models.DateField(_("retirement month"))  # its first day
    phone = EncryptedField(_("phone"), max_length=20, purpose="phone")  # at rest: linju/core/fields.py
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("retirement text")
        verbose_name_plural = _("retirement texts")

    def __str__(self) -> str:
        return f"{self.resident_id} {self.retirement_month:%Y-%m}"
