"""录入金保: a case typed into 金保 from its entry sheet (the record of who did it and the number
金保 gave back). Kept beside the case's models, imported by them (linju/cases/models.py)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.querysets import ScopedQuerySet
from linju.geo.models import bureau_key

from .jinbao_codes import BUSINESS_NUMBER_LENGTH
from .models import Case


class JinbaoEntryQuerySet(ScopedQuerySet):
    town_path = "case__town"


class JinbaoEntry(models.Model):
    """录入金保: a case taken away from the district hall, typed into 金保 from its entry sheet by
    someone on 金保's network; who did it, when, and the business number 金保 gave back. One a case;
    a business number once a bureau."""

    bureau = bureau_key()
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="jinbao_entry")
    business_number = models.CharField(_("金保 business number"), max_length=BUSINESS_NUMBER_LENGTH)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = JinbaoEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("金保 entry")
        verbose_name_plural = _("金保 entries")
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "business_number"], name="jinbao_business_number_once_a_bureau"
            ),
            models.CheckConstraint(
                condition=Exact(Length("business_number"), BUSINESS_NUMBER_LENGTH),
                name="jinbao_business_number_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.business_number}"
