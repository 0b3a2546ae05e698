"""Reads of cases, always through the viewer's towns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can
from linju.catalog.selectors import item_by_id
from linju.core.errors import NotFound
from linju.core.held_queries import HeldQuery
from linju.core.periods import Period
from linju.core.querysets import visible_held_row
from linju.geo.selectors import town_by_id
from linju.people.phones import phone_ends_with
from linju.people.shown import name_shown, reads_people, text_shown
from linju.workdays.selectors import add_working_days

from .models import Case, CaseEvent, FollowUp

if TYPE_CHECKING:
    from linju.accounts.models import User

SOON_WORKING_DAYS = 2


WORK_LISTS = ("due_today", "due_soon", "overdue", "forwarded", "suspended", "handover", "follow_ups")


def list_filters(data) -> dict:
    """The dashboard's drill-down filters from a query string; a bad month is a 400 in plain words."""
    return {
        "town_code": data.get("town", "")[:20] or None,
        "item_code": data.get("item", "")[:20] or None,
        "channel": data.get("channel", "")[:20] or None,
        "taken_between": Period.parse(data["taken"][:7]).aware() if data.get("taken") else None,
        "closed_between": Period.parse(data["closed"][:7]).aware() if data.get("closed") else None,
        "late": data.get("late") == "1",
    }


def _work_list_conditions(today: datetime.date) -> dict[str, Q]:
    """Each work list's condition on a case, for the lists and for their counts alike."""
    horizon = add_working_days(today, SOON_WORKING_DAYS).date
    running = Q(status__in=Case.OPEN)
    return {
        "due_today": running & Q(promised_date=today),
        "due_soon": running & Q(promised_date__gt=today, promised_date__lte=horizon),
        "overdue": running & Q(promised_date__lt=today),
        # what the towns sent the district (代办), still open there
        "forwarded": running & Q(level=Case.Level.DISTRICT, forwarded_at__isnull=False),
        "suspended": Q(status=Case.Status.SUSPENDED),
        # results the district sent to the station, waiting for the person to collect them (送达)
        "handover": Q(status=Case.Status.FINISHED, handover=Case.Handover.WAITING),
    }


def case_list(
    *,
    viewer: User | None,
    status: str | None = None,
    due_before: datetime.date | None = None,
    work_list: str | None = None,
    today: datetime.date | None = None,
    town_code: str | None = None,
    item_code: str | None = None,
    channel: str | None = None,
    taken_between: tuple[datetime.datetime, datetime.datetime] | None = None,
    closed_between: tuple[datetime.datetime, datetime.datetime] | None = None,
    late: bool = False,
) -> QuerySet[Case]:
    """The viewer's cases, narrowed by a work list and by the dashboard's filters (town, item,
    channel, taken or closed within a period, closed after the promised date)."""
    today = today or timezone.localdate()
    cases = Case.objects.visible_to(viewer)
    if town_code:
        cases = cases.filter(town__code=town_code)
    if item_code:
        cases = cases.filter(item__code=item_code)
    if channel:
        cases = cases.filter(channel=channel)
    if taken_between:
        cases = cases.filter(accepted_at__gte=taken_between[0], accepted_at__lt=taken_between[1])
    if closed_between:
        cases = cases.filter(
            status__in=Case.CLOSED, closed_at__gte=closed_between[0], closed_at__lt=closed_between[1]
        )
    if late:
        # closed on a later day than promised, in local time (the day, not the hour, is promised)
        cases = cases.filter(status__in=Case.CLOSED, closed_at__date__gt=F("promised_date"))
    if status:
        cases = cases.filter(status=status)
    if due_before:
        cases = cases.filter(status__in=Case.OPEN, promised_date__lt=due_before)
    if work_list == "forwarded" and viewer is not None and not can(viewer, "case.see_forwarded"):
        cases = cases.none()
    if work_list == "follow_ups":
        cases = cases.filter(follow_ups__status=FollowUp.Status.OPEN).distinct()
    elif work_list:
        cases = cases.filter(_work_list_conditions(today)[work_list])
    return cases.select_related("item", "town", "applicant__village").order_by("promised_date", "id")


@dataclass(frozen=True)
class WorkCounts:
    due_today: int
    due_soon: int
    overdue: int
    forwarded: int
    suspended: int
    handover: int
    follow_ups: int


def work_counts(*, viewer: User, today: datetime.date | None = None) -> WorkCounts:
    """Every work list's count: one query for the case lists, one for the follow-ups."""
    today = today or timezone.localdate()
    counts = Case.objects.visible_to(viewer).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in _work_list_conditions(today).items()}
    )
    if not can(viewer, "case.see_forwarded"):
        counts["forwarded"] = 0
    counts["follow_ups"] = case_list(viewer=viewer, work_list="follow_ups", today=today).count()
    return WorkCounts(**counts)


