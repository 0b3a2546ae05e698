"""Writes to cases: intake, the life of a case, ratings. Every step is one transaction that locks
the case, checks the viewer's scope and the allowed transition, writes an event, and sends the
resident's text message once the transaction has committed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can, require, require_personal_export
from linju.access.scoping import towns_for_viewer
from linju.catalog.models import Channel, Delegation, ServiceItem
from linju.catalog.selectors import delegation_in_force, item_by_code
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound, PermissionDenied
from linju.core.request_context import RequestContext
from linju.geo.models import Bureau, ServicePoint, Town, Village
from linju.geo.selectors import bureau_by_id, market_place_by_code, service_point_by_code
from linju.notify.sms import send_sms
from linju.people.idnumbers import normalize, parse_id_number
from linju.people.models import Resident
from linju.people.selectors import resident_get_for_viewer
from linju.people.services import (
    person_directory_claim,
    registered_elsewhere_as_someone_else,
    resident_register,
    same_name,
)
from linju.workdays.selectors import add_working_days, calendar

from .models import Case, CaseCounter, CaseEvent, FollowUp, Rating
from .selectors import case_get_for_viewer, case_public_status, with_timeline

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_MATERIALS = 30


@dataclass
class NewPerson:
    """Someone not yet in the registry, recorded at intake."""

    name: str
    id_number: str
    phone: str
    village_code: str


@dataclass
class Intake:
    item_code: str
    channel: str
    applicant_id: int | None = None
    person: NewPerson | None = None
    service_point_code: str = ""
    market_code: str = ""
    village_code: str = ""
    description: str = ""
    materials_received: list[str] = field(default_factory=list)
    materials_missing: list[str] = field(default_factory=list)
    idempotency_key: str = ""


def _clean_materials(values: list[str], field_name: str) -> list[str]:
    cleaned = [" ".join(str(v).split())[:120] for v in values if str(v).strip()]
    if len(cleaned) > MAX_MATERIALS:
        raise DomainError(_("At most 30 materials."), field=field_name)
    return cleaned


def _next_number(bureau: Bureau, day: datetime.date) -> str:
    """The bureau's next case number of the day (QJ-20261129-0001): one statement that creates or
    bumps the bureau's counter for the day, inside the intake's own transaction. Its row lock is held
    until that transaction ends and locks no other bureau's intakes; a failed intake rolls its number
    back: no gap, no repeat, no second commit."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bureau_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (bureau_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [bureau.pk, day],
        )
        (last,) = cursor.fetchone()
    return f"{bureau.code}-{day:%Y%m%d}-{last:04d}"


def _where_taken(actor: User, intake: Intake, applicant_town: Town | None):
    """(town, level, point, market, village) for the place the case was taken."""
    point = market = village = None
    if intake.service_point_code:
        point = service_point_by_code(code=intake.service_point_code)
        if point is None:
            raise NotFound(_("No such service point."), field="service_point_code")
    if intake.market_code:
        market = market_place_by_code(code=intake.market_code)
        if market is None:
            raise NotFound(_("No such market place."), field="market_code")
    if intake.village_code:
        village = Village.objects.select_related("town").filter(code=intake.village_code).first()
        if village is None:
            raise NotFound(_("No such village."), field="village_code")
    required = {
        Channel.COUNTER: (point, "service_point_code", _("Say at which service point the case is taken.")),
        Channel.BOOTH: (market, "market_code", _("Say at which market place the booth is.")),
        Channel.HOME_VISIT: (village, "village_code", _("Say in which village the visit is.")),
    }.get(intake.channel)
    if required and required[0] is None:
        raise DomainError(required[2], field=required[1])
    if sum(x is not None for x in (point, market, village)) > 1:
        raise DomainError(_("A case is taken at one place only."), field="service_point_code")
    if point is not None and point.kind == ServicePoint.Kind.DISTRICT_HALL:
        return applicant_town, Case.Level.DISTRICT, point, None, None
    town = (point or market or village).town if (point or market or village) else applicant_town
    return town, Case.Level.TOWN, point, market, village


