"""Reads of the gig market: the places a gig is posted and workers sign in at, the gigs (public and
staff's), and the candidates of a gig in the published order (linju/gigs/ordering.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids
from linju.audit.events import residents_listed_event
from linju.core.errors import NotFound
from linju.core.periods import check_served_date
from linju.core.request_context import RequestContext
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.people.idnumbers import parse_id_number
from linju.people.masking import mask_id_number, mask_name
from linju.people.models import Resident

from . import ordering
from .models import Dispatch, Gig, GigWorker, SignIn, WorkType

if TYPE_CHECKING:
    from linju.accounts.models import User

# where gigs are posted and workers sign in: a market (its booth), or a service point of these kinds
JOB_SERVICE_KINDS = (
    ServicePoint.Kind.GIG_MARKET,
    ServicePoint.Kind.GIG_STATION,
    ServicePoint.Kind.JOB_STATION,
    ServicePoint.Kind.TOWN_STATION,
)
WEEK = 7  # the public page shows the day and the coming week
BUSY_STATUSES = (Dispatch.Status.SENT, Dispatch.Status.DONE)
LIVE_STATUSES = (Gig.Status.OPEN, Gig.Status.FILLED)


PAY_WORDS = {
    "day": _("%(amount)s yuan a day"),
    "hour": _("%(amount)s yuan an hour"),
    "piece": _("%(amount)s yuan a piece"),
}


def pay_words(gig: Gig) -> str:
    """The pay as people say it: 150元/天 (the active language)."""
    return str(PAY_WORDS[gig.pay_unit]) % {"amount": f"{gig.pay.normalize():f}"}


def days_words(gig: Gig) -> str:
    first, last = gig.starts_on, gig.ends_on
    if first == last:
        return (
            f"{first.month}月{first.day}日"
            if translation.get_language().startswith("zh")
            else f"{first:%d %b}"
        )
    if translation.get_language().startswith("zh"):
        return f"{first.month}月{first.day}日–{last.month}月{last.day}日"
    return f"{first:%d %b}–{last:%d %b}"


@dataclass(frozen=True)
class GigPlace:
    """A place as a form's choice: "market:…" or "point:…"."""

    value: str
    name: str
    town: Town
    market: MarketPlace | None = None
    service_point: ServicePoint | None = None

    @property
    def kind(self) -> str:
        return "market" if self.market is not None else "point"


def _place_of(found: MarketPlace | ServicePoint) -> GigPlace:
    if isinstance(found, MarketPlace):
        return GigPlace(f"market:{found.code}", f"{found.town.name} · {found.name}", found.town, market=found)
    return GigPlace(f"point:{found.code}", found.name, found.town, service_point=found)


def _find_place(value: str) -> MarketPlace | ServicePoint | None:
    kind, _sep, code = str(value or "")[:50].partition(":")
    if kind == "market":
        return MarketPlace.objects.select_related("town").filter(code=code).first()
    if kind == "point":
        return (
            ServicePoint.objects.select_related("town").filter(code=code, kind__in=JOB_SERVICE_KINDS).first()
        )
    return None


def place_for_viewer(*, viewer: User, value: str) -> GigPlace:
    """The place from its value, within the towns the viewer serves; the same NotFound for a place
    that does not exist and one that is not theirs."""
    found = _find_place(value)
    if found is None or found.town_id not in served_town_ids(viewer):
        raise NotFound(_("Choose a place from the list: a market or a job-service station."), field="place")
    return _place_of(found)


def place_public(*, value: str) -> GigPlace | None:
    found = _find_place(value)
    return _place_of(found) if found is not None else None


def places_for_viewer(*, viewer: User) -> list[GigPlace]:
    """The markets and job-service places of the viewer's towns: markets first, by code."""
    markets = MarketPlace.objects.select_related("town").visible_to(viewer).order_by("code")
    points = (
        ServicePoint.objects.select_related("town")
        .filter(kind__in=JOB_SERVICE_KINDS)
        .visible_to(viewer)
        .order_by("kind", "code")
    )
    return [_place_of(m) for m in markets] + [_place_of(p) for p in points]


def work_type_list() -> QuerySet[WorkType]:
    return WorkType.objects.order_by("code")


def villages_for_viewer(*, viewer: User) -> QuerySet[Village]:
    """The villages of the viewer's towns, with their town (a worker's reach is chosen from them)."""
    return Village.objects.visible_to(viewer).select_related("town").order_by("code")


def villages_of_place(place: GigPlace) -> QuerySet[Village]:
    return Village.objects.filter(town=place.town).order_by("code")


