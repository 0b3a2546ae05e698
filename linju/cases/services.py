"""Writes to cases: intake, the life of a case, ratings. Every step is one transaction that locks
the case, checks the viewer's scope and the allowed transition, writes an event, and sends the
resident's text message once the transaction has committed."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can, refused, require, require_personal_export
from linju.access.scoping import towns_for_viewer
from linju.catalog.acceptance import PlaceKind, Verdict, channel_takes, finishes_at_station, verdict
from linju.catalog.models import Channel, ServiceItem
from linju.catalog.selectors import delegation_in_force, district_hall_of, item_by_code, station_for
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound, PermissionDenied
from linju.core.replica import replica_reads
from linju.core.request_context import RequestContext
from linju.geo.models import Bureau, MarketPlace, ServicePoint, Town, Village
from linju.geo.selectors import bureau_by_id, market_place_by_code, service_point_by_code
from linju.notify.sms import send_sms
from linju.people.idnumbers import normalize, parse_id_number
from linju.people.masking import mask_name
from linju.people.models import Resident
from linju.people.phones import normalize_phone
from linju.people.selectors import resident_get_for_viewer
from linju.people.services import (
    person_directory_claim,
    registered_elsewhere_as_someone_else,
    resident_register,
    same_name,
)
from linju.workdays.selectors import add_working_days, calendar

from .models import Case, CaseCounter, CaseEvent, CasePhoto, Extension, FollowUp, Rating
from .papers import paper_of_step
from .promises import case_promise, promise_sentence
from .selectors import case_get_for_viewer, case_public_status, with_timeline

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.outreach.models import BoothSession

MAX_MATERIALS = 30


@dataclass
class NewPerson:
    """Someone not yet in the registry, recorded at intake."""

    name: str
    id_number: str
    phone: str
    village_code: str


@dataclass
class Agent:
    """代办人: someone who applies for the beneficiary (a daughter, a village helper)."""

    name: str
    id_number: str
    relation: str
    phone: str = ""
    texts: bool = False  # they agreed to get the case's text messages


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
    agent: Agent | None = None
    texts_to_applicant: bool = True  # the applicant agreed to get the case's text messages
    # the phone the applicant gives for this case, where its texts go (a new person: `person.phone`;
    # someone chosen from the register without one: their registered phone)
    phone: str = ""
    # the ID number typed is someone's of the taker's towns under another name, and the person says
    # it is theirs: take the case under the registered name (otherwise the intake stops: NameDiffers)
    registered_name: bool = False
    # when a device took it offline (the field app): the promised date counts from that moment
    taken_at: datetime.datetime | None = None
    # why no material was handed in or marked missing. None: this door does not ask (online
    # applications and phone requests, whose papers come later); the cases API (the field app, a
    # booth's tablet) says what was handed over, so it gives a material, one marked missing, or this
    no_materials_reason: str | None = None
    # the booth day, when the door knows it (a booth's own page); else the market's booth that day
    booth_id: int | None = None


class NameDiffers(Conflict):
    """The name typed is not the name registered for the ID number typed. The intake stops, showing
    both names (the registered one masked), until the name is corrected or the case is taken under
    the registered name."""

    code = "name_differs"


OFFLINE_DAYS = 7  # how long ago a request taken offline may have been taken
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _clean_materials(values: list[str], field_name: str) -> list[str]:
    cleaned = [" ".join(str(v).split())[:120] for v in values if str(v).strip()]
    if len(cleaned) > MAX_MATERIALS:
        raise DomainError(_("At most 30 materials."), field=field_name)
    return cleaned


def _materials_or_reason(received: list[str], missing: list[str], reason: str | None) -> str:
    """The reason kept with a case taken with no material at all, or the error that asks for one."""
    reason = " ".join((reason or "").split())[:500]
    if not received and not missing and not reason:
        raise DomainError(
            _(
                "Say which materials were handed in or are missing (缺), "
                "or write why the request has no material at all."
            ),
            code="no_materials",
            field="materials_received",
        )
    return reason


def _clean_agent(agent: Agent) -> dict:
    """The agent's fields for the case, or the first thing wrong with them, in plain words."""
    name = " ".join(agent.name.split())
    if not name or len(name) > 40:
        raise DomainError(_("Write the agent's name (at most 40 characters)."), field="agent.name")
    if agent.relation not in Case.Relation.values:
        raise DomainError(_("Choose how the agent is related to the applicant."), field="agent.relation")
    try:
        number = parse_id_number(agent.id_number).number
    except DomainError as error:
        error.field = "agent.id_number"
        raise
    phone = ""
    if agent.phone.strip():
        try:
            phone = normalize_phone(agent.phone)
        except DomainError as error:
            error.field = "agent.phone"
            raise
    if agent.texts and not phone:
        raise DomainError(_("Texts to the agent need the agent's phone."), field="agent.phone")
    return {
        "agent_name": name,
        "agent_id_number": number,
        "agent_relation": agent.relation,
        "agent_phone": phone,
        "texts_to_agent": bool(agent.texts and phone),
    }


