"""Writes for outreach: booth plans and booth days, consultations, village visits, home tasks,
pension certification and leaders' visits. Each checks the viewer's towns."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import is_town_cadre
from linju.access.scoping import cadres_serving, scope_to_viewer, towns_for_viewer
from linju.cases.models import Case
from linju.cases.services import (
    Intake,
    Outcome,
    allowed_actions,
    case_accept,
    case_finish,
    offline_moment,
)
from linju.catalog.models import Channel, Delegation, ServiceItem
from linju.core.errors import Conflict, DomainError, NotFound
from linju.geo.cycles import is_market_day, market_days, parse_cycle
from linju.geo.models import MarketPlace, TravelTime, Village
from linju.geo.selectors import station_of
from linju.notify.models import OutboxMessage
from linju.notify.sms import send_sms
from linju.people.models import Resident
from linju.people.phones import normalize_phone
from linju.people.selectors import resident_get_for_viewer

from .models import (
    BoothReminder,
    BoothSession,
    Certification,
    Consultation,
    HomeTask,
    LeaderVisit,
    Pensioner,
    StaffOutreach,
    VisitNeed,
    VisitRecord,
)
from .selectors import booth_get_for_viewer, booths_changed, due_by_birth_month

if TYPE_CHECKING:
    from linju.accounts.models import User

DEFAULT_BOOTH_LIMIT = 8
CERTIFICATION_NOTICE_DAYS = 30


def _staff_only(actor: User) -> None:
    require(actor, "outreach.work")


def _items_for_booth(market: MarketPlace, day: datetime.date) -> list[ServiceItem]:
    """The items a booth day features (the forms its cadres bring, named in the day-before text):
    those delegated to the town. What the booth takes is wider: the rule of acceptance's
    (`linju.catalog.acceptance`), every item not kept for the hall."""
    in_force = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    codes = Delegation.objects.filter(in_force, town=market.town).values("item")
    return list(ServiceItem.objects.filter(pk__in=codes).filter(in_force))


def _limit(user: User) -> int:
    settings = StaffOutreach.objects.filter(user=user).first()
    return settings.booth_days_per_month if settings else DEFAULT_BOOTH_LIMIT


@dataclass
class PlanResult:
    created: list[BoothSession] = field(default_factory=list)
    existing: int = 0
    conflicts: list[tuple[MarketPlace, datetime.date | None, str]] = field(default_factory=list)
    # the markets left without some of their days because every cadre had reached their limit, and
    # the residents who lose most by it (village, people, minutes more to the next place)
    losses: list[MarketLoss] = field(default_factory=list)


@dataclass
class VillageLoss:
    village: Village
    population: int
    extra_minutes: int


@dataclass
class MarketLoss:
    market: MarketPlace
    days: int
    villages: list[VillageLoss]


def _what_each_market_spares(*, town, markets: list[MarketPlace]) -> dict[int, list[VillageLoss]]:
    """For each market, the villages for which it is the nearest place to hand in a request, and the
    minutes more each would walk or ride to the next nearest (another market, the station, the hall)
    were its booth not there. From the travel model; two queries a town."""
    villages = {v.pk: v for v in Village.objects.filter(town=town)}
    options: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    market_ids = {m.pk for m in markets}
    for village_id, point_id, market_id, minutes in TravelTime.objects.filter(village__town=town).values_list(
        "village_id", "service_point_id", "market_place_id", "minutes"
    ):
        if market_id is not None and market_id not in market_ids:
            continue
        options[village_id][("market", market_id) if market_id else ("point", point_id)] = minutes
    spared: dict[int, list[VillageLoss]] = {m.pk: [] for m in markets}
    for village_id, reach in options.items():
        nearest = min(reach, key=reach.get)
        if nearest[0] != "market" or len(reach) < 2:
            continue
        others = min(minutes for place, minutes in reach.items() if place != nearest)
        village = villages[village_id]
        spared[nearest[1]].append(
            VillageLoss(
                village=village, population=village.population or 0, extra_minutes=others - reach[nearest]
            )
        )
    for losses in spared.values():
        losses.sort(key=lambda v: (-v.population * v.extra_minutes, v.village.code))
    return spared


def _most_needed_first(markets: list[MarketPlace], spared: dict[int, list[VillageLoss]]) -> list[MarketPlace]:
    """The markets whose booths spare their people the most travel first; at equal travel, a 片场
    before a town seat's market."""

    def need(market: MarketPlace) -> tuple:
        saved = sum(v.population * v.extra_minutes for v in spared[market.pk])
        return (-saved, market.kind != MarketPlace.Kind.SATELLITE, market.code)

    return sorted(markets, key=need)