def _at_place(gigs: QuerySet[Gig], place: GigPlace) -> QuerySet[Gig]:
    return (
        gigs.filter(market=place.market) if place.market else gigs.filter(service_point=place.service_point)
    )


def _in_days(gigs: QuerySet[Gig], first: datetime.date, last: datetime.date) -> QuerySet[Gig]:
    return gigs.filter(starts_on__lte=last, ends_on__gte=first)


def not_over(gigs: QuerySet[Gig], now: datetime.datetime) -> QuerySet[Gig]:
    """The gigs still to be worked at `now` (the bureau's local time): none whose last day is past,
    nor one whose last day is today and whose hours today are over. A gig of several days whose hours
    today are over is still to be worked on the days after."""
    today = now.date()
    return gigs.exclude(ends_on__lt=today).exclude(ends_on=today, end_time__lte=now.time())


def is_over(gig: Gig, now: datetime.datetime) -> bool:
    """The same rule for one gig (a staff list marks the gigs of today that are over)."""
    today = now.date()
    return gig.ends_on < today or (gig.ends_on == today and gig.end_time <= now.time())


def _live(town: Town | None, place: GigPlace | None, first: datetime.date, days: int) -> QuerySet[Gig]:
    gigs = _in_days(
        Gig.objects.filter(status__in=LIVE_STATUSES), first, first + datetime.timedelta(days=days)
    )
    if town is not None:
        gigs = gigs.filter(town=town)
    if place is not None:
        gigs = _at_place(gigs, place)
    return gigs.select_related("work_type", "town", "village__town", "market", "service_point").order_by(
        "starts_on", "start_time", "id"
    )


def gigs_public(
    *,
    town: Town | None = None,
    place: GigPlace | None = None,
    first: datetime.date | None = None,
    days: int = WEEK,
    now: datetime.datetime | None = None,
) -> QuerySet[Gig]:
    """The gigs of the day and the coming week that are still to be worked (open or filled, and their
    hours not over at `now`, the bureau's local time), for everyone: no contact, no worker; whom to
    ask is the place they were posted at."""
    now = now or timezone.localtime()
    return not_over(_live(town, place, check_served_date(first, field="first") or now.date(), days), now)


def by_day(gigs, now: datetime.datetime | None = None) -> list[tuple[datetime.date, list[Gig]]]:
    """Gigs grouped by the first day they are still worked: one already started shows under today,
    or under tomorrow when its hours today are over and it goes on."""
    now = now or timezone.localtime()
    today = now.date()
    days: dict[datetime.date, list[Gig]] = {}
    for gig in gigs:
        day = max(gig.starts_on, today)
        if day == today and gig.ends_on > today and gig.end_time <= now.time():
            day = today + datetime.timedelta(days=1)
        days.setdefault(day, []).append(gig)
    return sorted(days.items())


def town_gigs_by_day(*, town: Town) -> list[tuple[datetime.date, list[Gig]]]:
    """The town's gigs of the day and the coming week, by day (the town card shows them)."""
    return by_day(gigs_public(town=town))


def gigs_at_market(*, market: MarketPlace, day: datetime.date) -> QuerySet[Gig]:
    """The gigs posted at a market that are worked on its market day (the booth shows them). The
    booth is the staff's: a gig of today whose hours are over stays, marked over, its candidates and
    dispatches a click away."""
    return _live(None, _place_of(market), day, 0)


def public_places(*, town: Town) -> list[GigPlace]:
    """The town's markets and job-service places, for the public page's choice."""
    markets = MarketPlace.objects.select_related("town").filter(town=town).order_by("code")
    points = ServicePoint.objects.select_related("town").filter(town=town, kind__in=JOB_SERVICE_KINDS)
    return [_place_of(m) for m in markets] + [_place_of(p) for p in points.order_by("kind", "code")]


def gig_list_for_viewer(
    *, viewer: User, place: GigPlace | None = None, first: datetime.date | None = None, days: int = WEEK
) -> QuerySet[Gig]:
    first = check_served_date(first, field="first") or timezone.localdate()
    gigs = _in_days(Gig.objects.visible_to(viewer), first, first + datetime.timedelta(days=days))
    if place is not None:
        gigs = _at_place(gigs, place)
    return gigs.select_related("work_type", "town", "village__town", "market", "service_point").order_by(
        "starts_on", "start_time", "id"
    )


def gig_get_for_viewer(*, viewer: User, gig_id: int) -> Gig:
    """The gig if it is of a town the viewer serves; the same NotFound for missing and not theirs."""
    gig = (
        Gig.objects.visible_to(viewer)
        .select_related("work_type", "village__town", "town", "market", "service_point")
        .filter(pk=gig_id)
        .first()
    )
    if gig is None:
        raise NotFound(_("No such gig."))
    return gig


