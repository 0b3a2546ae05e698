"""What outreach's writes share: the actor works in outreach; a pensioner of the actor's towns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import cadres_serving
from linju.core.errors import NotFound

from ..models import Pensioner

if TYPE_CHECKING:
    from linju.accounts.models import User


def _staff_only(actor: User) -> None:
    require(actor, "outreach.work")


def _cadre_of(town_id: int) -> User | None:
    """The town's cadre who gets its home tasks: the first who serves it."""
    return cadres_serving().filter(towns=town_id).order_by("pk").first()


def _pensioner_of(actor: User, pensioner_id: int, *, lock: bool = False) -> Pensioner:
    """A pensioner of one of the actor's towns (locked for the caller's transaction when asked),
    or NotFound, the same for one of another town as for none."""
    pensioners = Pensioner.objects.select_for_update() if lock else Pensioner.objects.all()
    pensioner = (
        pensioners.visible_to(actor).filter(pk=pensioner_id).select_related("resident__village").first()
    )
    if pensioner is None:
        raise NotFound(_("No such pensioner."))
    return pensioner