@transaction.atomic
def booth_plan_generate(*, actor: User, month: datetime.date) -> PlanResult:
    """Booth days for every market day of the month in the viewer's towns that plan booths.

    Each market day gets one cadre of the town: the least booked who is free that day and under
    their monthly limit. A day nobody can take is listed as a conflict, never dropped silently.

    When the cadres' limits cannot cover every market day, the markets whose people have another
    place nearby (the town seat's market, beside the station) give way first: markets are served in
    the order of the travel they spare their villages (people × minutes to the next nearest place),
    the far 片场 before the town seat, and the plan says which residents lose most by what is left.
    """

    _staff_only(actor)
    first = month.replace(day=1)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    result = PlanResult()
    towns = towns_for_viewer(actor).filter(outreach__plans_booths=True).order_by("code")
    for town in towns:
        cadres = list(cadres_serving(town=town))
        booked: dict[int, set[datetime.date]] = defaultdict(set)
        for user_id, day in (
            BoothSession.objects.filter(staff__in=cadres, date__range=(first, last))
            .exclude(status=BoothSession.Status.CANCELLED)
            .values_list("staff", "date")
        ):
            booked[user_id].add(day)
        limits = {c.pk: _limit(c) for c in cadres}
        markets = []
        for market in MarketPlace.objects.filter(town=town, regular_booth=True).order_by("code"):
            if not market.cycle:
                result.conflicts.append((market, None, str(_("no market cycle set"))))
            else:
                markets.append(market)
        spared = _what_each_market_spares(town=town, markets=markets)
        for market in _most_needed_first(markets, spared):
            dropped = 0
            for day in market_days(parse_cycle(market.cycle), first, last):
                if BoothSession.objects.filter(market=market, date=day).exists():
                    result.existing += 1
                    continue
                free = [c for c in cadres if day not in booked[c.pk] and len(booked[c.pk]) < limits[c.pk]]
                if not free:
                    at_limit = bool(cadres) and not all(len(booked[c.pk]) < limits[c.pk] for c in cadres)
                    reason = (
                        _("every cadre of the town has reached their booth days this month")
                        if at_limit
                        else _("no cadre of the town is free that day")
                        if cadres
                        else _("the town has no cadre")
                    )
                    result.conflicts.append((market, day, str(reason)))
                    dropped += at_limit
                    continue
                cadre = min(free, key=lambda c: (len(booked[c.pk]), c.username))
                booth = BoothSession.objects.create(market=market, date=day)
                booth.staff.set([cadre])
                booth.items.set(_items_for_booth(market, day))
                booked[cadre.pk].add(day)
                result.created.append(booth)
            if dropped:
                result.losses.append(MarketLoss(market=market, days=dropped, villages=spared[market.pk][:3]))
    return result