# The hot read's two queries, compiled to SQL once per thread (linju/core/held_queries.py): a case by
# its number with its applicant, and a case's events with each actor's user name (`by_name`).
CASE_BY_NUMBER = HeldQuery(
    lambda number: Case.objects.select_related("applicant").filter(number=number).order_by(), limit=1
)
EVENTS_OF_CASE = HeldQuery(
    lambda case_id: CaseEvent.objects.filter(case_id=case_id).annotate(by_name=F("actor__username"))
)


def case_get_for_viewer(*, viewer: User | None, number: str, for_update: bool = False) -> Case:
    # Few joins on purpose: PostgreSQL spent more time planning an eleven-table join than running it
    # (bench/api_load.py). Pages that show more load it lazily, one cheap query each.
    if for_update:
        cases = Case.objects.visible_to(viewer).select_related("item", "town", "applicant")
        case = cases.select_for_update(of=("self",)).filter(number=number).first()
    else:  # the hot read: by its number, then the same scoping rule on the row
        case = visible_held_row(CASE_BY_NUMBER, viewer, number=number)
        if case is not None:  # the item and the town as the process holds them: no join, no query
            case.item, case.town = item_by_id(item_id=case.item_id), town_by_id(town_id=case.town_id)
    if case is None:
        raise NotFound(_("No such case."))
    return case


def with_timeline(case: Case, *, events: list[CaseEvent] | None = None) -> Case:
    """The case with its events and who made each, for an answer that shows them: read in one query,
    or, when the caller has just written them (`events`, with their actors), taken as they are."""
    if events is None:
        # one query, each event with its actor's user name (`by_name`) rather than the whole user
        events = EVENTS_OF_CASE.rows(case_id=case.pk)
    timeline = case.events.all()
    timeline._result_cache, timeline._prefetch_done = events, True
    case._prefetched_objects_cache = {"events": timeline}
    return case


def case_public_status(*, number: str, phone_last4: str) -> Case:
    """For the public status page: the case if the number and the ending of the phone the applicant
    gave for it, or of the agent's phone, match.

    A wrong number and a wrong phone get the same answer. The phones are encrypted: the case is
    read by its number (unique) and the endings compared here.
    """
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    case = (
        Case.objects.select_related("item", "town").filter(number=number.strip()).first()
        if len(digits) == 4
        else None
    )
    if case is None or not phone_ends_with(digits, case.applicant_phone, case.agent_phone):
        raise NotFound(_("No case matches this number and phone."), code="status_not_found")
    return case


def follow_up_list(*, viewer: User) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.visible_to(viewer)
        .filter(status=FollowUp.Status.OPEN, case__isnull=False)
        .select_related("case__item", "case__rating")
    )


@dataclass(frozen=True)
class CasePeople:
    """Who a case is about, as the viewer may read it: the one place pages and API answers take a
    case's applicant and agent from. Leaders follow a case (its item, town, dates, status, promise
    and timeline) but read no person: a masked name ("王**"), and nothing else of them."""

    applicant: str
    applicant_id_number: str  # masked, or "" for a leader
    agent: str
    agent_relation: str
    agent_id_number: str
    agent_phone: str
    description: str  # what the person asked: free text that may name them
    personal: bool  # whether the viewer reads people: photos of papers and the papers themselves


def case_people(*, viewer: User | None, case: Case) -> CasePeople:
    """The case's personal fields for this viewer (no query beyond the applicant, when not held)."""
    if reads_people(viewer):
        return CasePeople(
            applicant=case.applicant.name,
            applicant_id_number=case.applicant.masked_id_number,
            agent=case.agent_name,
            agent_relation=case.get_agent_relation_display() if case.has_agent else "",
            agent_id_number=case.masked_agent_id_number if case.has_agent else "",
            agent_phone=case.masked_agent_phone,
            description=case.description,
            personal=True,
        )
    return CasePeople(
        applicant=name_shown(viewer=viewer, name=case.applicant.name),
        applicant_id_number="",
        agent=name_shown(viewer=viewer, name=case.agent_name),
        agent_relation=case.get_agent_relation_display() if case.has_agent else "",
        agent_id_number="",
        agent_phone="",
        description=text_shown(viewer=viewer, text=case.description),
        personal=False,
    )


def with_people(cases, *, viewer: User | None) -> list[Case]:
    """The cases of a page, each with `.people` (case_people) for its row."""
    rows = list(cases)
    for case in rows:
        case.people = case_people(viewer=viewer, case=case)
    return rows
