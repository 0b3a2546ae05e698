"""帮扶: the gig workers a cadre should help, village by village, and the work they could take.

Listed: the workers of the viewer's towns who have signed in on `LINJU_GIG_IDLE_DAYS` days or more
since their last work (the last day of the last gig they were sent to and did not miss), and those in
a 就业困难 category (`GigWorker.hardship`), whatever their days. Beside each: the open gigs of the
coming two weeks and the open vacancies (linju/jobs) they could take, the hard constraints kept as
dispatch and matching keep them — the place within the villages they can reach (their own always),
their age within the work's range on its first day, no heavy work for those who refuse it; a
vacancy's workplace reached by its village or its company shuttle from their town. Names are shown,
ID numbers and phones masked; a page (or the API's answer) that lists people writes one audit row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, DateField, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.audit.events import residents_listed_event
from linju.core.errors import NotFound
from linju.core.periods import age_on
from linju.core.request_context import RequestContext
from linju.jobs.models import Vacancy
from linju.people.masking import mask_id_number, mask_phone

from .models import Dispatch, Gig, GigWorker
from .selectors import not_over

if TYPE_CHECKING:
    from linju.accounts.models import User

AHEAD = datetime.timedelta(days=14)  # gigs starting within two weeks
SHOWN = 3  # gigs and vacancies beside each worker
WORKED = (Dispatch.Status.SENT, Dispatch.Status.DONE)
NEVER = datetime.date(1900, 1, 1)


@dataclass
class HelpRow:
    worker: GigWorker
    name: str
    id_number: str  # masked
    phone: str  # masked
    age: int
    idle_days: int
    hardship: bool
    gigs: list[Gig] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)


@dataclass
class HelpVillage:
    code: str
    name: str
    town: str
    count: int
    rows: list[HelpRow] = field(default_factory=list)


@dataclass
class HelpListing:
    idle_days: int  # the setting
    villages: list[HelpVillage]
    shown: HelpVillage | None


def _workers(viewer: User, today: datetime.date, idle: int):
    """The viewer's towns' workers to help, with their idle sign-in days: one query."""
    last_work = (
        Dispatch.objects.filter(worker=OuterRef("pk"), status__in=WORKED, gig__starts_on__lte=today)
        .order_by()
        .values("worker")
        .annotate(last=Max("gig__ends_on"))
        .values("last")
    )
    return (
        GigWorker.objects.visible_to(viewer)
        .annotate(last_work=Coalesce(Subquery(last_work, output_field=DateField()), Value(NEVER)))
        .annotate(
            idle=Count(
                "sign_ins",
                filter=Q(sign_ins__day__gt=F("last_work"), sign_ins__day__lte=today),
            )
        )
        .filter(Q(idle__gte=idle) | Q(hardship=True))
    )


def _gigs_for(row: HelpRow, gigs: list[Gig], reach: set[int], taken: set[int]) -> list[Gig]:
    worker, birth = row.worker, row.worker.resident.birth_date
    fitting = []
    for gig in gigs:
        if gig.village_id not in reach or gig.pk in taken:
            continue
        age = age_on(birth, gig.starts_on)
        if age < gig.min_age or (gig.max_age is not None and age > gig.max_age):
            continue
        if gig.heavy and not worker.accepts_heavy:
            continue
        fitting.append(gig)
        if len(fitting) == SHOWN:
            break
    return fitting


def _vacancies_for(row: HelpRow, vacancies: list[Vacancy], reach: set[int], shuttles: dict[int, set[int]]):
    worker = row.worker
    town_id = worker.resident.village.town_id
    fitting = []
    for vacancy in vacancies:
        employer = vacancy.employer
        if employer.village_id not in reach and town_id not in shuttles.get(employer.pk, ()):
            continue
        if row.age < vacancy.min_age or (vacancy.max_age is not None and row.age > vacancy.max_age):
            continue
        if vacancy.heavy_manual and not worker.accepts_heavy:
            continue
        fitting.append(vacancy)
        if len(fitting) == SHOWN:
            break
    return fitting


def help_list(
    *,
    viewer: User,
    village_code: str = "",
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> HelpListing:
    """The villages of the viewer's towns with workers to help (how many each), and for the chosen
    village (none chosen: the one with most) its workers with the work they could take — no gig whose
    hours are over at `now` (the bureau's local time). Seven queries for a village, whatever the
    number of its workers."""
    require(viewer, "gig.help")
    now = now or timezone.localtime()
    today = today or now.date()
    idle = settings.LINJU_GIG_IDLE_DAYS
    by_village: dict[str, HelpVillage] = {}
    for code, name, town in (
        _workers(viewer, today, idle)
        .order_by("resident__village__town__code", "resident__village__code")
        .values_list("resident__village__code", "resident__village__name", "resident__village__town__name")
    ):
        village = by_village.setdefault(code, HelpVillage(code=code, name=name, town=town, count=0))
        village.count += 1
    villages = list(by_village.values())
    if village_code:
        shown = next((v for v in villages if v.code == village_code), None)
        if shown is None:
            raise NotFound(_("No gig worker of this village needs help, or it is not among your towns."))
    else:
        shown = max(villages, key=lambda v: v.count, default=None)
    if shown is not None:
        shown.rows = _rows(viewer, shown.code, today, idle, now)
    return HelpListing(idle_days=idle, villages=villages, shown=shown)


def _rows(
    viewer: User, village_code: str, today: datetime.date, idle: int, now: datetime.datetime
) -> list[HelpRow]:
    workers = list(
        _workers(viewer, today, idle)
        .filter(resident__village__code=village_code)
        .select_related("resident__village")
        .prefetch_related("villages")
        .order_by("-hardship", "-idle", "resident__name", "pk")
    )
    rows = [
        HelpRow(
            worker=w,
            name=w.resident.name,
            id_number=mask_id_number(w.resident.id_number),
            phone=mask_phone(w.resident.phone) if w.resident.phone else "",
            age=age_on(w.resident.birth_date, today),
            idle_days=w.idle,
            hardship=w.hardship,
        )
        for w in workers
    ]
    if not rows:
        return rows
    reaches = {
        row.worker.pk: {v.pk for v in row.worker.villages.all()} | {row.worker.resident.village_id}
        for row in rows
    }
    every_village = set().union(*reaches.values())
    bureau_id = workers[0].bureau_id
    open_gigs = Gig.objects.filter(
        bureau_id=bureau_id,
        status=Gig.Status.OPEN,
        ends_on__gte=today,
        starts_on__lte=today + AHEAD,
        village_id__in=every_village,
    )
    if today == now.date():  # a gig whose hours today are over is no work to offer
        open_gigs = not_over(open_gigs, now)
    gigs = list(
        open_gigs.select_related("village", "work_type").order_by("starts_on", "start_time", "id")[:500]
    )
    taken: dict[int, set[int]] = {}
    for worker_id, gig_id in Dispatch.objects.filter(
        worker_id__in=[r.worker.pk for r in rows], gig_id__in=[g.pk for g in gigs]
    ).values_list("worker_id", "gig_id"):
        taken.setdefault(worker_id, set()).add(gig_id)
    vacancies = list(
        Vacancy.objects.filter(status=Vacancy.Status.OPEN, employer__village__town__bureau_id=bureau_id)
        .select_related("employer__village")
        .prefetch_related("employer__shuttle_towns")
        .order_by("-opened_on", "id")[:500]
    )
    shuttles = {v.employer_id: {t.pk for t in v.employer.shuttle_towns.all()} for v in vacancies}
    for row in rows:
        reach = reaches[row.worker.pk]
        row.gigs = _gigs_for(row, gigs, reach, taken.get(row.worker.pk, set()))
        row.vacancies = _vacancies_for(row, vacancies, reach, shuttles)
    return rows


def help_list_seen(*, viewer: User, listing: HelpListing, context: RequestContext) -> None:
    """The workers a help page (or the API) showed, recorded as seen: one audit row. Not durable: an
    audit row, written in the request's own transaction."""
    if listing.shown is None or not listing.shown.rows:
        return
    residents_listed_event(
        actor=viewer,
        bureau_id=listing.shown.rows[0].worker.bureau_id,
        resident_ids=[row.worker.resident_id for row in listing.shown.rows],
        what="gig_help_list",
        context=context,
    )