def booth_session_create(
    *,
    actor: User,
    market_code: str,
    day: datetime.date,
    staff_ids: list[int],
    item_codes: list[str] | None = None,
) -> BoothSession:
    """One booth day by hand: on a market day, with staff of the town who are free that day."""
    from linju.accounts.models import User

    _staff_only(actor)
    market = (
        scope_to_viewer(MarketPlace.objects.select_related("town"), viewer=actor, town_path="town")
        .filter(code=market_code)
        .first()
    )
    if market is None:
        raise NotFound(_("No such market place among the towns you serve."), field="market_code")
    if market.cycle and not is_market_day(parse_cycle(market.cycle), day):
        raise DomainError(
            _("%(date)s is not a market day at %(market)s (%(cycle)s)."),
            params={"date": day.isoformat(), "market": market.name, "cycle": market.cycle},
            field="date",
            code="not_a_market_day",
        )
    staff = list(User.objects.filter(pk__in=staff_ids, is_active=True))
    if not staff or len(staff) != len(set(staff_ids)):
        raise DomainError(_("Choose who is on duty."), field="staff_ids")
    for member in staff:
        if not towns_for_viewer(member).filter(pk=market.town_id).exists():
            raise DomainError(
                _("%(name)s does not serve %(town)s."),
                params={"name": str(member), "town": market.town.name},
                field="staff_ids",
            )
    with transaction.atomic():
        busy = (
            BoothSession.objects.filter(date=day, staff__in=staff)
            .exclude(status=BoothSession.Status.CANCELLED)
            .select_related("market")
            .first()
        )
        if busy:
            raise Conflict(
                _("Someone on duty is already at %(market)s that day."),
                params={"market": busy.market.name},
                code="double_booked",
            )
        try:
            with transaction.atomic():
                booth = BoothSession.objects.create(market=market, date=day)
        except IntegrityError:
            raise Conflict(
                _("There is already a booth at this market that day."), code="booth_exists"
            ) from None
        booth.staff.set(staff)
        items = (
            ServiceItem.objects.filter(code__in=item_codes) if item_codes else _items_for_booth(market, day)
        )
        booth.items.set(items)
        booths_changed()
    return booth


def consultation_log(
    *,
    actor: User,
    booth_id: int,
    item_code: str = "",
    note: str = "",
    resident_id: int | None = None,
    case_number: str = "",
    idempotency_key: str = "",
    taken_at: datetime.datetime | None = None,
) -> Consultation:
    """A question at a booth, in a few taps. With a case number, it became that case. Logged
    offline by the field app, it comes with its key (sent twice, logged once) and its moment."""
    _staff_only(actor)
    moment = offline_moment(taken_at) if taken_at is not None else timezone.now()
    key = idempotency_key.strip()[:80] or None
    with transaction.atomic():
        booth = booth_get_for_viewer(viewer=actor, booth_id=booth_id)
        if key is not None:
            again = Consultation.objects.filter(
                bureau_id=booth.market.town.bureau_id, idempotency_key=key
            ).first()
            if again is not None:
                return again
        item = ServiceItem.objects.filter(code=item_code).first() if item_code else None
        if item_code and item is None:
            raise NotFound(
                _("No service item with code %(code)s."), params={"code": item_code}, field="item_code"
            )
        resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id) if resident_id else None
        case = None
        if case_number:
            case = (
                scope_to_viewer(Case.objects.all(), viewer=actor, town_path="town")
                .filter(number=case_number)
                .first()
            )
            if case is None:
                raise NotFound(_("No such case."), field="case_number")
            linked = Consultation.objects.filter(case=case).first()
            if linked is not None:
                return linked  # the same case sent again (its idempotency key): logged once
            resident, item = case.applicant, case.item
        if item is None and not note.strip():
            raise DomainError(_("Choose a topic or write a note."), field="item_code")
        try:
            with transaction.atomic():  # a savepoint: a twin sent at the same moment may win the key
                consultation = Consultation.objects.create(
                    bureau_id=booth.market.town.bureau_id,
                    booth=booth,
                    item=item,
                    note=note.strip()[:300],
                    resident=resident,
                    outcome=Consultation.Outcome.CASE if case else Consultation.Outcome.ANSWERED,
                    case=case,
                    created_by=actor,
                    created_at=moment,
                    idempotency_key=key,
                )
        except IntegrityError:
            if key is None:
                raise
            return Consultation.objects.get(bureau_id=booth.market.town.bureau_id, idempotency_key=key)
        if booth.status == BoothSession.Status.PLANNED:
            booth.status = BoothSession.Status.HELD
            booth.save(update_fields=["status", "updated_at"])
    return consultation


