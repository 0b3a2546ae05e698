"""The offers' funnel (免申即享), for leaders and staff alike: per offered rule, town and village, how
many the latest finished discovery run found eligible, how many were offered (approved), and how they
answered: asked for it, granted on the data, not wanted, asked a cadre to come, no answer; how many of
the cases the offers made are finished, and the median working days from the offer's approval to its
case. Counts only, never a name: `figures.read`, which every signed-in role holds.

Offers are counted whatever run made them (an offer stays the offer of its rule and village, answered
or not); "eligible" is the latest finished run's matches, kept with the run (offers.RuleMatches). A
run reaches its town, or its whole bureau: for each town the newer of the two is read.

Six queries whatever the number of offers: the villages shown, the runs' match lists (then the
chosen lists' villages), the offers counted by rule and village in the database, the dates of the
offers that made a case, the rules named. Working days come from the held calendar (no query)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from linju.access.capabilities import require
from linju.access.scoping import towns_for_viewer
from linju.cases.models import Case
from linju.eligibility.models import DiscoveryRun, EligibilityRule
from linju.geo.models import Village
from linju.workdays.selectors import calendar

from .models import Offer, RuleMatches

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.geo.models import Town

COUNTS = ("eligible", "offered", "confirmed", "granted", "declined", "help", "unanswered", "finished")


@dataclass
class FunnelRow:
    """The funnel of one rule in one village, or summed over a town ("village" empty), or over all
    the viewer's towns ("town" empty too)."""

    rule_id: int
    rule: str  # the item's name and the rule in plain words
    item_code: str
    town_code: str = ""
    town: str = ""
    village_id: int | None = None
    village_code: str = ""
    village: str = ""
    eligible: int = 0  # matched by the latest finished discovery run
    offered: int = 0  # approved (sent, or brought by a cadre)
    confirmed: int = 0  # asked for it: a case was made
    granted: int = 0  # granted on the data alone: a case was made
    declined: int = 0
    help: int = 0  # asked for a cadre to come, not answered yet
    unanswered: int = 0  # no answer after the reminder
    finished: int = 0  # the offer's case finished (办结)
    # working days from the approval to the case, one an offer that made a case (for the medians)
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    def add(self, other: FunnelRow) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days.extend(other.days)


@dataclass
class OfferFunnel:
    villages: list[FunnelRow]  # by rule, town, village: every village with a match or an offer
    towns: list[FunnelRow]  # by rule and town
    rules: list[FunnelRow]  # by rule, over every town shown

    def __bool__(self) -> bool:
        return bool(self.villages)


def offer_funnel(*, viewer: User, town: Town | None = None) -> OfferFunnel:
    """The funnel in the viewer's towns (or one of them), by rule, town and village."""
    require(viewer, "figures.read")
    towns = towns_for_viewer(viewer)
    if town is not None:
        towns = towns.filter(pk=town.pk)
    villages = {
        v["pk"]: v
        for v in Village.objects.filter(town__in=towns.values("pk"))
        .values("pk", "code", "name", "town_id", "town__code", "town__name", "town__bureau_id")
        .order_by()
    }
    rows: dict[tuple[int, int], FunnelRow] = {}

    def row(rule_id: int, village_id: int) -> FunnelRow:
        found = rows.get((rule_id, village_id))
        if found is None:
            village = villages[village_id]
            found = rows[(rule_id, village_id)] = FunnelRow(
                rule_id=rule_id,
                rule="",
                item_code="",
                town_code=village["town__code"],
                town=village["town__name"],
                village_id=village_id,
                village_code=village["code"],
                village=village["name"],
            )
        return found

    for (rule_id, village_id), count in _eligible(villages).items():
        row(rule_id, village_id).eligible = count
    offers = Offer.objects.visible_to(viewer).filter(village_id__in=list(villages)).order_by()
    for figures in offers.values("rule_id", "village_id").annotate(
        offered=Count("pk", filter=Q(approved_at__isnull=False)),
        confirmed=Count("pk", filter=Q(status=Offer.Status.CONFIRMED)),
        granted=Count("pk", filter=Q(status=Offer.Status.GRANTED)),
        declined=Count("pk", filter=Q(status=Offer.Status.DECLINED)),
        help=Count("pk", filter=Q(status=Offer.Status.HELP)),
        unanswered=Count("pk", filter=Q(status=Offer.Status.UNANSWERED)),
        finished=Count("pk", filter=Q(case__status=Case.Status.FINISHED)),
    ):
        target = row(figures.pop("rule_id"), figures.pop("village_id"))
        for name, count in figures.items():
            setattr(target, name, count)
    days = calendar()
    tz = timezone.get_current_timezone()
    for rule_id, village_id, approved_at, accepted_at in offers.filter(
        case__isnull=False, approved_at__isnull=False
    ).values_list("rule_id", "village_id", "approved_at", "case__accepted_at"):
        row(rule_id, village_id).days.append(
            days.working_days_after(
                timezone.localtime(approved_at, tz).date(), timezone.localtime(accepted_at, tz).date()
            )
        )
    return _rolled_up(rows)