def offline_moment(moment: datetime.datetime, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment a device took something offline, checked: within the last week, not ahead of now."""
    now = timezone.localtime(now or timezone.now())
    if timezone.is_naive(moment):
        raise DomainError(
            _("Give the moment with its time zone, like 2026-11-25T09:30:00+08:00."), field="taken_at"
        )
    if not now - datetime.timedelta(days=OFFLINE_DAYS) <= moment <= now + CLOCK_SKEW:
        raise DomainError(
            _("A request taken offline is sent within 7 days, and not dated ahead of now."), field="taken_at"
        )
    return timezone.localtime(min(moment, now))


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


def _booth_at(market: MarketPlace | None, day: datetime.date, booth_id: int | None) -> BoothSession | None:
    """The market-day booth a case taken at a market belongs to, whatever the door (the booth's page,
    受理办件, the field app, the API): the booth the door names, else the booth of that market on the
    day the case was taken, planned or held (not cancelled). A planned booth that takes a case has
    been held. With no booth that day there is none: the case is the market's (taken_at_market) and
    counted by its market, not by a booth. The booth plan is outreach's, a layer above: it is read
    through the case's own field, not imported. One query, and a second the first time a planned
    booth takes a case."""
    if market is None:
        if booth_id is not None:
            raise DomainError(_("A booth's case is taken at its market."), field="market_code")
        return None
    booths = Case._meta.get_field("booth").related_model
    if booth_id is not None:
        booth = booths.objects.filter(pk=booth_id, market=market).first()
        if booth is None:
            raise NotFound(_("No such booth day at this market."), field="booth_id")
    else:
        booth = booths.objects.filter(market=market, date=day).exclude(status=booths.Status.CANCELLED).first()
    if booth is not None and booth.status == booths.Status.PLANNED:
        booth.status = booths.Status.HELD
        booth.save(update_fields=["status", "updated_at"])
    return booth


def _known_person(
    person: NewPerson, served: set[int], bureau_id: int, registered_name: bool = False
) -> Resident | None:
    """The resident of the actor's bureau who holds the typed ID number, when the actor may take a
    case for them: someone whose registered name is the name typed, or someone of the towns the actor
    serves whom the person, told the two names differ, says they are (`registered_name`). Someone of
    those towns under another name stops the intake (NameDiffers, the registered name masked: the
    taker could open that resident's record anyway). Anyone else under another name gets the same
    "no such resident" as any look-up of a stranger: an ID number typed at intake is not a way to learn
    who holds it. Someone registered only in another bureau, under the name typed, is None:
    registered here, the directory records the move."""
    number = normalize(person.id_number)
    existing = (
        Resident.objects.filter(bureau_id=bureau_id, id_number=number).select_related("village__town").first()
    )
    if existing is None:
        if not registered_elsewhere_as_someone_else(id_number=number, name=person.name, bureau_id=bureau_id):
            return None
    elif same_name(existing.name, person.name):
        return existing
    elif existing.village.town_id in served:
        if registered_name:
            return existing
        raise NameDiffers(
            _(
                "The name typed, %(typed)s, is not the name registered for this ID number, %(registered)s. "
                "Correct the name, or take the case under the registered name."
            ),
            params={"typed": " ".join(person.name.split())[:40], "registered": mask_name(existing.name)},
            field="person.name",
        )
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
    known = None if claimed else _known_person(intake.person, served, bureau_id, intake.registered_name)
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
        known = (
            _known_person(intake.person, served, bureau_id, intake.registered_name)
            if conflict.field == "id_number"
            else None
        )
        if known is None:
            raise
        return known


def _clean_phone(intake: Intake) -> str:
    """The phone given for this case, in its national form, or "" when none was given."""
    raw, field_name = (intake.person.phone, "person.phone") if intake.person else (intake.phone, "phone")
    if not str(raw or "").strip():
        return ""
    try:
        return normalize_phone(raw)
    except DomainError as error:
        error.field = field_name
        raise


def text_recipients(case: Case) -> list[str]:
    """The phones that get a case's texts: the one the applicant gave for this case (never the
    register's, which may be old or someone else's) and the agent's, each where they agreed."""
    phones = []
    if case.texts_to_applicant and case.applicant_phone:
        phones.append(case.applicant_phone)
    if case.texts_to_agent and case.agent_phone and case.agent_phone not in phones:
        phones.append(case.agent_phone)
    return phones


def _sms(
    case: Case, purpose: str, message, template: str = "", *, version: int | None = None, **params
) -> None:
    """Queue the case's text message for after the commit, in Chinese, to each who agreed to them.
    `template`: the gateway's template for this wording (linju/notify/purposes.py), when the purpose
    has several; `version`: of the move it reports, the case's own by default."""
    phones = text_recipients(case)
    number = case.number
    bureau_id = case.bureau_id
    # one text per move of the case: the version names the move, so a retry never sends it again
    reference = f"{number}@{version or case.version}"

    def send() -> None:
        with translation.override("zh-hans"):
            values = {"number": number, **{key: str(value) for key, value in params.items()}}
            text = str(message) % values
        for phone in phones:
            send_sms(
                bureau_id=bureau_id,
                phone=phone,
                text=text,
                purpose=purpose,
                reference=reference,
                params=values,
                template=template,
            )

    transaction.on_commit(send, robust=True)  # logged if it fails; the commit's other callbacks still run


def _promise_text(case: Case):
    """The case's promise as a sentence for its texts, written in the language the text is sent in."""
    return lazy(promise_sentence, str)(case_promise(case), finishing_office_name(case))


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
    if intake.taken_at is not None:
        now = offline_moment(intake.taken_at, now)
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
    elif item is not None and intake.channel in Channel.values and not channel_takes(item, intake.channel):
        checks.errors.append(
            DomainError(_("This item cannot be taken through this channel."), field="channel")
        )
    if intake.channel not in Channel.values:
        checks.errors.append(DomainError(_("Choose a channel from the list."), field="channel"))
    received = checks.check(_clean_materials, intake.materials_received, "materials_received") or []
    missing = checks.check(_clean_materials, intake.materials_missing, "materials_missing") or []
    agent = (checks.check(_clean_agent, intake.agent) or {}) if intake.agent is not None else {}
    phone = checks.check(_clean_phone, intake) or ""
    no_materials = ""
    if intake.no_materials_reason is not None and not checks.errors:
        no_materials = checks.check(_materials_or_reason, received, missing, intake.no_materials_reason) or ""
    checks.raise_if_any()

    try:
        with transaction.atomic():
            case, events = _take(
                actor, intake, item, served, now, received, missing, agent, phone, no_materials
            )
    except IntegrityError:
        if not intake.idempotency_key:
            raise
        # the key was there first (a retry, or a twin racing this one): its case is the answer
        number = (
            Case.objects.filter(bureau_id=actor.bureau_id, idempotency_key=intake.idempotency_key)
            .values_list("number", flat=True)
            .first()
        )
        if number is None:  # its holder rolled back after all: nothing is kept, the caller sends again
            raise Conflict(
                _("The same request was being sent at the same moment; please send it again."),
                code="send_again",
            ) from None
        return Accepted(case=case_get_for_viewer(viewer=actor, number=number), created=False)
    paper_of_step(case, "accept")
    for purpose, message, params in _intake_texts(case, item.name, missing):
        _sms(case, purpose, message, **params)
    return Accepted(case=case, created=True, events=events)


INTAKE_VERSION = 1  # a case's version when taken: its intake texts' references name it


def _intake_texts(case: Case, item_name: str, missing: list[str]) -> list[tuple[str, object, dict]]:
    """The texts an intake sends: (purpose, message, values)."""
    texts = [
        (
            "accepted",
            _("[Qijiang HRSS] Your request “%(item)s” is accepted, number %(number)s. %(promise)s"),
            {"item": item_name, "promise": _promise_text(case)},
        )
    ]
    if missing:
        texts.append(
            (
                "suspended",
                _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s."),
                {"missing": "、".join(missing)},
            )
        )
    return texts


INTAKE_TEXTS_GRACE = datetime.timedelta(minutes=5)  # sent after the commit, within a second as a rule
INTAKE_TEXTS_WITHIN = datetime.timedelta(
    days=1
)  # older than this, "your request is accepted" is news no more


def intake_texts_resend(*, now: datetime.datetime | None = None) -> int:
    """The texts of intakes committed in the last day that never went out (the process stopped
    between the commit and the send, or the outbox could not be written just then) are sent now,
    each at most once (the outbox's claim). How many cases had a text missing. Run by a periodic
    job: one query when no intake of the day has a phone to text, three otherwise."""
    from linju.notify.models import OutboxMessage
    from linju.notify.sms import can_receive_texts

    now = now or timezone.now()
    cases = {
        case.pk: case
        for case in Case.objects.filter(
            created_at__gte=now - INTAKE_TEXTS_WITHIN, created_at__lt=now - INTAKE_TEXTS_GRACE
        )
        .exclude(applicant_phone="", agent_phone="")
        .select_related("item")
    }
    if not cases:
        return 0
    sent = set(
        OutboxMessage.objects.filter(
            purpose__in=["accepted", "suspended"],
            reference__in=[f"{case.number}@{INTAKE_VERSION}" for case in cases.values()],
        )
        .order_by()
        .values_list("purpose", "reference", "phone")
    )
    # what the intake itself asked to bring: its suspension, at the very moment of its acceptance
    missing_at_intake = {
        case_id: detail.get("missing", [])
        for case_id, at, detail in CaseEvent.objects.filter(
            case_id__in=list(cases), action=CaseEvent.Action.SUSPEND
        ).values_list("case_id", "created_at", "detail")
        if at == cases[case_id].accepted_at
    }
    count = 0
    for case in cases.values():
        reference = f"{case.number}@{INTAKE_VERSION}"
        phones = [phone for phone in text_recipients(case) if can_receive_texts(phone)]
        missing = missing_at_intake.get(case.pk, [])
        lacking = [
            purpose
            for purpose in ["accepted", "suspended"][: 2 if missing else 1]
            if any((purpose, reference, phone) not in sent for phone in phones)
        ]
        if not lacking:
            continue
        for purpose, message, params in _intake_texts(case, case.item.name, missing):
            if purpose in lacking:
                _sms(case, purpose, message, version=INTAKE_VERSION, **params)
        count += 1
    return count


def _kind_of_place(point, market, village) -> PlaceKind | None:
    """The kind of town place a case is taken at, as the rule of acceptance names it; None by phone
    or online (no place)."""
    if point is not None:
        return PlaceKind.STATION
    if market is not None:
        return PlaceKind.BOOTH
    return PlaceKind.VILLAGE if village is not None else None


def _take(
    actor: User,
    intake: Intake,
    item: ServiceItem,
    served: set[int],
    now: datetime.datetime,
    received: list[str],
    missing: list[str],
    agent: dict,
    phone: str,
    no_materials: str = "",
) -> tuple[Case, list[CaseEvent]]:
    """The writes of an intake, inside its transaction: the case and its first events. A case taken
    at a station, booth or visit for an item the station does not finish goes to the district the
    same day (代办); its promised date counts from this acceptance."""
    today = now.date()
    applicant = _applicant(actor, intake, served, actor.bureau_id)
    if agent and agent["agent_id_number"] == applicant.id_number:
        raise DomainError(
            _("The agent is the applicant: leave the agent out when people apply for themselves."),
            field="agent.id_number",
        )
    town, level, point, market, village = _where_taken(actor, intake, applicant.village.town)
    if town.pk not in served:
        raise NotFound(_("That place is not among the towns you serve."), field="service_point_code")
    if level == Case.Level.TOWN:
        kind = _kind_of_place(point, market, village)
        said = kind and verdict(item=item, kind=kind, town=town, on_date=today, channel=intake.channel)
        if said == Verdict.HALL_ONLY:
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
    booth = _booth_at(market, today, intake.booth_id)
    forward_now = level == Case.Level.TOWN and not missing and not finishes_at_station(item, town, today)
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
        booth=booth,
        taken_by=actor,
        description=intake.description.strip()[:2000],
        materials_received=received,
        materials_missing=missing,
        status=(
            Case.Status.SUSPENDED
            if missing
            else Case.Status.FORWARDED
            if forward_now
            else Case.Status.ACCEPTED
        ),
        level=Case.Level.DISTRICT if forward_now else level,
        forwarded_at=now if forward_now else None,
        accepted_at=now,
        promised_date=deadline.date,
        promised_estimated=deadline.estimated,
        clock_from=today,
        clock_days=item.time_limit_days,
        suspended_on=today if missing else None,
        remaining_days=item.time_limit_days if missing else None,
        idempotency_key=intake.idempotency_key or None,
        texts_to_applicant=intake.texts_to_applicant,
        applicant_phone=phone or ("" if intake.person else applicant.phone),
        **agent,
    )
    case.save()
    accepted = Case.Status.ACCEPTED
    # taken with no material at all: the cadre's reason stays in the acceptance's record
    why = {"no_materials": no_materials} if no_materials else {}
    under_registered_name = intake.person is not None and not same_name(applicant.name, intake.person.name)
    events = [
        _event_row(
            case,
            CaseEvent.Action.ACCEPT,
            actor,
            "",
            to_status=accepted,
            at=now,
            channel=intake.channel,
            **why,
            **({"under_registered_name": True} if under_registered_name else {}),
        )
    ]
    if missing:
        events.append(_event_row(case, CaseEvent.Action.SUSPEND, actor, accepted, at=now, missing=missing))
    elif forward_now:
        events.append(_event_row(case, CaseEvent.Action.FORWARD, actor, accepted, at=now, same_day=True))
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
    "send_back": Step(
        frozenset({Case.Status.FORWARDED, Case.Status.IN_PROGRESS}), Case.Status.SUSPENDED, "case.send_back"
    ),
    "finish": Step(frozenset(_OPEN), Case.Status.FINISHED, "case.finish"),
    "hand_over": Step(frozenset({Case.Status.FINISHED}), Case.Status.FINISHED, "case.hand_over"),
    "return": Step(frozenset({*_OPEN, Case.Status.SUSPENDED}), Case.Status.RETURNED, "case.return"),
}