def _known_person(person: NewPerson, served: set[int], bureau_id: int) -> Resident | None:
    """The resident of the actor's bureau who holds the typed ID number, when the actor may take a
    case for them: someone of the towns the actor serves, or (a person from elsewhere at this booth)
    someone whose registered name is the name typed. Otherwise the same "no such resident" as any
    look-up of a stranger: an ID number typed at intake is not a way to learn who holds it. Someone
    registered only in another bureau, under the name typed, is None: registered here, the
    directory records the move."""
    number = normalize(person.id_number)
    existing = (
        Resident.objects.filter(bureau_id=bureau_id, id_number=number).select_related("village__town").first()
    )
    if existing is None:
        if not registered_elsewhere_as_someone_else(id_number=number, name=person.name, bureau_id=bureau_id):
            return None
    elif existing.village.town_id in served or same_name(existing.name, person.name):
        return existing
    raise NotFound(_("No such resident."), field="person.id_number")


def _applicant(actor: User, intake: Intake, served: set[int], bureau_id: int) -> Resident:
    if intake.applicant_id:
        return resident_get_for_viewer(viewer=actor, resident_id=intake.applicant_id)
    if intake.person is None:
        raise DomainError(
            _("Choose the applicant, or record them: name, ID number, phone, village."), field="applicant_id"
        )
    try:
        number = parse_id_number(intake.person.id_number).number
    except DomainError:
        number = None  # registering says what is wrong with it, with the other fields
    # someone nobody has registered anywhere: the directory takes the number, and no look-up is needed
    claimed = number is not None and person_directory_claim(id_number=number, bureau_id=bureau_id)
    known = None if claimed else _known_person(intake.person, served, bureau_id)
    if known is not None:
        return known
    try:
        return resident_register(
            actor=actor,
            name=intake.person.name,
            id_number=intake.person.id_number,
            phone=intake.person.phone,
            village_code=intake.person.village_code,
            how="intake",
            claimed=claimed,
        )
    except Conflict as conflict:
        # a twin intake registered the same person a moment ago: theirs is the one resident
        known = _known_person(intake.person, served, bureau_id) if conflict.field == "id_number" else None
        if known is None:
            raise
        return known


def _sms(case: Case, purpose: str, message, **params) -> None:
    """Queue the resident's text message for after the commit, in Chinese."""
    phone = case.applicant.phone
    number = case.number
    bureau_id = case.bureau_id

    def send() -> None:
        with translation.override("zh-hans"):
            text = str(message) % {"number": number, **params}
        send_sms(bureau_id=bureau_id, phone=phone, text=text, purpose=purpose, reference=number)

    transaction.on_commit(send)


def _event_row(
    case: Case,
    action: str,
    actor: User | None,
    from_status: str,
    *,
    at: datetime.datetime,
    to_status: str = "",
    note: str = "",
    **detail,
) -> CaseEvent:
    """One step of the case's timeline, not yet saved (`to_status`: the case's status by default)."""
    return CaseEvent(
        bureau_id=case.bureau_id,
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status or case.status,
        actor=actor,
        created_at=at,
        note=note,
        detail=detail,
    )


def _event(case: Case, action: str, actor: User | None, from_status: str, *, at: datetime.datetime, **kwargs):
    event = _event_row(case, action, actor, from_status, at=at, **kwargs)
    event.save()
    return event


@dataclass(frozen=True)
class Accepted:
    case: Case
    created: bool  # False: the idempotency key had already made this case
    events: list[CaseEvent] | None = None  # the events just written, when created


def case_accept(*, actor: User, intake: Intake, now: datetime.datetime | None = None) -> Case:
    """Take a case anywhere. The same idempotency key always gives back the same case."""
    return case_accept_once(actor=actor, intake=intake, now=now).case


