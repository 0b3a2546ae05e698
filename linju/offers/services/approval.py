"""The second look (二次确认): staff approve or hold a run's new offers by town and item, or all those
in their reach at once. Nothing reaches a resident before this; what approval opens goes to the
sending side (`sending.offers_approved`) only once the approval has committed."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from linju.access.capabilities import require
from linju.audit.events import residents_listed_event
from linju.core.idlists import id_list
from linju.core.request_context import RequestContext
from linju.eligibility.models import EligibilityRule
from linju.workdays.selectors import add_working_days

from ..models import Offer
from ..selectors import OfferGroup
from . import sending
from .granting import offers_grant_within
from .reach import reach_of

if TYPE_CHECKING:
    from linju.accounts.models import User

CHUNK = 5000


def _chosen(actor: User, statuses, town_code: str, item_code: str):
    rows = Offer.objects.visible_to(actor).filter(status__in=statuses)
    if town_code:
        rows = rows.filter(village__town__code=town_code)
    if item_code:
        rows = rows.filter(item__code=item_code)
    return rows


def offers_approve(
    *,
    actor: User,
    town_code: str = "",
    item_code: str = "",
    held: bool = False,
    today: datetime.date | None = None,
) -> int:
    """Open the offers waiting (or, `held`, those held back) in the actor's towns — of one town and
    item, or all — each
    to be brought the way its person can be reached (`offer_reach`) and open for its rule's working
    days. A handful of statements whatever their number: the rows locked and read once, one update
    per rule and way. How many were approved; the sending side hears of them after the commit.

    An item granted on the data alone (`granted_on_data`) asks nobody anything: its offers' cases are
    taken and decided granted here, in this transaction (linju/offers/services/granting.py), and the
    people are told after the commit."""
    require(actor, "offer.approve")
    now = timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic(durable=True):
        rows = list(
            _chosen(actor, (Offer.Status.HELD if held else Offer.Status.AWAITING,), town_code, item_code)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "rule_id", "resident__phone", "resident__birth_date")
        )
        if not rows:
            return 0
        open_days, granted_rules = {}, set()
        for pk, days, on_data in EligibilityRule.objects.filter(
            pk__in={rule for _pk, rule, *_ in rows}
        ).values_list("pk", "offer_open_days", "item__granted_on_data"):
            open_days[pk] = days
            if on_data:
                granted_rules.add(pk)
        groups: dict[tuple[int, str], list[int]] = {}
        to_grant: dict[int, str] = {}  # an item granted on the data: no answer asked, the case decided
        for pk, rule_id, phone, born in rows:
            reach = reach_of(phone, born, today)
            if rule_id in granted_rules:
                to_grant[pk] = reach
            else:
                groups.setdefault((rule_id, reach), []).append(pk)
        for (rule_id, reach), pks in groups.items():
            expires = add_working_days(today, open_days[rule_id]).date
            for start in range(0, len(pks), CHUNK):
                Offer.objects.filter(pk__in=id_list(pks[start : start + CHUNK])).update(
                    status=Offer.Status.OPEN,
                    reach=reach,
                    approved_by=actor,
                    approved_at=now,
                    expires_on=expires,
                    updated_at=now,
                )
        approved = [pk for pks in groups.values() for pk in pks]
        granted, withdrawn = offers_grant_within(approver=actor, reach_of=to_grant, now=now, today=today)
        if approved:
            transaction.on_commit(lambda: sending.offers_approved(approved))
        if granted:
            transaction.on_commit(lambda: sending.granted_offers_told(granted))
    return len(rows) - withdrawn


def offers_hold(*, actor: User, town_code: str = "", item_code: str = "") -> int:
    """Hold back the offers waiting in the actor's towns (of one town and item, or all): nothing is
    sent until someone approves them. How many were held."""
    require(actor, "offer.approve")
    with transaction.atomic(durable=True):
        return _chosen(actor, (Offer.Status.AWAITING,), town_code, item_code).update(
            status=Offer.Status.HELD, updated_at=timezone.now()
        )


def offer_groups_seen(*, viewer: User, groups: list[OfferGroup], context: RequestContext) -> None:
    """The names a page showed (masked, but names) are recorded: one audit event per bureau shown."""
    by_bureau: dict[int, list[int]] = {}
    for group in groups:
        for named in group.sample:
            by_bureau.setdefault(named.bureau_id, []).append(named.resident_id)
    for bureau_id, resident_ids in by_bureau.items():
        residents_listed_event(
            actor=viewer, bureau_id=bureau_id, resident_ids=resident_ids, what="offer_sample", context=context
        )