def _nothing_to_hand_over(case: Case) -> Conflict | None:
    """送达 is done once, and only for a result sent to the station to collect."""
    if case.handover == Case.Handover.WAITING:
        return None
    if case.handover == Case.Handover.DONE:
        return Conflict(
            _("The result of case %(number)s was handed over on %(date)s; it is handed over once."),
            params={
                "number": case.number,
                "date": timezone.localtime(case.handed_over_at).strftime("%Y-%m-%d"),
            },
            code="already_handed_over",
        )
    return Conflict(
        _("Case %(number)s has no result waiting at the station: there is nothing to hand over."),
        params={"number": case.number},
        code="nothing_to_hand_over",
    )


def _sense_refusal(case: Case, action: str, actor: User | None) -> Conflict | None:
    """Beyond the status: a station forwards what it does not finish (and does not finish it), the
    district sends back only what a town forwarded, and a hand-over waits for a result sent to the
    station. With no actor, what someone might do (district staff finish what a station forwards)."""
    if action == "forward" and not _forwardable(case):
        return Conflict(_("This case is finished where it is; it is not forwarded."), code="not_forwardable")
    if action == "send_back" and not case.sent_to_district:
        return Conflict(_("Only a case a town forwarded goes back to the town."), code="not_forwarded")
    if action == "finish" and actor is not None and _forwardable(case) and not can(actor, "hall.work"):
        return Conflict(
            _("The station cannot finish this item: forward it to the district."), code="must_forward"
        )
    if action == "hand_over":
        return _nothing_to_hand_over(case)
    return None