def worker_of_resident(*, resident_id: int) -> GigWorker | None:
    return GigWorker.objects.filter(resident_id=resident_id).first()


# ---- the candidates ----


def gig_facts(gig: Gig) -> ordering.GigFacts:
    return ordering.GigFacts(
        id=gig.pk,
        work_type_id=gig.work_type_id,
        village_id=gig.village_id,
        first_day=gig.starts_on,
        last_day=gig.ends_on,
        start=ordering.minutes(gig.start_time),
        end=ordering.minutes(gig.end_time),
        min_age=gig.min_age,
        max_age=gig.max_age,
        heavy=gig.heavy,
    )


@dataclass(frozen=True)
class DaySignIns:
    """The day's signed-in workers of a bureau as the order reads them, and their sign-ins."""

    facts: list[ordering.WorkerFacts]
    sign_ins: dict[int, SignIn]  # worker id -> the day's sign-in (its worker and resident read)


def day_sign_ins(*, bureau_id: int, day: datetime.date) -> DaySignIns:
    """Every worker of the bureau signed in on the day, with what the order reads of them: five
    queries whatever their number (the sign-ins with their people, skills, villages, the gigs they
    are sent to, and the last day each worked). Reads no sex, ethnicity or 户籍 into the facts."""
    sign_ins = {
        s.worker_id: s
        for s in SignIn.objects.filter(bureau_id=bureau_id, day=day).select_related(
            "worker__resident__village", "market", "service_point"
        )
    }
    ids = list(sign_ins)
    skills: dict[int, set[int]] = defaultdict(set)
    for worker_id, type_id in GigWorker.work_types.through.objects.filter(gigworker_id__in=ids).values_list(
        "gigworker_id", "worktype_id"
    ):
        skills[worker_id].add(type_id)
    reach: dict[int, set[int]] = defaultdict(set)
    for worker_id, village_id in GigWorker.villages.through.objects.filter(gigworker_id__in=ids).values_list(
        "gigworker_id", "village_id"
    ):
        reach[worker_id].add(village_id)
    busy: dict[int, list[ordering.Busy]] = defaultdict(list)
    for worker_id, gig_id, first, last, start, end in Dispatch.objects.filter(
        worker_id__in=ids, status__in=BUSY_STATUSES, gig__ends_on__gte=day
    ).values_list(
        "worker_id", "gig_id", "gig__starts_on", "gig__ends_on", "gig__start_time", "gig__end_time"
    ):
        busy[worker_id].append(
            ordering.Busy(first, last, ordering.minutes(start), ordering.minutes(end), gig_id=gig_id)
        )
    last_worked = dict(
        Dispatch.objects.filter(worker_id__in=ids, status__in=BUSY_STATUSES, gig__starts_on__lt=day)
        .values("worker_id")
        .annotate(last=Max("gig__ends_on"))
        .values_list("worker_id", "last")
    )
    facts = []
    for worker_id, sign_in in sign_ins.items():
        worker = sign_in.worker
        since = last_worked.get(worker_id) or timezone.localdate(worker.created_at)
        facts.append(
            ordering.WorkerFacts(
                id=worker_id,
                signed_in_at=timezone.localtime(sign_in.signed_in_at),
                birth_date=worker.resident.birth_date,
                work_type_ids=frozenset(skills[worker_id]),
                village_ids=frozenset(reach[worker_id]),
                free_from=ordering.minutes(worker.available_from),
                free_until=ordering.minutes(worker.available_until),
                accepts_heavy=worker.accepts_heavy,
                days_waited=max(0, (day - since).days),
                busy=tuple(busy[worker_id]),
            )
        )
    return DaySignIns(facts, sign_ins)


@dataclass(frozen=True)
class CandidateRow:
    position: int
    worker: GigWorker
    sign_in: SignIn
    reasons: list[str]
    name: str  # whole for a worker of the viewer's towns, masked for one of another town
    id_number: str  # masked

    @property
    def worker_id(self) -> int:
        return self.worker.pk


@dataclass(frozen=True)
class SentRow:
    """A worker sent to the gig, named as the candidates are."""

    dispatch: Dispatch
    name: str  # whole for a worker of the viewer's towns, masked for one of another town


@dataclass(frozen=True)
class Candidates:
    gig: Gig
    day: datetime.date
    rows: list[CandidateRow]
    dispatched: list[SentRow]
    signed_in: int  # how many signed in on the day in the bureau (before the hard rules)

    @property
    def places_left(self) -> int:
        return max(0, self.gig.headcount - len(self.dispatched))

    @property
    def dispatched_ids(self) -> set[int]:
        return {sent.dispatch.worker_id for sent in self.dispatched}


