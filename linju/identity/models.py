"""How a person was identified when something was done for them (a case taken): the verification
event only — the method, when, on which terminal or device, what it answered, and for a person
identified by hand (or when the verifier could not be reached) why. Never what was read or scanned:
no QR code, no photo, no copy of the card."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import bureau_key
from linju.people.models import Resident


class Method(models.TextChoices):
    ID_CARD_READER = "id_card_reader", _("ID card on the reader")
    SOCIAL_CARD = "social_card", _("social security card (社保卡) on the reader")
    ECARD = "ecard", _("electronic social security card (QR code)")
    BY_HAND = "by_hand", _("by hand (papers looked at)")


VERIFIED_METHODS = (Method.ID_CARD_READER, Method.SOCIAL_CARD, Method.ECARD)


class Result(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    MISMATCH = "mismatch", _("not this person")
    UNREACHABLE = "unreachable", _("verifier unreachable")
    NOT_CHECKED = "not_checked", _("not checked by a device")


class IdentificationQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class Identification(BaseModel):
    """One verification event. A case taken at intake names it in its acceptance's record, and the
    identification names the case (`reference`): the link is kept on both sides without this app,
    a layer below cases, knowing the cases' table."""

    bureau = bureau_key()
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="identifications")
    method = models.CharField(_("identified by"), max_length=20, choices=Method.choices)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    verified_at = models.DateTimeField(_("verified at"))
    terminal = models.CharField(_("terminal or device"), max_length=60, blank=True)
    reason = models.CharField(_("why by hand"), max_length=500, blank=True)
    reference = models.CharField(
        _("for the case"), max_length=40, blank=True, help_text=_("the case or bundle number")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identifications", null=True
    )

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        indexes = [models.Index(fields=["resident", "-verified_at"], name="identification_of_resident")]
        constraints = [
            # by hand is checked by no device; a device's check answers one of its four results
            models.CheckConstraint(
                condition=(Q(method="by_hand") & Q(result="not_checked"))
                | (
                    Q(method__in=["id_card_reader", "social_card", "ecard"])
                    & Q(result__in=["valid", "expired", "mismatch", "unreachable"])
                ),
                name="identification_method_and_result",
            ),
            # the person was identified by hand, or the device could not be reached: the reason is kept
            models.CheckConstraint(
                condition=~(Q(method="by_hand") | Q(result="unreachable")) | ~Q(reason=""),
                name="identification_by_hand_has_a_reason",
            ),
            # a case is taken on a valid check or by hand: an expired card or another's is refused
            models.CheckConstraint(
                condition=Q(result__in=["valid", "unreachable", "not_checked"]),
                name="identification_recorded_is_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.get_result_display()}"