def move_refusal(case: Case, action: str, actor: User | None = None) -> DomainError | None:
    """Why the move makes no sense for the case as it is, or why the actor may not make it; None when
    it is allowed. The one guard: the buttons (`allowed_actions`) and every move (`_move`) ask it, so
    what is offered is what is accepted. The actor's role, the status by the table, the capability
    for this case (read through the actor's scope), then the case's own facts. The delegations are
    held in the process: no query."""
    step = TRANSITIONS[action]
    if actor is not None and (refusal := refused(actor, step.capability)) is not None:
        return refusal  # the role, as `_move` checks it before reading the case
    if case.status not in step.sources:
        return Conflict(
            _("A case that is “%(status)s” cannot be “%(action)s”."),
            params={"status": Case.Status(case.status).label, "action": CaseEvent.Action(action).label},
            code="transition_not_allowed",
        )
    if actor is not None:
        refusal = refused(actor, step.capability, case, read_in_scope=True)
        if refusal is not None:
            return refusal
    return _sense_refusal(case, action, actor)


def allowed_actions(case: Case, viewer: User | None = None) -> list[str]:
    """The moves `move_refusal` lets the viewer make (given one who read the case through their
    scope), or, with no viewer, the moves the case itself allows."""
    return [action for action in TRANSITIONS if move_refusal(case, action, viewer) is None]


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
    """What every move shares: the case locked within the actor's scope, its version, the one guard
    (`move_refusal`: the status, the capability, the case's facts), then `change` (the action's own
    work, returning the event's detail; it may settle the status, as a resume sending a case back to
    the district does), the version and the timeline step, in one transaction. The lock makes
    simultaneous moves wait and each then sees the case as the one before left it."""
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
        refusal = move_refusal(case, action, actor)
        if refusal is not None:
            raise refusal
        previous = case.status
        case.status = step.target
        detail = change(case, now.date())
        if case.status in Case.CLOSED and previous not in Case.CLOSED:
            case.closed_at = now
        case.version += 1
        case.save()
        _event(case, action, actor, previous, at=now, note=note.strip()[:2000], **detail)
        paper_of_step(case, action)
    return case


def _station_finishes(case: Case) -> bool:
    return finishes_at_station(case.item, case.town, case.accepted_at.date())