def case_accept_once(*, actor: User, intake: Intake, now: datetime.datetime | None = None) -> Accepted:
    """Take a case, and say whether it was made now or an earlier call with the same idempotency key
    had made it. The database decides (the key is unique): the intake is one transaction, and when
    its insert meets the key the whole of it rolls back (number, new resident and all) and the case
    that holds the key is returned. Every caller with one key gets the one case, however many race.

    A handful of queries: the towns the actor serves, the applicant, the place, the day's counter,
    the case and its events. The item, the delegations, the service points and the calendar are
    held in the process (linju/core/versioned.py)."""
    served = set(towns_for_viewer(actor).order_by().values_list("pk", flat=True))
    require(actor, "case.accept")
    if not served:
        raise PermissionDenied(_("Your role does not take cases."))
    if actor.bureau_id is None:
        raise PermissionDenied(_("Your account belongs to no bureau: a case is taken for one bureau."))
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    checks = ErrorCollector()
    try:
        item = item_by_code(code=intake.item_code)
    except NotFound:
        item = None
        checks.errors.append(
            NotFound(
                _("No service item with code %(code)s."), params={"code": intake.item_code}, field="item_code"
            )
        )
    if item is not None and not item.in_force_on(today):
        checks.errors.append(DomainError(_("This item is no longer offered."), field="item_code"))
    elif item is not None and intake.channel in Channel.values and not item.accepts(intake.channel):
        checks.errors.append(
            DomainError(_("This item cannot be taken through this channel."), field="channel")
        )
    if intake.channel not in Channel.values:
        checks.errors.append(DomainError(_("Choose a channel from the list."), field="channel"))
    received = checks.check(_clean_materials, intake.materials_received, "materials_received") or []
    missing = checks.check(_clean_materials, intake.materials_missing, "materials_missing") or []
    checks.raise_if_any()

    try:
        with transaction.atomic():
            case, events = _take(actor, intake, item, served, now, received, missing)
    except IntegrityError:
        if not intake.idempotency_key:
            raise
        # the key was there first (a retry, or a twin racing this one): its case is the answer
        existing = Case.objects.filter(
            bureau_id=actor.bureau_id, idempotency_key=intake.idempotency_key
        ).values_list("number", flat=True)
        return Accepted(case=case_get_for_viewer(viewer=actor, number=existing.get()), created=False)
    _sms(
        case,
        "accepted",
        _(
            "[Qijiang HRSS] Your request for %(item)s is accepted, number %(number)s. We will answer by %(date)s."
        ),
        item=item.name,
        date=case.promised_date.strftime("%Y-%m-%d"),
    )
    if missing:
        _sms(
            case,
            "suspended",
            _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s."),
            missing="、".join(missing),
        )
    return Accepted(case=case, created=True, events=events)


def _take(
    actor: User,
    intake: Intake,
    item: ServiceItem,
    served: set[int],
    now: datetime.datetime,
    received: list[str],
    missing: list[str],
) -> tuple[Case, list[CaseEvent]]:
    """The writes of an intake, inside its transaction: the case and its first events."""
    today = now.date()
    applicant = _applicant(actor, intake, served, actor.bureau_id)
    town, level, point, market, village = _where_taken(actor, intake, applicant.village.town)
    if town.pk not in served:
        raise NotFound(_("That place is not among the towns you serve."), field="service_point_code")
    if level == Case.Level.TOWN:
        if item.hall_only and any(place is not None for place in (point, market, village)):
            raise DomainError(
                _("“%(item)s” is taken only at the district service hall: %(reason)s"),
                params={"item": item.name, "reason": item.hall_only_reason},
                code="hall_only",
                field="item_code",
            )
        # a station, booth or visit accepts every other item: delegation says only who finishes it
        # (the station, or the district once forwarded). By phone or online, with no place to
        # forward from, the district takes what the station does not handle.
        no_place = point is None and market is None and village is None
        if no_place and delegation_in_force(item=item, town=town, on_date=today) is None:
            level = Case.Level.DISTRICT
    deadline = add_working_days(today, item.time_limit_days)
    bureau = bureau_by_id(bureau_id=town.bureau_id)
    case = Case(
        bureau=bureau,
        number=_next_number(bureau, today),  # last: the day's counter stays locked only until the commit
        applicant=applicant,
        item=item,
        channel=intake.channel,
        town=town,
        taken_at_point=point,
        taken_at_market=market,
        taken_at_village=village,
        taken_by=actor,
        description=intake.description.strip()[:2000],
        materials_received=received,
        materials_missing=missing,
        status=Case.Status.SUSPENDED if missing else Case.Status.ACCEPTED,
        level=level,
        accepted_at=now,
        promised_date=deadline.date,
        promised_estimated=deadline.estimated,
        suspended_on=today if missing else None,
        remaining_days=item.time_limit_days if missing else None,
        idempotency_key=intake.idempotency_key or None,
    )
    case.save()
    accepted = Case.Status.ACCEPTED
    events = [
        _event_row(
            case, CaseEvent.Action.ACCEPT, actor, "", to_status=accepted, at=now, channel=intake.channel
        )
    ]
    if missing:
        events.append(_event_row(case, CaseEvent.Action.SUSPEND, actor, accepted, at=now, missing=missing))
    CaseEvent.objects.bulk_create(events)
    return case, events


