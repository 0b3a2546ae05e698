"""Writes to the catalogue. Delegations never overlap: checked here, under a lock on the item."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError
from linju.geo.models import Town

from .models import Delegation, ServiceItem
from .selectors import catalogue_changed, delegation_overlapping

if TYPE_CHECKING:
    from linju.accounts.models import User


def _require_administrator(actor: User) -> None:
    require(actor, "catalog.edit")


# not durable: the demo loader delegates inside its catalogue's transaction (both or neither)
def delegation_create(
    *,
    actor: User | None,
    item: ServiceItem,
    town: Town,
    mode: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
    is_example: bool = False,
) -> Delegation:
    """Delegate an item to a town from a date. Refused if it would overlap another delegation.

    `actor` is None only for loaders run from the command line (the demo).
    """
    if actor is not None:
        _require_administrator(actor)
    if mode not in Delegation.Mode.values:
        raise DomainError(_("Mode must be finish or accept_forward."), field="mode")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date is before the start date."), field="valid_to")
    with transaction.atomic():
        # Two administrators delegating the same item at once: the second waits, then sees the first.
        ServiceItem.objects.select_for_update().get(pk=item.pk)
        clash = delegation_overlapping(item=item, town=town, valid_from=valid_from, valid_to=valid_to)
        if clash:
            raise Conflict(
                _("%(town)s already has a delegation of %(item)s from %(start)s to %(end)s; end it first."),
                params={
                    "town": town.name,
                    "item": item.name,
                    "start": clash.valid_from.isoformat(),
                    "end": clash.valid_to.isoformat() if clash.valid_to else "—",
                },
                code="delegation_overlap",
            )
        delegation = Delegation(
            item=item,
            town=town,
            mode=mode,
            valid_from=valid_from,
            valid_to=valid_to,
            note=note,
            is_example=is_example,
        )
        delegation._history_user = actor
        delegation.save()
        catalogue_changed()
    return delegation


def delegation_end(*, actor: User, delegation: Delegation, last_day: datetime.date) -> Delegation:
    """End a delegation on a day (it still applies that day). A durable transaction of its own."""
    _require_administrator(actor)
    if last_day < delegation.valid_from:
        raise DomainError(_("The end date is before the start date."), field="valid_to")
    with transaction.atomic(durable=True):
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        delegation.valid_to = last_day
        delegation._history_user = actor
        delegation.save(update_fields=["valid_to", "updated_at"])
        catalogue_changed()
    return delegation