def _forwardable(case: Case) -> bool:
    """A station's case goes to the district (代办) when the station does not finish the item."""
    return case.level == Case.Level.TOWN and not _station_finishes(case)


def finishing_office(case: Case) -> ServicePoint | None:
    """The office that will finish the case (and answers for it): the town's station for an item
    delegated to it, otherwise the district's service hall. Held in the process: no query."""
    if case.level == Case.Level.TOWN and _station_finishes(case):
        return station_for(case.town)
    try:
        return district_hall_of(case.town)
    except NotFound:
        return None


def finishing_office_name(case: Case) -> str:
    office = finishing_office(case)
    return office.name if office is not None else str(case.town.bureau.name)


def case_start(*, actor: User, number: str, **options) -> Case:
    """Work starts (at the station, or at the district on a case it handles)."""
    return _move(actor, number, "start", lambda case, today: {}, **options)


def _pause(case: Case, today: datetime.date, missing: list[str]) -> dict:
    """补正: the clock stops with the working days it had left."""
    case.remaining_days = (
        calendar().working_days_after(today, case.promised_date) if case.promised_date > today else 0
    )
    case.suspended_on = today
    case.materials_missing = missing
    return {"missing": missing}


def _missing_list(missing: list[str] | None) -> list[str]:
    cleaned = _clean_materials(missing or [], "missing")
    if not cleaned:
        raise DomainError(
            _("List every missing material, so the person comes back only once."), field="missing"
        )
    return cleaned


def case_suspend(*, actor: User, number: str, missing: list[str] | None = None, **options) -> Case:
    """补正: the clock stops until every missing material is brought, listed all at once."""
    cleaned = _missing_list(missing)
    case = _move(actor, number, "suspend", lambda case, today: _pause(case, today, cleaned), **options)
    _sms(
        case,
        "suspended",
        _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s. %(promise)s"),
        template="suspended_promise",
        missing="、".join(case.materials_missing),
        promise=_promise_text(case),
    )
    return case


def case_send_back(*, actor: User, number: str, missing: list[str] | None = None, **options) -> Case:
    """The district returns a forwarded case to its town for a missing paper: the clock pauses as for
    补正, the town collects the paper, and resuming sends the case back to the district."""
    cleaned = _missing_list(missing)

    def change(case: Case, today: datetime.date) -> dict:
        case.level = Case.Level.TOWN
        return _pause(case, today, cleaned)

    case = _move(actor, number, "send_back", change, **options)
    station = station_for(case.town)
    _sms(
        case,
        "suspended",
        _(
            "[Qijiang HRSS] For request %(number)s please bring, all at once, to %(station)s: %(missing)s. "
            "%(promise)s"
        ),
        template="suspended_at_station",
        station=station.name if station else case.town.name,
        missing="、".join(case.materials_missing),
        promise=_promise_text(case),
    )
    return case


def case_resume(*, actor: User, number: str, **options) -> Case:
    """The materials are complete: the clock runs again with the working days it had left. A case
    the district had sent back to the town goes back to the district."""

    def change(case: Case, today: datetime.date) -> dict:
        deadline = add_working_days(today, case.remaining_days or 0)
        detail = {
            "paused_from": case.suspended_on.isoformat(),
            "previous_promise": case.promised_date.isoformat(),
        }
        case.clock_from, case.clock_days = today, case.remaining_days or 0
        case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
        case.materials_received = case.materials_received + [
            m for m in case.materials_missing if m not in case.materials_received
        ]
        case.materials_missing = []
        case.suspended_on = None
        case.remaining_days = None
        if case.forwarded_at is not None and case.level == Case.Level.TOWN:
            case.level, case.status = Case.Level.DISTRICT, Case.Status.FORWARDED
            detail["back_to_district"] = True
        elif _forwardable(case) and not case.events.filter(action=CaseEvent.Action.FORWARD).exists():
            # taken with a paper missing: now complete, it goes to the district the same day
            case.level, case.status, case.forwarded_at = (
                Case.Level.DISTRICT,
                Case.Status.FORWARDED,
                timezone.now(),
            )
            detail["forwarded"] = True
        return detail | {"promised_date": case.promised_date.isoformat()}

    return _move(actor, number, "resume", change, **options)


def case_forward(*, actor: User, number: str, **options) -> Case:
    """代办: a station case of an item the station does not finish goes to the district, the same day."""

    def change(case: Case, today: datetime.date) -> dict:
        case.level = Case.Level.DISTRICT
        case.forwarded_at = timezone.now()
        return {}

    return _move(actor, number, "forward", change, **options)


@dataclass(frozen=True)
class Outcome:
    """What was decided, recorded when a case is finished."""

    kind: str
    detail: str = ""
    rule: str = ""
    amount: decimal.Decimal | None = None
    period: str = ""
    document: File | None = None
    hand_over: bool = False  # a paper to collect at the town's station (送达)


MAX_AMOUNT = decimal.Decimal("1000000")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
DOCUMENT_SIGNATURES = {b"%PDF": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}


def _document_kind(document: File) -> str:
    if document.size is None or document.size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The decision file may be at most 5 MB."), field="document")
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    for signature, kind in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise DomainError(_("The decision must be a PDF or a photo (JPEG or PNG)."), field="document")