def consultation_to_case(
    *, actor: User, booth_id: int, intake: Intake, note: str = "", now: datetime.datetime | None = None
) -> Consultation:
    """A booth question turned into a case: the case is taken at the booth's market place, and is
    that booth's."""
    booth = booth_get_for_viewer(viewer=actor, booth_id=booth_id)
    intake.channel = Channel.BOOTH
    intake.market_code = booth.market.code
    intake.booth_id = booth.pk
    intake.service_point_code = intake.village_code = ""
    with transaction.atomic():
        case = case_accept(actor=actor, intake=intake, now=now)
        return consultation_log(actor=actor, booth_id=booth_id, note=note, case_number=case.number)


@dataclass
class NeedIn:
    description: str
    outcome: str
    due_date: datetime.date | None = None
    resident_id: int | None = None
    item_code: str = ""


MAX_HOUSEHOLDS_MET = 1000


def visit_record(
    *,
    actor: User,
    village_code: str,
    day: datetime.date,
    cadre_ids: list[int],
    households_met: int = 0,
    notes: str = "",
    needs: list[NeedIn] | None = None,
    idempotency_key: str = "",
) -> VisitRecord:
    """A village visit with what people raised; a need 'turned into a case' is taken there and then.
    Recorded offline by the field app, it comes with its key: sent twice, recorded once."""
    from linju.accounts.models import User

    _staff_only(actor)
    village = (
        scope_to_viewer(Village.objects.select_related("town"), viewer=actor, town_path="town")
        .filter(code=village_code)
        .first()
    )
    if village is None:
        raise NotFound(_("No such village among the towns you serve."), field="village_code")
    if day > timezone.localdate():
        raise DomainError(_("A visit is recorded after it happened."), field="date")
    if not 0 <= households_met <= MAX_HOUSEHOLDS_MET:
        raise DomainError(_("Households met: a number from 0 to 1,000."), field="households_met")
    key = idempotency_key.strip()[:80] or None
    if key is not None:
        again = VisitRecord.objects.filter(bureau_id=village.town.bureau_id, idempotency_key=key).first()
        if again is not None:
            return again
    cadres = list(User.objects.filter(pk__in=cadre_ids or [actor.pk], is_active=True))
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a twin sent at the same moment may win the key
                visit = VisitRecord.objects.create(
                    bureau_id=village.town.bureau_id,
                    village=village,
                    date=day,
                    households_met=households_met,
                    notes=notes.strip(),
                    created_by=actor,
                    idempotency_key=key,
                )
        except IntegrityError:
            if key is None:
                raise
            return VisitRecord.objects.get(bureau_id=village.town.bureau_id, idempotency_key=key)
        visit.cadres.set(cadres)
        for need in needs or []:
            if need.outcome not in VisitNeed.Outcome.values:
                raise DomainError(_("Say how each need was handled."), field="needs")
            if not need.description.strip():
                raise DomainError(_("Describe each need."), field="needs")
            case = None
            if need.outcome == VisitNeed.Outcome.CASE:
                if not (need.item_code and need.resident_id):
                    raise DomainError(
                        _("A need turned into a case needs the item and the person."), field="needs"
                    )
                case = case_accept(
                    actor=actor,
                    intake=Intake(
                        item_code=need.item_code,
                        channel=Channel.HOME_VISIT,
                        village_code=village.code,
                        applicant_id=need.resident_id,
                        description=need.description,
                    ),
                )
            if need.outcome == VisitNeed.Outcome.FOLLOW_UP and need.due_date is None:
                raise DomainError(_("A follow-up needs a date."), field="needs")
            resident = (
                resident_get_for_viewer(viewer=actor, resident_id=need.resident_id)
                if need.resident_id
                else None
            )
            VisitNeed.objects.create(
                bureau_id=visit.bureau_id,
                visit=visit,
                description=need.description.strip()[:300],
                resident=resident,
                outcome=need.outcome,
                case=case,
                due_date=need.due_date,
                done=need.outcome == VisitNeed.Outcome.CLOSED,
            )
    return visit


MAX_VISIT_DAYS_AHEAD = 90


def _cadre_of(town_id: int) -> User | None:
    """The town's cadre who gets its home tasks: the first who serves it."""
    return cadres_serving().filter(towns=town_id).order_by("pk").first()