@dataclass(frozen=True)
class Step:
    """One allowed move of a case: from which statuses, to which, and the capability it needs."""

    sources: frozenset[str]
    target: str
    capability: str


_OPEN = (Case.Status.ACCEPTED, Case.Status.IN_PROGRESS, Case.Status.FORWARDED)
# the one table of allowed moves: the page, the API, the demo loader and every service read it
TRANSITIONS: dict[str, Step] = {
    "start": Step(
        frozenset({Case.Status.ACCEPTED, Case.Status.FORWARDED}), Case.Status.IN_PROGRESS, "case.start"
    ),
    "suspend": Step(frozenset(_OPEN), Case.Status.SUSPENDED, "case.suspend"),
    "resume": Step(frozenset({Case.Status.SUSPENDED}), Case.Status.IN_PROGRESS, "case.resume"),
    "forward": Step(
        frozenset({Case.Status.ACCEPTED, Case.Status.IN_PROGRESS}), Case.Status.FORWARDED, "case.forward"
    ),
    "finish": Step(frozenset(_OPEN), Case.Status.FINISHED, "case.finish"),
    "return": Step(frozenset({*_OPEN, Case.Status.SUSPENDED}), Case.Status.RETURNED, "case.return"),
}


def allowed_actions(case: Case, viewer: User | None = None) -> list[str]:
    """The moves the case's status allows and its level and item make sense of (a station forwards
    what it does not finish), and, given a viewer who read the case through their scope, that they
    may make. The delegations are held in the process: no query."""
    return [
        action
        for action, step in TRANSITIONS.items()
        if case.status in step.sources
        and (action != "forward" or _forwardable(case))
        and (viewer is None or can(viewer, step.capability, case, read_in_scope=True))
        and (action != "finish" or viewer is None or not _forwardable(case) or can(viewer, "hall.work"))
    ]