def _clean_outcome(outcome: Outcome | None) -> Outcome:
    """The outcome checked at the edge: its kind, the reason and rule of a refusal, an amount within
    bounds, a period and texts of bounded length, a document that is a PDF or a photo."""
    if outcome is None or outcome.kind not in Case.Outcome.values:
        raise DomainError(_("Choose the outcome: granted, refused or another answer."), field="outcome")
    detail = outcome.detail.strip()[:2000]
    rule = " ".join(outcome.rule.split())[:200]
    if outcome.kind == Case.Outcome.REFUSED and not (detail and rule):
        raise DomainError(
            _("A refusal says why, in plain words, and which rule it follows."), field="outcome_detail"
        )
    if outcome.kind == Case.Outcome.OTHER and not detail:
        raise DomainError(_("Write what the answer was."), field="outcome_detail")
    amount = outcome.amount
    if amount is not None:
        try:
            amount = decimal.Decimal(str(amount)).quantize(decimal.Decimal("0.01"))
        except (decimal.InvalidOperation, ValueError):
            raise DomainError(_("The amount is a number of yuan."), field="amount") from None
        if not (0 <= amount <= MAX_AMOUNT):
            raise DomainError(_("The amount is between 0 and 1,000,000 yuan."), field="amount")
    period = " ".join(outcome.period.split())
    if len(period) > 60:
        raise DomainError(_("The period has at most 60 characters."), field="period")
    if outcome.document is not None:
        _document_kind(outcome.document)
    return Outcome(outcome.kind, detail, rule, amount, period, outcome.document, outcome.hand_over)


def _finish_text(case: Case) -> tuple:
    """The finishing text's message, its gateway template and its parameters: the outcome, where to
    collect, the status link."""
    link = f"{settings.LINJU_PUBLIC_URL}{reverse('status')}?number={case.number}"
    collect = ""
    if case.handover == Case.Handover.WAITING:
        station = station_for(case.town)
        collect = _("Please collect it at %(station)s. ") % {
            "station": station.name if station else case.town.name
        }
    if case.outcome == Case.Outcome.REFUSED:
        message = _(
            "[Qijiang HRSS] Request %(number)s (%(item)s) was not granted: %(reason)s (rule: %(rule)s). "
            "If you disagree, you may ask for an administrative review within 60 days, or go to court "
            "within 6 months. Details and rating: %(link)s"
        )
        return (
            message,
            "finished_refused",
            {"reason": case.outcome_detail[:120], "rule": case.outcome_rule, "link": link},
        )
    what = ""
    if case.outcome_amount is not None:
        what += str(_(", %(amount)s yuan") % {"amount": f"{case.outcome_amount:,.2f}"})
    if case.outcome_period:
        what += str(_(", for %(period)s") % {"period": case.outcome_period})
    if case.outcome == Case.Outcome.GRANTED:
        message = _(
            "[Qijiang HRSS] Request %(number)s (%(item)s) is granted%(what)s. %(collect)s"
            "Details and rating: %(link)s"
        )
        return message, "finished_granted", {"what": what, "collect": collect, "link": link}
    message = _(
        "[Qijiang HRSS] Request %(number)s (%(item)s) is finished: %(answer)s%(what)s. %(collect)s"
        "Details and rating: %(link)s"
    )
    return (
        message,
        "finished",
        {
            "answer": case.outcome_detail[:120],
            "what": what,
            "collect": collect,
            "link": link,
        },
    )


def case_finish(*, actor: User, number: str, outcome: Outcome | None = None, **options) -> Case:
    """办结, with the outcome: at the station only for an item delegated to it to finish; otherwise
    at the district, which may send the result to the station for hand-over (送达)."""
    result = _clean_outcome(outcome)

    def change(case: Case, today: datetime.date) -> dict:
        if result.hand_over and case.forwarded_at is None and case.level == Case.Level.DISTRICT:
            raise DomainError(
                _("This case was taken at the district hall: the result is collected there."),
                field="hand_over",
            )
        case.outcome, case.outcome_detail, case.outcome_rule = result.kind, result.detail, result.rule
        case.outcome_amount, case.outcome_period = result.amount, result.period
        case.handover = Case.Handover.WAITING if result.hand_over else ""
        if result.document is not None:
            name = f"{case.number}.{_document_kind(result.document)}"
            case.outcome_document.save(name, result.document, save=False)
        detail = {"outcome": result.kind}
        if result.amount is not None:
            detail["amount"] = str(result.amount)
        if result.hand_over:
            detail["hand_over"] = True
        return detail

    case = _move(actor, number, "finish", change, **options)
    message, template, params = _finish_text(case)
    _sms(case, "finished", message, template=template, item=case.item.name, **params)
    return case


def case_hand_over(*, actor: User, number: str, **options) -> Case:
    """送达: the station handed the result to the person (or their agent)."""

    def change(case: Case, today: datetime.date) -> dict:
        case.handover, case.handed_over_at = Case.Handover.DONE, timezone.now()
        return {}

    return _move(actor, number, "hand_over", change, **options)


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
    "send_back": case_send_back,
    "finish": case_finish,
    "hand_over": case_hand_over,
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
    outcome: Outcome | None = None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """Move a case one step by the action's name (a form's button, the API's body, a loader's row):
    the action's own service does it. Refused with a message when the step is not allowed; when
    `expected_version` is given and someone else moved the case first, refused with a Conflict."""
    if action not in ACTIONS:
        raise DomainError(_("Unknown action “%(action)s”."), params={"action": action}, field="action")
    options: dict = {"note": note, "expected_version": expected_version, "now": now}
    if action in ("suspend", "send_back"):
        options["missing"] = missing
    elif action == "return":
        options["reason"] = reason
    elif action == "finish":
        options["outcome"] = outcome
    return ACTIONS[action](actor=actor, number=number, **options)


def _clock_deadline(case: Case):
    """The promised date by the case's clock, with the calendar as it is now."""
    start = case.clock_from or timezone.localtime(case.accepted_at).date()
    days = case.clock_days if case.clock_days is not None else case.item.time_limit_days
    return add_working_days(start, days)