def home_task_create(
    *,
    actor: User,
    kind: str,
    resident_id: int,
    asked_via: str,
    due_date: datetime.date,
    assigned_to: User | None = None,
    item: ServiceItem | None = None,
    case: Case | None = None,
    address: str = "",
    note: str = "",
    certification_year: int | None = None,
) -> HomeTask:
    """A visit to someone's home. A task for a town's cadres goes to its cadre; one made from
    discovery or a phone request keeps the item to bring or tell them about."""
    _staff_only(actor)
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    if kind not in HomeTask.Kind.values or asked_via not in HomeTask.AskedVia.values:
        raise DomainError(_("Choose the kind of task and how it was asked for."), field="kind")
    today = timezone.localdate()
    if not today <= due_date <= today + datetime.timedelta(days=MAX_VISIT_DAYS_AHEAD):
        raise DomainError(_("Choose a visit date from today to 90 days ahead."), field="due_date")
    if kind == HomeTask.Kind.CERTIFICATION:
        certification_year = certification_year or due_date.year
        planned = HomeTask.objects.filter(resident=resident, certification_year=certification_year).first()
        if planned is not None:
            raise Conflict(
                _("A home certification for this year is already planned on %(date)s."),
                params={"date": planned.due_date.isoformat()},
                code="already_planned",
            )
    if assigned_to is None:
        assigned_to = actor if is_town_cadre(actor) else _cadre_of(resident.village.town_id) or actor
    return HomeTask.objects.create(
        bureau_id=resident.bureau_id,
        kind=kind,
        resident=resident,
        asked_via=asked_via,
        due_date=due_date,
        assigned_to=assigned_to,
        item=item,
        case=case,
        address=" ".join(address.split())[:200],
        note=note.strip()[:500],
        certification_year=certification_year if kind == HomeTask.Kind.CERTIFICATION else None,
    )


@dataclass(frozen=True)
class PhoneRequest:
    """一个电话: who called, for whom, what, and whether someone must come to the house."""

    intake: Intake  # channel phone; the person's village as the place when a visit is needed
    caller: str = ""  # the caller's name, phone and relationship when not the person themselves
    cannot_travel: bool = False
    visit_date: datetime.date | None = None
    task_kind: str = HomeTask.Kind.OTHER
    address: str = ""


@dataclass(frozen=True)
class PhoneTaken:
    case: Case
    task: HomeTask | None


def phone_request_take(*, actor: User, request: PhoneRequest) -> PhoneTaken:
    """A phone request becomes a case (channel phone) and, when the person cannot travel, a home
    task for their town's cadre on the date given, in one transaction: both or neither."""
    intake = request.intake
    if intake.channel != Channel.PHONE:
        raise DomainError(_("A phone request is taken on the phone channel."), field="channel")
    if request.cannot_travel and request.visit_date is None:
        raise DomainError(_("Choose the day of the home visit."), field="visit_date")
    if request.task_kind not in HomeTask.Kind.values:
        raise DomainError(_("Choose the kind of home service."), field="task_kind")
    if request.caller:
        caller = str(_("Caller")) + ": " + request.caller[:100]
        intake.description = f"{caller}\n{intake.description}".strip()
    with transaction.atomic():
        case = case_accept(actor=actor, intake=intake)
        task = None
        if request.cannot_travel:
            task = home_task_create(
                actor=actor,
                kind=request.task_kind,
                resident_id=case.applicant_id,
                asked_via=HomeTask.AskedVia.PHONE,
                due_date=request.visit_date,
                item=case.item,
                case=case,
                address=request.address,
                note=intake.description,
            )
    return PhoneTaken(case=case, task=task)


