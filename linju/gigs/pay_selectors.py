"""Reads for the pay page: the dispatches of the viewer's towns whose work has begun and whose pay is
not yet recorded, and the latest recorded (with their inspection cases)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids
from linju.audit.events import residents_listed_event
from linju.core.errors import NotFound

from .models import Dispatch
from .selectors import shown_name

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.core.request_context import RequestContext

RECENT = 30


@dataclass(frozen=True)
class PayDispatch:
    """A dispatch on the pay page, its worker named as the candidates are."""

    dispatch: Dispatch
    name: str  # whole for a worker of the viewer's towns, masked for one of another town


def _dispatches(viewer: User):
    return Dispatch.objects.visible_to(viewer).select_related(
        "gig__village", "gig__work_type", "worker__resident__village", "inspection_case"
    )


def _named(viewer: User, dispatches) -> list[PayDispatch]:
    towns = served_town_ids(viewer)
    return [PayDispatch(d, shown_name(d.worker, towns)) for d in dispatches]


def dispatches_to_record(
    *, viewer: User, today: datetime.date | None = None, limit: int = 200
) -> list[PayDispatch]:
    """Sent to work that has begun, pay not yet recorded: the gigs ended first."""
    require(viewer, "gig.pay")
    today = today or timezone.localdate()
    return _named(
        viewer,
        _dispatches(viewer)
        .filter(status=Dispatch.Status.SENT, gig__starts_on__lte=today)
        .order_by("gig__ends_on", "gig__start_time", "gig_id", "position")[:limit],
    )


def dispatches_recorded(*, viewer: User) -> list[PayDispatch]:
    """The latest recorded done, the latest first."""
    require(viewer, "gig.pay")
    return _named(
        viewer,
        _dispatches(viewer)
        .filter(status=Dispatch.Status.DONE)
        .exclude(paid="")
        .order_by("-done_on", "-updated_at", "-pk")[:RECENT],
    )


def pay_list_seen(*, viewer: User, dispatches: list[Dispatch], context: RequestContext) -> None:
    """The workers a pay page named, recorded as seen: one audit row (as the candidates and the help
    list are). Not durable: an audit row, written in the request's own transaction."""
    if dispatches:
        residents_listed_event(
            actor=viewer,
            bureau_id=dispatches[0].bureau_id,
            resident_ids=sorted({d.worker.resident_id for d in dispatches}),
            what="gig_pay_list",
            context=context,
        )


def dispatch_for_viewer(*, viewer: User, dispatch_id: int) -> Dispatch:
    """A dispatch of the viewer's towns; the same NotFound for missing and not theirs."""
    dispatch = _dispatches(viewer).filter(pk=dispatch_id).first()
    if dispatch is None:
        raise NotFound(_("No such dispatch."))
    return dispatch