def shown_name(worker: GigWorker, towns: frozenset[int]) -> str:
    """A worker's name as a list of workers shows it to a viewer serving `towns`: whole for a worker
    of those towns, masked for one of another town of the bureau (read with `resident__village`)."""
    resident = worker.resident
    return resident.name if resident.village.town_id in towns else mask_name(resident.name)


def candidate_rows(
    *, viewer: User, gig: Gig, day: datetime.date, language: str | None = None
) -> tuple[list[CandidateRow], DaySignIns]:
    """The candidates of a gig on the day in the published order, each with their reasons (in the
    given language, the active one by default). Those already sent to this gig keep their place."""
    signed = day_sign_ins(bureau_id=gig.bureau_id, day=day)
    towns = served_town_ids(viewer)
    rows = []
    with translation.override(language or translation.get_language()):
        for candidate in ordering.order_plainly(gig_facts(gig), signed.facts):
            sign_in = signed.sign_ins[candidate.worker.id]
            worker = sign_in.worker
            resident = worker.resident
            rows.append(
                CandidateRow(
                    position=candidate.position,
                    worker=worker,
                    sign_in=sign_in,
                    reasons=ordering.reasons(candidate),
                    name=shown_name(worker, towns),
                    id_number=mask_id_number(resident.id_number),
                )
            )
    return rows, signed


def candidates_for_gig(
    *, viewer: User, gig_id: int, context: RequestContext, day: datetime.date | None = None
) -> Candidates:
    """The gig's candidates on the day (today by default) in the published order, and who is sent.
    The lists name people: who was shown, candidates and those sent (on this day or before), is
    recorded (one audit row a look)."""
    require(viewer, "gig.dispatch")
    gig = gig_get_for_viewer(viewer=viewer, gig_id=gig_id)
    day = check_served_date(day, field="day") or timezone.localdate()
    rows, signed = candidate_rows(viewer=viewer, gig=gig, day=day)
    towns = served_town_ids(viewer)
    dispatched = [
        SentRow(d, shown_name(d.worker, towns))
        for d in gig.dispatches.filter(~Q(status=Dispatch.Status.CANCELLED))
        .select_related("worker__resident__village")
        .prefetch_related("passed_over")
        .order_by("position")
    ]
    shown = {r.worker.resident_id for r in rows} | {sent.dispatch.worker.resident_id for sent in dispatched}
    if shown:
        residents_listed_event(
            actor=viewer,
            bureau_id=gig.bureau_id,
            resident_ids=sorted(shown),
            what="gig_candidates",
            context=context,
        )
    return Candidates(gig, day, rows, dispatched, len(signed.facts))


def dispatch_get_for_viewer(*, viewer: User, dispatch_id: int) -> Dispatch:
    dispatch = (
        Dispatch.objects.visible_to(viewer)
        .select_related(
            "gig__work_type", "gig__village__town", "gig__market", "gig__service_point", "worker__resident"
        )
        .filter(pk=dispatch_id)
        .first()
    )
    if dispatch is None:
        raise NotFound(_("No such dispatch."))
    return dispatch


def sign_ins_at(*, viewer: User, place: GigPlace, day: datetime.date) -> list[SignIn]:
    """The day's sign-ins at a place, in the order they came."""
    at = SignIn.objects.filter(day=day, bureau_id=place.town.bureau_id)
    at = at.filter(market=place.market) if place.market else at.filter(service_point=place.service_point)
    return list(at.select_related("worker__resident").order_by("signed_in_at", "id"))


def sign_ins_seen(*, viewer: User, sign_ins: list[SignIn], context: RequestContext) -> None:
    """The workers a sign-in list named (masked), recorded as seen: one audit row, as the candidates,
    the help list and the pay page are."""
    if sign_ins:
        residents_listed_event(
            actor=viewer,
            bureau_id=sign_ins[0].bureau_id,
            resident_ids=sorted({s.worker.resident_id for s in sign_ins}),
            what="gig_sign_ins",
            context=context,
        )


def resident_by_id_number(*, viewer: User, id_number: str) -> Resident:
    """A resident of the viewer's towns by a whole ID number (check digit checked), to register them
    as a gig worker; the same NotFound for a number nobody holds and one of someone the viewer does
    not serve."""
    require(viewer, "gig.worker")
    number = parse_id_number(id_number)
    resident = (
        Resident.objects.visible_to(viewer)
        .select_related("village__town")
        .filter(id_number=number.number)
        .first()
    )
    if resident is None:
        raise NotFound(
            _("No resident of your towns has this ID number: register the resident first."), field="id_number"
        )
    return resident
