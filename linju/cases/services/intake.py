"""Taking a case (受理): the checks at the door, the applicant found or registered, the place, the
day's number, the first events and the intake's texts, and the resend of texts an intake missed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids
from linju.catalog.acceptance import (
    PlaceKind,
    Verdict,
    channel_takes,
    finishes_at_station,
    promised_days,
    verdict,
)
from linju.catalog.models import ITEM_CHANNELS, Channel, ServiceItem
from linju.catalog.selectors import delegation_in_force, item_by_code
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound, PermissionDenied
from linju.core.held_queries import HeldQuery
from linju.exchange.models import Kind
from linju.geo.models import Bureau, MarketPlace, ServicePoint, Town, Village
from linju.geo.selectors import bureau_by_id, market_place_by_code, service_point_by_code
from linju.identity.services import (
    IdentificationIn,
    Identified,
    identification_clean,
    identification_record_within,
)
from linju.notify.models import OutboxMessage
from linju.notify.sms import can_receive_texts
from linju.people.idnumbers import normalize, parse_id_number
from linju.people.masking import mask_name
from linju.people.models import Resident
from linju.people.phones import normalize_phone
from linju.people.selectors import resident_get_for_viewer
from linju.people.services import (
    registered_elsewhere_as_someone_else,
    resident_for_registration,
    resident_register_if_new,
    resident_register_within,
    same_name,
)
from linju.workdays.selectors import add_working_days

from ..jinbao_codes import ETHNIC_GROUPS
from ..models import Case, CaseEvent
from ..papers import paper_of_step
from ..selectors import case_get_for_viewer
from .agents import agent_authorisation, tell_the_principal
from .common import _clean_materials, _event_row, _promise_text, _sms, offline_moment, text_recipients
from .numbering import NUMBER, in_one_statement, write_numbered
from .province import province_message

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.outreach.models import BoothSession


@dataclass
class NewPerson:
    """Someone not yet in the registry, recorded at intake."""

    name: str
    id_number: str
    phone: str
    village_code: str


@dataclass
class AuthoriseNow:
    """An authorisation (委托) the person gives on the spot, with the case their agent brings: for
    the case's item(s) or for all items, until a day or until withdrawn, the photo of the signed
    form now or sent after it."""

    all_items: bool = False
    until: datetime.date | None = None
    kind: str = ""  # family, helper, cadre; by default from the agent's relation
    helper_id: int | None = None
    evidence: File | None = None


@dataclass
class Agent:
    """代办人: someone who applies for the beneficiary (a daughter, a village helper), under the
    person's authorisation in force (the one named, or any that covers the item) or one given now."""

    name: str
    id_number: str
    relation: str
    phone: str = ""
    texts: bool = False  # they agreed to get the case's text messages
    authorisation_id: int | None = None
    authorise: AuthoriseNow | None = None


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
    # made by a resident's yes to the bureau's offer (linju.offers): the one way a case comes by the
    # channel `offer`; no page or API sets it
    offered: bool = False
    # GB/T 3304 民族 code (two digits), asked for the 金保 entry sheet; optional ("": not given)
    ethnic_group: str = ""
    # how the person was identified (ID card or 社保卡 on the reader, the e-card's code, by hand): its
    # event is kept with the case (linju.identity). None: not recorded (a phone request, an offer's yes)
    identification: IdentificationIn | None = None


class NameDiffers(Conflict):
    """The name typed is not the name registered for the ID number typed. The intake stops, showing
    both names (the registered one masked), until the name is corrected or the case is taken under
    the registered name."""

    code = "name_differs"


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


def _booths_of_the_day(market_id: int, date: datetime.date):
    booths = Case._meta.get_field("booth").related_model
    return (
        booths.objects.filter(market_id=market_id, date=date)
        .exclude(status=booths.Status.CANCELLED)
        .order_by("pk")
    )


# the booth of the day, compiled to SQL once per thread (linju/core/held_queries.py)
BOOTH_OF_THE_DAY = HeldQuery(_booths_of_the_day, limit=1)


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
        booth = next(iter(BOOTH_OF_THE_DAY.rows(market_id=market.pk, date=day)), None)
    if booth is not None and booth.status == booths.Status.PLANNED:
        booth.status = booths.Status.HELD
        booth.save(update_fields=["status", "updated_at"])
    return booth