def home_certification_schedule(
    *, actor: User, pensioner_id: int, year: int, visit_date: datetime.date
) -> HomeTask:
    """From the roster, in one step: the pensioner cannot travel, and a cadre of their town comes to
    take the fingerprint on the day given (once a year: a second press gives back the same task)."""
    _staff_only(actor)
    with transaction.atomic():
        pensioner = (
            scope_to_viewer(
                Pensioner.objects.select_for_update(), viewer=actor, town_path="resident__village__town"
            )
            .filter(pk=pensioner_id)
            .select_related("resident__village")
            .first()
        )
        if pensioner is None:
            raise NotFound(_("No such pensioner."))
        if Certification.objects.filter(pensioner=pensioner, year=year).exists():
            raise Conflict(_("Already certified this year."), code="certified")
        if not pensioner.cannot_travel:
            pensioner.cannot_travel = True
            pensioner.save(update_fields=["cannot_travel", "updated_at"])
        existing = HomeTask.objects.filter(resident=pensioner.resident, certification_year=year).first()
        if existing is not None:
            return existing
        task = home_task_create(
            actor=actor,
            kind=HomeTask.Kind.CERTIFICATION,
            resident_id=pensioner.resident_id,
            asked_via=HomeTask.AskedVia.ROSTER,
            due_date=visit_date,
            assigned_to=_cadre_of(pensioner.resident.village.town_id),
            certification_year=year,
        )
    return task


def pensioner_certify(*, actor: User, pensioner_id: int, year: int, method: str) -> Certification:
    """From the roster: the pensioner of one of the actor's towns confirmed they are alive this year
    (it keeps their pension paid), so only those who may certify record it."""
    require(actor, "outreach.certify")
    pensioner = (
        scope_to_viewer(Pensioner.objects.all(), viewer=actor, town_path="resident__village__town")
        .filter(pk=pensioner_id)
        .select_related("resident__village")
        .first()
    )
    if pensioner is None:
        raise NotFound(_("No such pensioner."))
    return certification_record(
        actor=actor, pensioner=pensioner, year=year, method=method, on=timezone.localdate()
    )


def certification_record(
    *, actor: User, pensioner: Pensioner, year: int, method: str, on: datetime.date
) -> Certification:
    """This year's certification; recording it twice keeps the first. Every way in (the roster, a
    home visit) passes here, and is refused to whoever may not certify."""
    require(actor, "outreach.certify")
    if method not in Certification.Method.values:
        raise DomainError(_("Choose how the pensioner was certified."), field="method")
    certification, _created = Certification.objects.get_or_create(
        pensioner=pensioner,
        year=year,
        defaults={
            "bureau_id": pensioner.bureau_id,
            "method": method,
            "certified_on": on,
            "certified_by": actor,
        },
    )
    certification.pensioner = pensioner  # as read (with its village), for the caller
    return certification


def home_task_complete(
    *, actor: User, task_id: int, result: str, done_on: datetime.date | None = None
) -> HomeTask:
    """Done; a fingerprint certification at home also certifies the pensioner for the year."""
    _staff_only(actor)
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        task = (
            scope_to_viewer(
                HomeTask.objects.select_for_update(), viewer=actor, town_path="resident__village__town"
            )
            .filter(pk=task_id)
            .first()
        )
        if task is None:
            raise NotFound(_("No such home task."))
        if task.status == HomeTask.Status.DONE and task.result == result.strip():
            return task  # the field app sent the same result again: recorded once
        if task.status != HomeTask.Status.OPEN:
            raise Conflict(_("This task is already closed."), code="task_closed")
        if not result.strip():
            raise DomainError(_("Write what was done."), field="result")
        if done_on > timezone.localdate():
            raise DomainError(_("The day it was done cannot be after today."), field="done_on")
        task.status, task.result, task.done_on = HomeTask.Status.DONE, result.strip(), done_on
        task.save(update_fields=["status", "result", "done_on", "updated_at"])
        if task.kind == HomeTask.Kind.CERTIFICATION:
            pensioner = Pensioner.objects.filter(resident=task.resident).first()
            if pensioner is None:
                raise DomainError(_("This resident is not on the pension roster."))
            certification_record(
                actor=actor,
                pensioner=pensioner,
                year=task.certification_year or done_on.year,
                method=Certification.Method.HOME_VISIT,
                on=done_on,
            )
        _finish_the_case_of(task, actor)
    return task


def _finish_the_case_of(task: HomeTask, actor: User) -> None:
    """The visit answers the phone request: its case is finished with the visit's result, where
    the cadre may finish it (a case the district finishes stays with the district)."""
    case = task.case
    if case is None or case.status not in Case.OPEN:
        return
    case = Case.objects.select_related("item", "town", "applicant").get(pk=case.pk)
    if "finish" not in allowed_actions(case, actor):
        return
    kind = Case.Outcome.GRANTED if task.kind == HomeTask.Kind.CERTIFICATION else Case.Outcome.OTHER
    case_finish(
        actor=actor,
        number=case.number,
        outcome=Outcome(kind=kind, detail=task.result),
        note=str(_("Done on the home visit: %(result)s") % {"result": task.result[:200]}),
    )