def extension_ask(
    *, actor: User, number: str, working_days: int, reason: str, now: datetime.datetime | None = None
) -> Extension:
    """延期, asked for: how many working days more and why; a second person decides."""
    require(actor, "case.extend")
    reason = " ".join(str(reason).split())
    if not reason or len(reason) > 500:
        raise DomainError(_("Say why more time is needed (at most 500 characters)."), field="reason")
    if not isinstance(working_days, int) or not 1 <= working_days <= Extension.MAX_DAYS:
        raise DomainError(_("An extension is 1 to 30 working days."), field="working_days")
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        case = case_get_for_viewer(viewer=actor, number=number, for_update=True)
        require(actor, "case.extend", case)
        if case.status not in Case.OPEN:
            raise Conflict(_("Only a case whose clock is running can be extended."), code="not_running")
        if case.extensions.filter(status=Extension.Status.PENDING).exists():
            raise Conflict(_("An extension of this case is already waiting for approval."), code="pending")
        extension = Extension.objects.create(
            bureau_id=case.bureau_id,
            case=case,
            working_days=working_days,
            reason=reason,
            asked_by=actor,
            asked_at=now,
        )
        _event(case, CaseEvent.Action.EXTEND_ASK, actor, case.status, at=now, note=reason, days=working_days)
    return extension


def extension_decide(
    *,
    actor: User,
    extension_id: int,
    approve: bool,
    note: str = "",
    number: str | None = None,
    now: datetime.datetime | None = None,
) -> Extension:
    """延期, decided by someone other than who asked: approved, the promise moves by the working
    days asked for and the resident is told; refused, the promise stands."""
    require(actor, "case.extend_approve")
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        extension = (
            Extension.objects.select_for_update().filter(pk=extension_id, bureau_id=actor.bureau_id).first()
        )
        if extension is None:
            raise NotFound(_("No such extension."))
        case_number = Case.objects.values_list("number", flat=True).get(pk=extension.case_id)
        if number is not None and number != case_number:
            raise NotFound(_("No such extension."))  # an extension is decided on its own case's page
        case = case_get_for_viewer(viewer=actor, number=case_number, for_update=True)
        if extension.status != Extension.Status.PENDING:
            raise Conflict(_("This extension has already been decided."), code="decided")
        if extension.asked_by_id == actor.pk:
            raise PermissionDenied(
                _("A second person approves an extension: ask a colleague or your leader."),
                code="same_person",
            )
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by, extension.decided_at = actor, now
        extension.decision_note = note.strip()[:500]
        extension.save()
        if not approve:
            _event(case, CaseEvent.Action.EXTEND_NO, actor, case.status, at=now, note=extension.decision_note)
            return extension
        if case.status not in Case.OPEN:
            raise Conflict(_("Only a case whose clock is running can be extended."), code="not_running")
        previous = case.promised_date
        case.clock_from = case.clock_from or timezone.localtime(case.accepted_at).date()
        case.clock_days = (
            case.clock_days if case.clock_days is not None else case.item.time_limit_days
        ) + extension.working_days
        deadline = _clock_deadline(case)
        case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
        case.version += 1
        case.save()
        _event(
            case,
            CaseEvent.Action.EXTEND,
            actor,
            case.status,
            at=now,
            note=extension.reason,
            days=extension.working_days,
            previous_promise=previous.isoformat(),
            promised_date=case.promised_date.isoformat(),
        )
        _sms(
            case,
            "extended",
            _(
                "[Qijiang HRSS] Request %(number)s needs more time: %(reason)s. We will now answer by %(date)s."
            ),
            reason=extension.reason[:120],
            date=case.promised_date.strftime("%Y-%m-%d"),
        )
    return extension


def promised_dates_recompute(*, now: datetime.datetime | None = None) -> int:
    """After a year's holiday notice is imported: open cases whose promised date was an estimate
    get the date their clock gives with the new calendar. A change is recorded on the timeline, and
    the resident is texted when the date moved. Returns how many cases changed."""
    now = timezone.localtime(now or timezone.now())
    changed = 0
    numbers = list(
        Case.objects.filter(status__in=Case.OPEN, promised_estimated=True).values_list("pk", flat=True)
    )
    for pk in numbers:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("item", "applicant", "town")
                .filter(pk=pk, status__in=Case.OPEN, promised_estimated=True)
                .first()
            )
            if case is None:
                continue
            deadline = _clock_deadline(case)
            if (deadline.date, deadline.estimated) == (case.promised_date, case.promised_estimated):
                continue
            previous = case.promised_date
            case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
            case.version += 1
            case.save(update_fields=["promised_date", "promised_estimated", "version", "updated_at"])
            _event(
                case,
                CaseEvent.Action.REDATE,
                None,
                case.status,
                at=now,
                previous_promise=previous.isoformat(),
                promised_date=case.promised_date.isoformat(),
                estimated=case.promised_estimated,
            )
            if previous != case.promised_date:
                _sms(
                    case,
                    "redated",
                    _(
                        "[Qijiang HRSS] The holidays of the new year are now known: request %(number)s "
                        "will be answered by %(date)s."
                    ),
                    date=case.promised_date.strftime("%Y-%m-%d"),
                )
            changed += 1
    return changed


PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}