def _known_person(
    person: NewPerson, served: frozenset[int], bureau_id: int, registered_name: bool = False
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


def _applicant(actor: User, intake: Intake, served: frozenset[int], bureau_id: int) -> Resident:
    if intake.applicant_id:
        return resident_get_for_viewer(viewer=actor, resident_id=intake.applicant_id)
    if intake.person is None:
        raise DomainError(
            _("Choose the applicant, or record them: name, ID number, phone, village."), field="applicant_id"
        )
    newcomer = None
    try:
        parse_id_number(intake.person.id_number)
        newcomer = resident_for_registration(
            actor=actor,
            name=intake.person.name,
            id_number=intake.person.id_number,
            phone=intake.person.phone,
            village_code=intake.person.village_code,
        )
    except DomainError:
        pass  # registering below says what is wrong, unless the person is known after all
    # someone nobody has registered anywhere: the directory takes the number and the newcomer is
    # registered (one statement), and no look-up is needed
    if (
        newcomer is not None
        and newcomer.bureau_id == bureau_id
        and resident_register_if_new(resident=newcomer)
    ):
        return newcomer
    known = _known_person(intake.person, served, bureau_id, intake.registered_name)
    if known is not None:
        return known
    try:
        return resident_register_within(
            actor=actor,
            name=intake.person.name,
            id_number=intake.person.id_number,
            phone=intake.person.phone,
            village_code=intake.person.village_code,
            how="intake",
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


def _clean_ethnic_group(intake: Intake) -> str:
    """The ethnic group's GB/T 3304 code as given (two digits, "" for none), or a DomainError."""
    code = str(intake.ethnic_group or "").strip()[:3]
    if code and code not in ETHNIC_GROUPS:
        raise DomainError(
            _("Choose the ethnic group from the list (a two-digit GB/T 3304 code)."), field="ethnic_group"
        )
    intake.ethnic_group = code
    return code


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


@dataclass(frozen=True)
class Accepted:
    case: Case
    created: bool  # False: the idempotency key had already made this case
    events: list[CaseEvent] | None = None  # the events just written, when created


def case_accept(*, actor: User, intake: Intake, now: datetime.datetime | None = None) -> Case:
    """Take a case anywhere, in a durable transaction of its own. The same idempotency key always
    gives back the same case."""
    return _accept(actor, intake, now, durable=True).case


def case_accept_once(*, actor: User, intake: Intake, now: datetime.datetime | None = None) -> Accepted:
    """Take a case, and say whether it was made now or an earlier call with the same idempotency key
    had made it. The database decides (the key is unique): the intake is one transaction, and when
    its insert meets the key the whole of it rolls back (number, new resident and all) and the case
    that holds the key is returned. Every caller with one key gets the one case, however many race.

    A handful of queries: the towns the actor serves, the applicant, the place, the day's counter,
    the case and its events. The item, the delegations, the service points and the calendar are
    held in the process (linju/core/versioned.py).

    A durable transaction: it commits when it returns, and refuses to run inside a caller's
    transaction (which could still roll the case back after its texts were promised). Its texts and
    its receipt are queued inside it, sent on commit. A service that takes a case as part of its own
    action calls `case_accept_within`."""
    return _accept(actor, intake, now, durable=True)


def case_accept_within(*, actor: User, intake: Intake, now: datetime.datetime | None = None) -> Case:
    """Take a case inside the transaction of a service that already holds one: both or neither
    (outreach: a booth question turned into a case, a phone request with its home task, a visit's
    needs; the demo loader's case with its moves). The caller owns durability: the case's texts and
    receipt are queued on the caller's commit. The intake's writes are a savepoint within it, so an
    idempotency key met at the insert gives back its case and leaves the caller's transaction usable."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_accept_within runs inside its caller's transaction: call case_accept.")
    return _accept(actor, intake, now, durable=False).case


def _accept(actor: User, intake: Intake, now: datetime.datetime | None, *, durable: bool) -> Accepted:
    """The intake: the checks at the door (no transaction yet), then its writes in one transaction,
    durable (its own) or a savepoint in the caller's."""
    served = served_town_ids(actor)  # read once per viewer (an API key's holder carries them)
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
    if intake.channel not in ITEM_CHANNELS and not (intake.channel == Channel.OFFER and intake.offered):
        checks.errors.append(DomainError(_("Choose a channel from the list."), field="channel"))
    received = checks.check(_clean_materials, intake.materials_received, "materials_received") or []
    missing = checks.check(_clean_materials, intake.materials_missing, "materials_missing") or []
    agent = (checks.check(_clean_agent, intake.agent) or {}) if intake.agent is not None else {}
    phone = checks.check(_clean_phone, intake) or ""
    checks.check(_clean_ethnic_group, intake)
    no_materials = ""
    if intake.no_materials_reason is not None and not checks.errors:
        no_materials = checks.check(_materials_or_reason, received, missing, intake.no_materials_reason) or ""
    identified = identification_at_the_door(checks, intake, now)
    checks.raise_if_any()

    try:
        with transaction.atomic(durable=durable):
            case, events = _take(
                actor, intake, item, served, now, received, missing, agent, phone, no_materials, identified
            )
            # queued within the intake's transaction: sent once it commits, never if it rolls back
            paper_of_step(case, "accept")
            for purpose, message, params in _intake_texts(case, item.name, missing):
                _sms(case, purpose, message, **params)
            if case.has_agent:
                tell_the_principal(case, case.applicant.phone, item.name)
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
    return Accepted(case=case, created=True, events=events)


def identification_at_the_door(
    checks: ErrorCollector, intake: Intake, now: datetime.datetime
) -> Identified | None:
    """The intake's identification checked before its transaction (no query: the check's receipt is
    signed), its error collected with the others."""
    if intake.identification is None:
        return None
    return checks.check(identification_clean, intake.identification, now=now)


def identified_detail(identified: Identified | None, row) -> dict:
    """What the acceptance's record says of the identification: the method, the result, the event."""
    if identified is None:
        return {}
    return {"identified": {"method": identified.method, "result": identified.result, "id": row.pk}}


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
    job: one query when no intake of the day has a phone to text, three otherwise. No transaction of
    its own: it writes only texts, each claimed in the outbox by itself."""

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


def new_case_row(
    *,
    bureau: Bureau,
    number: str,
    applicant: Resident,
    item: ServiceItem,
    intake: Intake,
    actor: User,
    place: tuple,
    received: list[str],
    missing: list[str],
    forward_now: bool,
    level: str,
    now: datetime.datetime,
    deadline,
    days: int,
    phone: str,
    agent: dict,
    **extra,
) -> Case:
    """A case as an intake takes it, not yet saved: the one place its status, level, clock and 补正
    days are set from what was handed in (a single intake and each part of a bundle alike).
    `place`: (town, point, market, village, booth)."""
    town, point, market, village, booth = place
    today = now.date()
    return Case(
        bureau=bureau,
        number=number,
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
        clock_days=days,
        suspended_on=today if missing else None,
        remaining_days=days if missing else None,
        texts_to_applicant=intake.texts_to_applicant,
        applicant_phone=phone,
        ethnic_group=intake.ethnic_group,
        **agent,
        **extra,
    )


def _take(
    actor: User,
    intake: Intake,
    item: ServiceItem,
    served: frozenset[int],
    now: datetime.datetime,
    received: list[str],
    missing: list[str],
    agent: dict,
    phone: str,
    no_materials: str = "",
    identified: Identified | None = None,
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
    if agent:
        agent_authorisation(actor, intake.agent, agent, applicant, [item], now)
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
    # at a market, the booth of the day is found with the writes when they are one statement
    booth_in_writes = market is not None and intake.booth_id is None and in_one_statement()
    booth = None if booth_in_writes else _booth_at(market, today, intake.booth_id)
    sent_on = level == Case.Level.TOWN and not finishes_at_station(item, town, today)
    forward_now = sent_on and not missing
    days = promised_days(item, Verdict.FORWARD if sent_on else Verdict.FINISH)
    deadline = add_working_days(today, days)
    bureau = bureau_by_id(bureau_id=town.bureau_id)
    case = new_case_row(
        bureau=bureau,
        number=NUMBER,  # given by write_numbered, with the day's counter bumped last
        applicant=applicant,
        item=item,
        intake=intake,
        actor=actor,
        place=(town, point, market, village, booth),
        received=received,
        missing=missing,
        forward_now=forward_now,
        level=level,
        now=now,
        deadline=deadline,
        days=days,
        phone=phone or ("" if intake.person else applicant.phone),
        agent=agent,
        idempotency_key=intake.idempotency_key or None,
    )
    # how the person was identified: one INSERT, only when the door said, its reference the case's
    # number once given (by the numbered statement)
    identification = (
        identification_record_within(actor=actor, resident=applicant, identified=identified, reference=NUMBER)
        if identified is not None
        else None
    )
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
            **identified_detail(identified, identification),
        )
    ]
    if missing:
        events.append(_event_row(case, CaseEvent.Action.SUSPEND, actor, accepted, at=now, missing=missing))
    elif forward_now:
        events.append(_event_row(case, CaseEvent.Action.FORWARD, actor, accepted, at=now, same_day=True))
    # the number last, with the rows that carry it: the day's counter stays locked only until the commit
    accepted_message = province_message(case, Kind.CASE_ACCEPTED, now, missing=missing or None)
    write_numbered(
        bureau=bureau,
        day=today,
        case=case,
        events=events,
        messages=[accepted_message],
        booth_of_the_day=(market.pk, today) if booth_in_writes else None,
        carrying=[(identification, "reference")] if identification is not None else [],
    )
    return case, events