def _move(
    actor: User,
    number: str,
    action: str,
    change: Callable[[Case, datetime.date], dict],
    *,
    note: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """What every move shares: the case locked within the actor's scope, its version, the table's
    check of the status and the capability, then `change` (the action's own rules, returning the
    event's detail), the new status, the version and the timeline step, in one transaction."""
    step = TRANSITIONS[action]
    require(actor, step.capability)  # the role, before anything is read
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        case = case_get_for_viewer(viewer=actor, number=number, for_update=True)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(
                _(
                    "Case %(number)s was changed by someone else while you had it open; reload it and try again."
                ),
                params={"number": case.number},
                code="case_changed",
            )
        if case.status not in step.sources:
            raise Conflict(
                _("A case that is “%(status)s” cannot be “%(action)s”."),
                params={"status": case.get_status_display(), "action": CaseEvent.Action(action).label},
                code="transition_not_allowed",
            )
        require(actor, step.capability, case)
        previous = case.status
        detail = change(case, now.date())
        if step.target in Case.CLOSED:
            case.closed_at = now
        case.status = step.target
        case.version += 1
        case.save()
        _event(case, action, actor, previous, at=now, note=note.strip()[:2000], **detail)
    return case


def _delegation_of(case: Case) -> Delegation | None:
    return delegation_in_force(item=case.item, town=case.town, on_date=case.accepted_at.date())


def _station_finishes(case: Case) -> bool:
    delegation = _delegation_of(case)
    return delegation is not None and delegation.mode == Delegation.Mode.FINISH


def _forwardable(case: Case) -> bool:
    """A station's case goes to the district (代办) when the station does not finish the item."""
    return case.level == Case.Level.TOWN and not _station_finishes(case)


def case_start(*, actor: User, number: str, **options) -> Case:
    """Work starts (at the station, or at the district on a case it handles)."""
    return _move(actor, number, "start", lambda case, today: {}, **options)


def case_suspend(*, actor: User, number: str, missing: list[str] | None = None, **options) -> Case:
    """补正: the clock stops until every missing material is brought, listed all at once."""
    cleaned = _clean_materials(missing or [], "missing")
    if not cleaned:
        raise DomainError(
            _("List every missing material, so the person comes back only once."), field="missing"
        )

    def change(case: Case, today: datetime.date) -> dict:
        case.remaining_days = (
            calendar().working_days_after(today, case.promised_date) if case.promised_date > today else 0
        )
        case.suspended_on = today
        case.materials_missing = cleaned
        return {"missing": cleaned}

    case = _move(actor, number, "suspend", change, **options)
    _sms(
        case,
        "suspended",
        _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s."),
        missing="、".join(case.materials_missing),
    )
    return case


def case_resume(*, actor: User, number: str, **options) -> Case:
    """The materials are complete: the clock runs again with the working days it had left."""

    def change(case: Case, today: datetime.date) -> dict:
        deadline = add_working_days(today, case.remaining_days or 0)
        detail = {
            "paused_from": case.suspended_on.isoformat(),
            "previous_promise": case.promised_date.isoformat(),
        }
        case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
        case.materials_received = case.materials_received + [
            m for m in case.materials_missing if m not in case.materials_received
        ]
        case.materials_missing = []
        case.suspended_on = None
        case.remaining_days = None
        return detail | {"promised_date": case.promised_date.isoformat()}

    return _move(actor, number, "resume", change, **options)


def case_forward(*, actor: User, number: str, **options) -> Case:
    """代办: a station case of an item the station does not finish goes to the district, the same day."""

    def change(case: Case, today: datetime.date) -> dict:
        if not _forwardable(case):
            raise DomainError(
                _("This case is finished where it is; it is not forwarded."), code="not_forwardable"
            )
        case.level = Case.Level.DISTRICT
        return {}

    return _move(actor, number, "forward", change, **options)


def case_finish(*, actor: User, number: str, **options) -> Case:
    """办结: at the station only for an item delegated to it to finish; otherwise at the district."""

    def change(case: Case, today: datetime.date) -> dict:
        if case.level == Case.Level.TOWN and not _station_finishes(case) and not can(actor, "hall.work"):
            raise DomainError(
                _("The station cannot finish this item: forward it to the district."), code="must_forward"
            )
        return {}

    case = _move(actor, number, "finish", change, **options)
    _sms(
        case,
        "finished",
        _("[Qijiang HRSS] Request %(number)s (%(item)s) is finished. Please rate our service."),
        item=case.item.name,
    )
    return case


def case_return(*, actor: User, number: str, reason: str = "", **options) -> Case:
    """退回: with the reason and what the person can do next, in plain words."""
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(_("Say why the case is returned and what the person can do next."), field="reason")

    def change(case: Case, today: datetime.date) -> dict:
        case.return_reason = reason
        return {}

    case = _move(actor, number, "return", change, **options)
    _sms(
        case,
        "returned",
        _("[Qijiang HRSS] Request %(number)s was returned: %(reason)s"),
        reason=case.return_reason[:120],
    )
    return case


ACTIONS: dict[str, Callable[..., Case]] = {
    "start": case_start,
    "suspend": case_suspend,
    "resume": case_resume,
    "forward": case_forward,
    "finish": case_finish,
    "return": case_return,
}
assert ACTIONS.keys() == TRANSITIONS.keys()


def case_transition(
    *,
    actor: User,
    number: str,
    action: str,
    note: str = "",
    missing: list[str] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """Move a case one step by the action's name (a form's button, the API's body, a loader's row):
    the action's own service does it. Refused with a message when the step is not allowed; when
    `expected_version` is given and someone else moved the case first, refused with a Conflict."""
    if action not in ACTIONS:
        raise DomainError(_("Unknown action “%(action)s”."), params={"action": action}, field="action")
    options: dict = {"note": note, "expected_version": expected_version, "now": now}
    if action == "suspend":
        options["missing"] = missing
    elif action == "return":
        options["reason"] = reason
    return ACTIONS[action](actor=actor, number=number, **options)


def _record_rating(case: Case, *, level: int, comment: str, source: str, actor: User | None) -> Rating:
    if level not in Rating.Level.values:
        raise DomainError(_("Choose one of the five levels."), field="level")
    if case.status != Case.Status.FINISHED:
        raise Conflict(_("Only a finished case can be rated."), code="not_finished")
    if Rating.objects.filter(case=case).exists():
        raise Conflict(_("This case has already been rated. Thank you."), code="already_rated")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                bureau_id=case.bureau_id,
                case=case,
                level=level,
                comment=comment.strip()[:500],
                source=source,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This case has already been rated. Thank you."), code="already_rated") from None
    CaseEvent.objects.create(
        bureau_id=case.bureau_id,
        case=case,
        action=CaseEvent.Action.RATE,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        detail={"level": level},
    )
    if rating.unsatisfied:
        FollowUp.objects.create(
            bureau_id=case.bureau_id,
            case=case,
            town=case.town,
            reason=str(
                _("Rated “%(level)s”: %(comment)s")
                % {"level": rating.get_level_display(), "comment": rating.comment or "—"}
            ),
        )
    return rating


def case_rate_by_resident(*, number: str, phone_last4: str, level: int, comment: str = "") -> Rating:
    with transaction.atomic():
        case = case_status_lookup(number=number, phone_last4=phone_last4)  # the same guard as the look-up
        case = Case.objects.select_for_update().get(pk=case.pk)
        return _record_rating(case, level=level, comment=comment, source=Rating.Source.RESIDENT, actor=None)


def case_rate_by_phone(*, actor: User, number: str, level: int, comment: str = "") -> Rating:
    """A rating a resident gave by phone, recorded by the staff who called: staff's work."""
    require(actor, "case.rate_by_phone")
    with transaction.atomic():
        case = case_get_for_viewer(viewer=actor, number=number, for_update=True)
        return _record_rating(case, level=level, comment=comment, source=Rating.Source.PHONE, actor=actor)


def follow_up_close(*, actor: User, follow_up_id: int, answer: str) -> FollowUp:
    from linju.access.scoping import scope_to_viewer

    with transaction.atomic():
        follow_up = (
            scope_to_viewer(FollowUp.objects.select_for_update(), viewer=actor, town_path="town")
            .filter(pk=follow_up_id)
            .first()
        )
        if follow_up is None:
            raise NotFound(_("No such follow-up."))
        if not answer.strip():
            raise DomainError(_("Write what was done about it."), field="answer")
        follow_up.status = FollowUp.Status.CLOSED
        follow_up.answer = answer.strip()
        follow_up.closed_by = actor
        follow_up.closed_at = timezone.now()
        follow_up.save()
    return follow_up


def due_soon_reminders(*, today: datetime.date | None = None) -> int:
    """Text each member of staff the open cases of theirs due within 2 working days; once a day each.

    Cases at township level go to the town's cadres; cases at district level to the bureau's district staff.
    """
    from linju.accounts.models import User
    from linju.notify.models import OutboxMessage

    from .selectors import SOON_WORKING_DAYS

    today = today or timezone.localdate()
    horizon = add_working_days(today, SOON_WORKING_DAYS).date
    due = list(
        Case.objects.filter(status__in=Case.OPEN, promised_date__gte=today, promised_date__lte=horizon)
    )
    per_user: dict[int, list[Case]] = {}
    staff = User.objects.filter(is_active=True).exclude(mobile="")
    for user in staff:
        mine = [c for c in due if can(user, "case.reminded", c)]  # the capability table and scoping
        if mine:
            per_user[user.pk] = mine
    sent = 0
    for user in staff:
        cases = per_user.get(user.pk)
        reference = f"{today.isoformat()}:{user.pk}"
        if not cases or OutboxMessage.objects.filter(purpose="due_soon", reference=reference).exists():
            continue
        with translation.override("zh-hans"):
            text = str(_("[Linju] %(count)d of your cases fall due within 2 working days: %(numbers)s")) % {
                "count": len(cases),
                "numbers": ", ".join(c.number for c in cases[:5]) + ("…" if len(cases) > 5 else ""),
            }
        send_sms(
            bureau_id=cases[0].bureau_id,
            phone=user.mobile,
            text=text,
            purpose="due_soon",
            reference=reference,
        )
        sent += 1
    return sent


EXPORT_MAX_ROWS = 50_000


@transaction.atomic
def cases_export_xlsx(
    *, viewer: User, work_list: str | None, filters: dict, context: RequestContext
) -> tuple[bytes, int]:
    """A case list as a spreadsheet (ID numbers masked). It names residents, so it is recorded."""
    from linju.audit.events import residents_exported_event
    from linju.core.xlsx import xlsx_bytes

    from .selectors import case_list

    require_personal_export(viewer)
    cases = case_list(viewer=viewer, work_list=work_list, **filters).select_related("applicant")
    content, count = xlsx_bytes(
        sheet=_("Cases"),
        header=(
            _("Number"),
            _("Item"),
            _("Town"),
            _("Channel"),
            _("Applicant"),
            _("ID number"),
            _("Accepted"),
            _("Promised"),
            _("Status"),
            _("Closed"),
        ),
        rows=(
            (
                c.number,
                c.item.name,
                c.town.name,
                str(c.get_channel_display()),
                c.applicant.name,
                c.applicant.masked_id_number,
                timezone.localtime(c.accepted_at).strftime("%Y-%m-%d %H:%M"),
                c.promised_date.isoformat(),
                str(c.get_status_display()),
                timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            )
            for c in cases[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        ),
    )
    residents_exported_event(
        actor=viewer,
        count=count,
        filters={"cases": work_list or "", **{k: str(v) for k, v in filters.items() if v}},
        file_format="xlsx",
        context=context,
    )
    return content, count


# The public status look-up (case number + last four digits of the phone). Case numbers are
# sequential, so the four digits are what stands between a stranger and a timeline: after
# STATUS_WRONG_TRIES wrong tries on one case, its look-up pauses for STATUS_LOCK_SECONDS, whoever
# asks and from wherever (counted in the shared cache, so across every worker). The per-address
# limit (settings.STATUS_LOOKUP_RATE) stays in front of it.
STATUS_WRONG_TRIES = 10
STATUS_LOCK_SECONDS = 3600


class LookupPaused(DomainError):
    status = 429
    code = "lookup_paused"


def _status_key(number: str) -> str:
    return f"linju:status-wrong:{number.strip()[:20]}"


def case_status_lookup(*, number: str, phone_last4: str) -> Case:
    """The case for the public status page, or NotFound (the same for a wrong number and a wrong
    phone), or LookupPaused once the case's look-up has seen too many wrong tries. Numbers carry their
    bureau (QJ-20261129-0001) and are one look-up however they are typed; older numbers (20261125-0042)
    work as they always did."""
    from django.core.cache import cache

    number = "".join(number.split()).upper()
    key = _status_key(number)
    if (cache.get(key) or 0) >= STATUS_WRONG_TRIES:
        raise LookupPaused(
            _("This case has had too many wrong tries; its look-up is paused for an hour. Ask your station.")
        )
    try:
        return case_public_status(number=number, phone_last4=phone_last4)
    except NotFound:
        cache.add(key, 0, STATUS_LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, STATUS_LOCK_SECONDS)
        raise


def case_open(
    *, viewer: User, number: str, what: str, context: RequestContext, timeline: bool = False
) -> Case:
    """Open a case (its page, a paper, its record over the API): the viewer's towns only, and recorded
    in the audit log like a resident's record, since a case names its applicant."""
    from linju.audit.events import case_opened_event

    case = case_get_for_viewer(viewer=viewer, number=number)
    case_opened_event(actor=viewer, case=case, what=what, context=context)
    return with_timeline(case) if timeline else case