def _eligible(villages: dict[int, dict]) -> dict[tuple[int, int], int]:
    """(rule, village) -> how many the latest finished run over that village's town matched."""
    bureaus = {v["town__bureau_id"] for v in villages.values()}
    latest: dict[tuple, int] = {}  # (bureau, rule, the run's town or None) -> the newest list's id
    newness: dict[int, int] = {}  # list id -> its place, newest first
    for place, (pk, bureau_id, rule_id, town_id) in enumerate(
        RuleMatches.objects.filter(bureau_id__in=bureaus, run__status=DiscoveryRun.Status.DONE)
        .order_by("-run__finished_at", "-pk")
        .values_list("pk", "bureau_id", "rule_id", "run__town_id")
    ):
        if (bureau_id, rule_id, town_id) not in latest:
            latest[(bureau_id, rule_id, town_id)] = pk
            newness[pk] = place
    wanted: dict[int, list[tuple[int, int]]] = defaultdict(list)  # list id -> [(rule, town)] it counts for
    rules = {(bureau_id, rule_id) for bureau_id, rule_id, _town in latest}
    for bureau_id, town_id in {(v["town__bureau_id"], v["town_id"]) for v in villages.values()}:
        for bureau, rule_id in rules:
            lists = [
                pk
                for pk in (latest.get((bureau, rule_id, None)), latest.get((bureau, rule_id, town_id)))
                if bureau == bureau_id and pk is not None
            ]
            if lists:
                wanted[min(lists, key=newness.__getitem__)].append((rule_id, town_id))
    out: dict[tuple[int, int], int] = {}
    if not wanted:
        return out
    for pk, packed in RuleMatches.objects.filter(pk__in=list(wanted)).values_list("pk", "packed_villages"):
        ids, counts = np.unique(np.frombuffer(bytes(packed), dtype="<i8"), return_counts=True)
        for village_id, count in zip(ids.tolist(), counts.tolist(), strict=True):
            village = villages.get(village_id)
            for rule_id, town_id in wanted[pk]:
                if village is not None and village["town_id"] == town_id:
                    out[(rule_id, village_id)] = count
    return out


def _rolled_up(rows: dict[tuple[int, int], FunnelRow]) -> OfferFunnel:
    """The village rows named by their rules, in order, with their sums by rule and town and by rule."""
    rules = {
        rule.pk: rule
        for rule in EligibilityRule.objects.filter(pk__in={rule_id for rule_id, _v in rows}).select_related(
            "item"
        )
    }
    for village_row in rows.values():
        rule = rules[village_row.rule_id]
        village_row.rule, village_row.item_code = f"{rule.item.name} · {rule.description}", rule.item.code
    villages = sorted(rows.values(), key=lambda r: (r.item_code, r.rule_id, r.town_code, r.village_code))
    towns: dict[tuple[int, str], FunnelRow] = {}
    by_rule: dict[int, FunnelRow] = {}
    for village_row in villages:
        key = (village_row.rule_id, village_row.town_code)
        if key not in towns:
            towns[key] = FunnelRow(
                village_row.rule_id,
                village_row.rule,
                village_row.item_code,
                village_row.town_code,
                village_row.town,
            )
        towns[key].add(village_row)
        if village_row.rule_id not in by_rule:
            by_rule[village_row.rule_id] = FunnelRow(
                village_row.rule_id, village_row.rule, village_row.item_code
            )
        by_rule[village_row.rule_id].add(village_row)
    return OfferFunnel(villages=villages, towns=list(towns.values()), rules=list(by_rule.values()))
