from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.fields import EncryptedField
from linju.geo.models import Bureau, Town


class User(AbstractUser):
    """A member of staff. Residents do not log in in this version."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("district administrator")
        DISTRICT_STAFF = "district_staff", _("district staff")
        LEADER = "leader", _("bureau leader")
        TOWNSHIP_CADRE = "township_cadre", _("township cadre")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DISTRICT_STAFF)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # encrypted at rest (linju/core/fields.py): read to text the person, never looked up by
    mobile = EncryptedField(
        _("mobile"),
        max_length=20,
        blank=True,
        purpose="phone",
        help_text=_("For work reminders by text message (cases about to fall due)."),
    )
    bureau = models.ForeignKey(
        Bureau,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("The bureau this person works for. Empty only for platform superusers."),
    )
    towns = models.ManyToManyField(
        Town,
        blank=True,
        related_name="cadres",
        verbose_name=_("towns served"),
        help_text=_("For township cadres: the towns whose residents they serve."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(bureau__isnull=False),
                name="staff_belongs_to_a_bureau",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class APIToken(models.Model):
    """A staff member's key for the JSON API and Open311 (`Authorization: Bearer …` or `api_key=`).

    Only a hash is stored; the key is shown once, when created.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("what it is for"), max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} · {self.prefix}…"