def certification_home_tasks(*, year: int, today: datetime.date | None = None) -> int:
    """For pensioners who cannot travel and are not yet certified this year, a fingerprint visit at
    home: from a month before their due date, once a year, to a cadre of their town.

    In bulk (a district has tens of thousands of such pensioners): the cadres of every town, the
    tasks already made and the pensioners are read once each, the new tasks written together; the
    unique (resident, year) key keeps a task from being made twice by two runs at once."""

    today = today or timezone.localdate()
    cadre_of: dict[int, int] = {}
    for town_id, user_id in cadres_serving().values_list("towns", "pk"):
        cadre_of.setdefault(town_id, user_id)
    already = set(HomeTask.objects.filter(certification_year=year).values_list("resident_id", flat=True))
    done = Certification.objects.filter(year=year).values("pensioner")
    tasks = []
    for resident_id, birth_date, town_id, bureau_id in (
        Pensioner.objects.filter(cannot_travel=True)
        .exclude(pk__in=done)
        .values_list("resident_id", "resident__birth_date", "resident__village__town_id", "bureau_id")
        .iterator(chunk_size=10_000)
    ):
        due_by = due_by_birth_month(birth_date, year)
        if resident_id in already or due_by - datetime.timedelta(days=CERTIFICATION_NOTICE_DAYS) > today:
            continue
        tasks.append(
            HomeTask(
                bureau_id=bureau_id,
                kind=HomeTask.Kind.CERTIFICATION,
                asked_via=HomeTask.AskedVia.ROSTER,
                resident_id=resident_id,
                certification_year=year,
                due_date=max(due_by, today),
                assigned_to_id=cadre_of.get(town_id),
            )
        )
    HomeTask.objects.bulk_create(tasks, batch_size=5_000, ignore_conflicts=True)
    return len(tasks)


def leader_visit_record(
    *,
    actor: User,
    kind: str,
    day: datetime.date,
    town_code: str,
    findings: str,
    enterprise: str = "",
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
    employer_id: int | None = None,
) -> LeaderVisit:
    """A leader's visit. A visit to an employer on record links its findings (recruiting trouble,
    say) to that employer, so the jobs pages show them beside its unfilled vacancies."""
    from linju.jobs.selectors import employers_for_viewer

    require(actor, "outreach.leader_visit")
    town = towns_for_viewer(actor).filter(code=town_code).first()
    if town is None:
        raise NotFound(_("No such town in your bureau."), field="town_code")
    if kind not in LeaderVisit.Kind.values:
        raise DomainError(_("Say whether a town or an enterprise was visited."), field="kind")
    employer = None
    if employer_id:
        employer = employers_for_viewer(actor).filter(pk=employer_id).first()
        if employer is None:
            raise NotFound(_("No such employer."), field="employer_id")
        enterprise = enterprise.strip() or employer.name
    if kind == LeaderVisit.Kind.ENTERPRISE and not enterprise.strip():
        raise DomainError(_("Name the enterprise."), field="enterprise")
    if not findings.strip():
        raise DomainError(_("Write what was found."), field="findings")
    if follow_up.strip() and follow_up_due is None:
        raise DomainError(_("A follow-up needs a date."), field="follow_up_due")
    return LeaderVisit.objects.create(
        leader=actor,
        kind=kind,
        date=day,
        town=town,
        enterprise=enterprise.strip(),
        employer=employer,
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        follow_up_due=follow_up_due,
    )


# Texts the day before a booth (issue 19, 4) -------------------------------------------------------

REMINDER_PURPOSE = "booth_reminder"
STOP_WORDS = {"td", "t", "退订", "取消", "n", "stop", "unsubscribe"}