def case_photo_add(
    *,
    actor: User,
    number: str,
    material: str,
    image: File,
    idempotency_key: str,
    taken_at: datetime.datetime | None = None,
) -> CasePhoto:
    """A photo of a paper handed over, sent by the field app after its case: the same key gives
    back the same photo, however often the phone sends it."""
    require(actor, "case.photo")
    key = str(idempotency_key).strip()
    if not key or len(key) > 80:
        raise DomainError(
            _("A photo needs its idempotency key (at most 80 characters)."), field="idempotency_key"
        )
    material = " ".join(str(material).split())[:120]
    if not material:
        raise DomainError(_("Say which material the photo shows."), field="material")
    if image.size is None or image.size > CasePhoto.MAX_BYTES:
        raise DomainError(_("A photo may be at most 1 MB: the app makes it smaller first."), field="image")
    image.seek(0)
    head = image.read(8)
    image.seek(0)
    kind = next((k for sig, k in PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        raise DomainError(_("The photo must be a JPEG or PNG picture."), field="image")
    moment = offline_moment(taken_at) if taken_at is not None else timezone.now()
    case = case_get_for_viewer(viewer=actor, number=number)
    require(actor, "case.photo", case)
    existing = CasePhoto.objects.filter(bureau_id=case.bureau_id, idempotency_key=key).first()
    if existing is not None:
        if existing.case_id != case.pk:
            raise Conflict(_("This key belongs to another photo."), code="key_reused")
        return existing
    known = {m for m in case.materials_received + case.materials_missing}
    known |= set(case.item.materials.values_list("name", flat=True))
    if material not in known:
        raise DomainError(
            _("“%(m)s” is not one of this case's materials."), params={"m": material}, field="material"
        )
    photo = CasePhoto(
        bureau_id=case.bureau_id,
        case=case,
        material=material,
        taken_by=actor,
        taken_at=moment,
        idempotency_key=key,
    )
    photo.image.save(f"{case.number}-{uuid.uuid4().hex[:12]}.{kind}", image, save=False)
    try:
        with transaction.atomic():
            photo.save()
    except IntegrityError:
        photo.image.delete(save=False)
        return CasePhoto.objects.get(bureau_id=case.bureau_id, idempotency_key=key)
    return photo


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
    """Answer a resident's complaint after a poor rating: staff's and cadres' work, in their towns."""
    from linju.access.scoping import scope_to_viewer

    require(actor, "case.follow_up")
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
            numbers = ", ".join(c.number for c in cases[:5]) + ("…" if len(cases) > 5 else "")
            text = str(_("[Linju] %(count)d of your cases fall due within 2 working days: %(numbers)s")) % {
                "count": len(cases),
                "numbers": numbers,
            }
        if send_sms(
            bureau_id=cases[0].bureau_id,
            phone=user.mobile,
            text=text,
            purpose="due_soon",
            reference=reference,
            params={"count": len(cases), "numbers": numbers},
        ):  # None: claimed already by a retry or another scheduler
            sent += 1
    return sent


EXPORT_MAX_ROWS = 50_000


def cases_export_job(viewer: User, params: dict, context: RequestContext) -> tuple[bytes, int]:
    """The export job's builder (linju/audit/exports.py): a work list and the page's filters."""
    from .selectors import WORK_LISTS, list_filters

    work_list = params.get("list")
    return cases_export_xlsx(
        viewer=viewer,
        work_list=work_list if work_list in WORK_LISTS else None,
        filters=list_filters(params),
        context=context,
    )


@replica_reads()  # read, then the audit record is written (on the primary) before the file leaves
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


def _take_a_try(key: str) -> int:
    """Count one try on a case and say which it is: one `incr` of the shared cache decides, so two
    tries at the same moment never both read "nine so far" (add creates the count if it is not there
    yet; incr fails only if the count expired between the two)."""
    from linju.core.shared_cache import strict

    for _attempt in range(2):
        strict("add", key, 0, STATUS_LOCK_SECONDS)
        try:
            return strict("incr", key)
        except ValueError:
            continue
    strict("set", key, 1, STATUS_LOCK_SECONDS)
    return 1


def case_status_lookup(*, number: str, phone_last4: str) -> Case:
    """The case for the public status page, or NotFound (the same for a wrong number and a wrong
    phone), or LookupPaused once the case's look-up has seen too many wrong tries. Numbers carry their
    bureau (QJ-20261129-0001) and are one look-up however they are typed; older numbers (20261125-0042)
    work as they always did.

    Every try is counted before it is evaluated, and only the first STATUS_WRONG_TRIES of an hour
    are evaluated, however many arrive at once; a right answer gives its try back."""
    from linju.core.shared_cache import CacheDown, strict

    number = "".join(number.split()).upper()
    key = _status_key(number)
    # strict: without the count of tries the look-up is refused (503), never left unguarded
    if _take_a_try(key) > STATUS_WRONG_TRIES:
        raise LookupPaused(
            _("This case has had too many wrong tries; its look-up is paused for an hour. Ask your station.")
        )
    case = case_public_status(number=number, phone_last4=phone_last4)  # NotFound: the try stays counted
    try:
        strict("decr", key)
    except (ValueError, CacheDown):  # the count expired meanwhile, or the cache left: nothing to give back
        pass
    return case


def case_open(
    *, viewer: User, number: str, what: str, context: RequestContext, timeline: bool = False
) -> Case:
    """Open a case (its page, a paper, its record over the API): the viewer's towns only, and recorded
    in the audit log like a resident's record, since a case names its applicant."""
    from linju.audit.events import case_opened_event

    case = case_get_for_viewer(viewer=viewer, number=number)
    case_opened_event(actor=viewer, case=case, what=what, context=context)
    return with_timeline(case) if timeline else case


def case_paper_unmask(
    *, viewer: User, number: str, context: RequestContext, photo_id: int | None = None
) -> File:
    """A paper of the case itself: the photo of one handed over (`photo_id`), or else the decision
    attached on finishing. They show whole ID numbers, so they are opened only by a role that may see
    them whole, in the viewer's towns, and each opening is recorded as an unmasking."""
    from linju.audit.events import case_paper_unmasked_event

    require(viewer, "case.papers_unmask")  # the role, before anything is read
    case = case_get_for_viewer(viewer=viewer, number=number)
    if photo_id is None:
        if not case.outcome_document:
            raise NotFound(_("No decision was attached to this case."))
        paper, what = case.outcome_document, "decision"
    else:
        photo = case.photos.filter(pk=photo_id).first()
        if photo is None:
            raise NotFound(_("No such photo."))
        paper, what = photo.image, "photo"
    case_paper_unmasked_event(actor=viewer, case=case, what=what, photo_id=photo_id, context=context)
    return paper