def booth_reminder_opt_in(*, actor: User, resident_id: int, channel: str) -> BoothReminder:
    """The resident asked (at the counter, a booth, by phone, on a visit) for a text the day before
    a booth near their village: recorded with the moment and the channel, by the one who heard it.
    Asking again while it stands changes nothing."""
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    require(actor, "outreach.work", resident)
    if channel not in BoothReminder.Channel.values:
        raise DomainError(_("Choose where the resident asked."), field="channel")
    if not resident.phone or "-" in resident.phone:
        raise DomainError(
            _("%(name)s has no mobile phone on record: add one first."),
            params={"name": resident.name},
            field="phone",
        )
    with transaction.atomic():
        standing = (
            BoothReminder.objects.select_for_update().filter(resident=resident, withdrawn_at=None).first()
        )
        if standing:
            return standing
        reminder = BoothReminder(
            bureau_id=resident.bureau_id,
            resident=resident,
            channel=channel,
            opted_in_at=timezone.now(),
            recorded_by=actor,
        )
        reminder.full_clean()
        reminder.save()
    return reminder


def booth_reminder_stop(*, actor: User, resident_id: int) -> int:
    """The resident told the staff they want no more booth texts."""
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    require(actor, "outreach.work", resident)
    return BoothReminder.objects.filter(resident=resident, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_via=BoothReminder.Withdrawal.STAFF
    )


def booth_reminders_withdraw_by_phone(*, phone: str, via: str) -> int:
    """Whoever holds the phone wants no more booth texts (a reply of 退订, or the status page):
    every standing reminder of a resident with that number ends. Says nothing about whether there was
    one (the caller answers the same either way)."""
    number = normalize_phone(phone)
    return BoothReminder.objects.filter(
        resident__in=Resident.objects.filter(phone=number), withdrawn_at=None
    ).update(withdrawn_at=timezone.now(), withdrawn_via=via)


def sms_reply_received(*, phone: str, text: str) -> int:
    """A text a resident sent back through the gateway: a stop word ends their booth texts."""
    if text.strip().lower() in STOP_WORDS:
        return booth_reminders_withdraw_by_phone(phone=phone, via=BoothReminder.Withdrawal.REPLY)
    return 0


def booth_reminders_send(*, today: datetime.date | None = None) -> int:
    """The day before each planned booth, a text to every resident of the villages its market
    serves (its town's, when the market names none) who asked for one and has not withdrawn: once
    per booth and person, however often this runs."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    sent = 0
    booths = (
        BoothSession.objects.filter(date=tomorrow, status=BoothSession.Status.PLANNED)
        .select_related("market__town")
        .prefetch_related("market__villages", "items")
    )
    for booth in booths:
        market = booth.market
        villages = [v.pk for v in market.villages.all()] or list(
            Village.objects.filter(town_id=market.town_id).values_list("pk", flat=True)
        )
        reminders = BoothReminder.objects.filter(
            resident__village_id__in=villages, withdrawn_at=None, bureau_id=market.town.bureau_id
        ).select_related("resident")
        done = set(
            OutboxMessage.objects.filter(
                purpose=REMINDER_PURPOSE, reference__startswith=f"booth-{booth.pk}-"
            ).values_list("reference", flat=True)
        )
        station = station_of(town_id=market.town_id)
        items = "、".join(i.name for i in list(booth.items.all())[:3])
        values = {
            "day": f"{tomorrow.month}月{tomorrow.day}日",
            "market": market.name,
            "items": items or "",
            "phone": station.phone if station else "",
        }
        with translation.override("zh-hans"):
            text = (
                str(
                    _(
                        "[Qijiang HRSS] Tomorrow (%(day)s) 8:00–12:00 social-security cadres are at %(market)s "
                        "market: %(items)s and more. Phone %(phone)s. Reply TD to stop these texts."
                    )
                )
                % values
            )
        for reminder in reminders:
            reference = f"booth-{booth.pk}-{reminder.resident_id}"
            if reference in done:
                continue
            if send_sms(
                bureau_id=reminder.bureau_id,
                phone=reminder.resident.phone,
                text=text,
                purpose=REMINDER_PURPOSE,
                reference=reference,
                params=values,
            ):
                sent += 1
    return sent
