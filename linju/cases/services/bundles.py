"""Taking a bundle (一件事一次办): one intake, one number, one receipt, one answer.

A bundle taken anywhere (counter, booth, phone, home visit, online, the field app, the API) makes
one bundle case (`BundleCase`) with the day's next number (QJ-20261206-0007), and under it one case
per item of the bundle's version in force that day, numbered after it (QJ-20261206-0007-1, -2 …).
Each part is an ordinary case of its own item: its own working-day clock (the item's time limit, and
for a partner office's part the working days its papers take to get there), its own 补正, its own
moves through the one table of transitions. A part the town's station does not finish goes to the
district the same day, as a single case does (代办); a partner office's part is sent to the office
(送达) with its papers as soon as they are complete (`bundle_follow.py`), and its answer is recorded
by finishing the part.

The intake is the single intake's, checked once for the whole: the same checks at the door (the
applicant found or registered once, the place, the agent, the phone, the materials), the same
idempotency (a key unique per bureau among bundle cases; the same key gives back the same bundle
case, however many race), the same durable transaction with its texts and receipt queued for the
commit. The papers handed in are one set: each part is given those its item asks for, and a paper no
item names stays with the lead part. One text says the bundle is accepted, with its number and
promise; one more lists everything missing, all at once, when something is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids
from linju.audit.events import case_opened_event
from linju.catalog.acceptance import Verdict, channel_takes, finishes_at_station, promised_days, verdict
from linju.catalog.bundles import HeldVersion, bundle_get
from linju.catalog.models import ITEM_CHANNELS, Bundle, BundlePart, BundleVersion, ServiceItem
from linju.catalog.selectors import delegation_in_force
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound, PermissionDenied
from linju.core.limits import try_give_back
from linju.core.pdf import papers_ahead
from linju.exchange.models import Kind
from linju.geo.selectors import bureau_by_id
from linju.identity.services import Identified, identification_record_within
from linju.pensions.calculator import applications_open, month_words
from linju.pensions.law import month_index
from linju.pensions.selectors import retirement_of
from linju.people.models import Resident
from linju.people.services import same_name
from linju.workdays.selectors import add_working_days

from ..bundle_selectors import bundle_case_get_for_viewer, bundle_public_status, with_parts
from ..models import BundleCase, Case, CaseEvent
from .agents import agent_authorisation, tell_the_principal
from .bundle_follow import dispatch_within, send_bundle_text
from .common import _event_row, offline_moment
from .intake import (
    Intake,
    _applicant,
    _booth_at,
    _clean_agent,
    _clean_ethnic_group,
    _clean_materials,
    _clean_phone,
    _kind_of_place,
    _materials_or_reason,
    _where_taken,
    identification_at_the_door,
    identified_detail,
    new_case_row,
)
from .numbering import next_case_number
from .province import tell_province_of_all
from .status import _status_key

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.core.request_context import RequestContext

_month_words = lazy(month_words, str)
MAX_PARTS = 9  # a part's number is its bundle's and one digit: QJ-20261206-0007-9 fits a case number


@dataclass(frozen=True)
class Member:
    """One item of the bundle's version, as the intake takes it."""

    part: BundlePart
    item: ServiceItem
    materials: frozenset[str]  # the names of the materials its item asks for


@dataclass(frozen=True)
class BundleAccepted:
    bundle_case: BundleCase
    created: bool  # False: the idempotency key had already made this bundle case
    parts: list[Case] | None = None  # the parts just written (with their dispatches), when created


def _members(held: HeldVersion) -> list[Member]:
    """The version's parts in the held order (the lead first), each with the names of the papers of
    the merged list its item needs: no query (the bundles are held in the process)."""
    return [
        Member(part, part.item, frozenset(m.name for m in held.materials if part.item in m.items))
        for part in held.parts
    ]


def _share(papers: list[str], members: list[Member]) -> list[list[str]]:
    """Each member's share of a list of papers: those its item asks for; a paper no item names goes
    to the lead part (the first when none is marked lead)."""
    lead = next((n for n, m in enumerate(members) if m.part.is_lead), 0)
    shares: list[list[str]] = [[] for _ in members]
    for paper in papers:
        owners = [n for n, m in enumerate(members) if paper in m.materials] or [lead]
        for n in owners:
            shares[n].append(paper)
    return shares


def bundle_accept_once(
    *, actor: User, code: str, intake: Intake, now: datetime.datetime | None = None
) -> BundleAccepted:
    """Take a bundle: one bundle case and its parts, in one durable transaction, or, when the
    idempotency key had already made one, that one (`created` False). `intake.item_code` is not read:
    the bundle's version says which items are taken."""
    served = served_town_ids(actor)
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
    code = str(code or "").strip()[:30]
    try:
        offered = bundle_get(code=code, on_date=today)
    except NotFound:
        offered = None
    members: list[Member] = []
    version = None
    if offered is None or offered.bundle.bureau_id != actor.bureau_id:
        checks.errors.append(
            NotFound(
                _("No bundle (一件事) with code %(code)s is offered today."),
                params={"code": code},
                field="bundle",
            )
        )
    else:
        version, members = offered.held.version, _members(offered.held)
        if not members or len(members) > MAX_PARTS:
            checks.errors.append(
                DomainError(
                    _("This bundle has no parts, or more than 9: ask the administrator."), field="bundle"
                )
            )
    if intake.channel not in ITEM_CHANNELS:
        checks.errors.append(DomainError(_("Choose a channel from the list."), field="channel"))
    else:
        for member in members:
            if not member.item.in_force_on(today):
                checks.errors.append(
                    DomainError(
                        _("“%(item)s” is no longer offered: the bundle cannot be taken until it is updated."),
                        params={"item": member.item.name},
                        field="bundle",
                    )
                )
            elif not channel_takes(member.item, intake.channel):
                checks.errors.append(
                    DomainError(
                        _("“%(item)s”, a part of this bundle, cannot be taken through this channel."),
                        params={"item": member.item.name},
                        field="channel",
                    )
                )
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

    key = intake.idempotency_key or None
    try:
        with transaction.atomic(durable=True):
            bundle_case, parts = _take_bundle(
                actor,
                intake,
                version,
                members,
                served,
                now,
                received,
                missing,
                agent,
                phone,
                no_materials,
                identified,
            )
            papers_ahead("bundle-receipt", [bundle_case.number])
            send_bundle_text(bundle_case, "accepted", parts=parts)
            missing_all = list(dict.fromkeys(m for part in parts for m in part.materials_missing))
            if missing_all:
                send_bundle_text(bundle_case, "missing", missing=missing_all)
            if bundle_case.agent_name:
                tell_the_principal(bundle_case, bundle_case.applicant.phone, version.bundle.name)
    except IntegrityError:
        if key is None:
            raise
        number = (
            BundleCase.objects.filter(bureau_id=actor.bureau_id, idempotency_key=key)
            .values_list("number", flat=True)
            .first()
        )
        if number is None:
            raise Conflict(
                _("The same request was being sent at the same moment; please send it again."),
                code="send_again",
            ) from None
        return BundleAccepted(bundle_case_get_for_viewer(viewer=actor, number=number), created=False)
    return BundleAccepted(bundle_case, created=True, parts=parts)


def _open_to(applicant: Resident, bundle: Bundle, today: datetime.date) -> None:
    """Refuse a bundle that opens only so many months before the applicant's statutory retirement
    month (退休一件事) when that month has not come yet, saying from which month they may apply: the
    retirement as pensions reckons it from the registry's sex and birth date and the former age
    recorded (one query, for the bundles that have the rule), the months as the bureau sets them for
    every answer (`pensions.calculator.applications_open`)."""
    if bundle.opens_months_before_retirement is None:
        return
    retirement = retirement_of(applicant)
    opens = applications_open(retirement, bureau_id=bundle.bureau_id)
    if opens is not None and month_index(today.year, today.month) < month_index(*opens):
        raise DomainError(
            _("Your statutory retirement month is %(month)s: you can apply for %(bundle)s from %(opens)s."),
            params={  # the months said in the language the message is read in (the API gives both)
                "month": _month_words(retirement.month),
                "opens": _month_words(opens),
                "bundle": bundle.name,
            },
            code="not_open_yet",
            field="bundle",
        )


def _take_bundle(
    actor: User,
    intake: Intake,
    version: BundleVersion,
    members: list[Member],
    served: frozenset[int],
    now: datetime.datetime,
    received: list[str],
    missing: list[str],
    agent: dict,
    phone: str,
    no_materials: str,
    identified: Identified | None = None,
) -> tuple[BundleCase, list[Case]]:
    """The writes of a bundle intake, inside its transaction: the bundle case, its parts, their first
    events, and the dispatches of partners' parts whose papers are complete."""
    today = now.date()
    if (
        intake.idempotency_key
        and Case.objects.filter(bureau_id=actor.bureau_id, idempotency_key=intake.idempotency_key).exists()
    ):
        raise Conflict(_("This key was already used for another request."), code="key_reused")
    applicant = _applicant(actor, intake, served, actor.bureau_id)
    _open_to(applicant, version.bundle, today)
    if agent and agent["agent_id_number"] == applicant.id_number:
        raise DomainError(
            _("The agent is the applicant: leave the agent out when people apply for themselves."),
            field="agent.id_number",
        )
    if agent:
        agent_authorisation(actor, intake.agent, agent, applicant, [member.item for member in members], now)
    town, level, point, market, village = _where_taken(actor, intake, applicant.village.town)
    if town.pk not in served:
        raise NotFound(_("That place is not among the towns you serve."), field="service_point_code")
    kind = _kind_of_place(point, market, village)
    no_place = point is None and market is None and village is None
    levels = []
    for member in members:
        part_level = level
        if level == Case.Level.TOWN and member.part.partner_id is None:
            said = kind and verdict(
                item=member.item, kind=kind, town=town, on_date=today, channel=intake.channel
            )
            if said == Verdict.HALL_ONLY:
                raise DomainError(
                    _("“%(item)s” is taken only at the district service hall: %(reason)s"),
                    params={"item": member.item.name, "reason": member.item.hall_only_reason},
                    code="hall_only",
                    field="bundle",
                )
            if no_place and delegation_in_force(item=member.item, town=town, on_date=today) is None:
                part_level = Case.Level.DISTRICT
        levels.append(part_level)
    booth = _booth_at(market, today, intake.booth_id)
    bureau = bureau_by_id(bureau_id=town.bureau_id)
    number = next_case_number(bureau, today)
    applicant_phone = phone or ("" if intake.person else applicant.phone)
    bundle_case = BundleCase(
        bureau=bureau,
        number=number,
        bundle=version.bundle,
        version=version,
        applicant=applicant,
        channel=intake.channel,
        town=town,
        taken_at_point=point,
        taken_at_market=market,
        taken_at_village=village,
        booth=booth,
        taken_by=actor,
        accepted_at=now,
        applicant_phone=applicant_phone,
        texts_to_applicant=intake.texts_to_applicant,
        agent_name=agent.get("agent_name", ""),
        agent_phone=agent.get("agent_phone", ""),
        texts_to_agent=agent.get("texts_to_agent", False),
        idempotency_key=intake.idempotency_key or None,
    )
    bundle_case.save()
    got, lacking = _share(received, members), _share(missing, members)
    parts = []
    for n, (member, part_level) in enumerate(zip(members, levels, strict=True), start=1):
        item, partner = member.item, member.part.partner
        part_missing = lacking[n - 1]
        if partner is not None:  # the office finishes it: sent the same day once its papers are complete
            forward_now = not part_missing
            days = item.time_limit_days + partner.delivery_days
        else:
            sent_on = part_level == Case.Level.TOWN and not finishes_at_station(item, town, today)
            forward_now = sent_on and not part_missing
            days = promised_days(item, Verdict.FORWARD if sent_on else Verdict.FINISH)
        deadline = add_working_days(today, days)
        parts.append(
            new_case_row(
                bureau=bureau,
                number=f"{number}-{n}",
                applicant=applicant,
                item=item,
                intake=intake,
                actor=actor,
                place=(town, point, market, village, booth),
                received=got[n - 1],
                missing=part_missing,
                forward_now=forward_now,
                level=part_level,
                now=now,
                deadline=deadline,
                days=days,
                phone=applicant_phone,
                agent=agent,
                bundle=bundle_case,
            )
        )
    Case.objects.bulk_create(parts)
    identification = (
        identification_record_within(actor=actor, resident=applicant, identified=identified, reference=number)
        if identified is not None
        else None
    )
    why = {"no_materials": no_materials} if no_materials else {}
    under_registered_name = intake.person is not None and not same_name(applicant.name, intake.person.name)
    events = []
    for part in parts:
        events.append(
            _event_row(
                part,
                CaseEvent.Action.ACCEPT,
                actor,
                "",
                to_status=Case.Status.ACCEPTED,
                at=now,
                channel=intake.channel,
                bundle=number,
                **why,
                **({"under_registered_name": True} if under_registered_name else {}),
                **identified_detail(identified, identification),
            )
        )
        if part.status == Case.Status.SUSPENDED:
            events.append(
                _event_row(
                    part,
                    CaseEvent.Action.SUSPEND,
                    actor,
                    Case.Status.ACCEPTED,
                    at=now,
                    missing=part.materials_missing,
                )
            )
        elif part.status == Case.Status.FORWARDED:
            events.append(
                _event_row(part, CaseEvent.Action.FORWARD, actor, Case.Status.ACCEPTED, at=now, same_day=True)
            )
    CaseEvent.objects.bulk_create(events)
    tell_province_of_all(parts, Kind.CASE_ACCEPTED, now)  # each part a case of its own item to it
    partners = {member.item.pk: member.part.partner for member in members}
    for part in parts:  # no dispatch yet: the answer reads none without asking
        Case.dispatch.related.set_cached_value(part, None)
    dispatch_within(
        actor=actor,
        parts=[p for p in parts if partners[p.item_id] is not None and p.status != Case.Status.SUSPENDED],
        partners=partners,
        now=now,
    )
    return bundle_case, parts


def bundle_case_open(*, viewer: User, number: str, context: RequestContext) -> BundleCase:
    """Open a bundle case (its page, its receipt, its record over the API) with its parts: the
    viewer's towns only, and recorded in the audit log as a case is, since it names its applicant."""
    bundle_case = bundle_case_get_for_viewer(viewer=viewer, number=number)
    case_opened_event(actor=viewer, case=bundle_case, what="bundle", context=context)
    return with_parts(bundle_case)


def bundle_status_lookup(*, number: str, phone_last4: str) -> BundleCase:
    """The public status look-up of a bundle case, after `case_status_lookup` found no case by that
    number (which counted the try): the bundle case with its parts, and the try given back; or the
    same NotFound as for a case."""
    number = "".join(number.split()).upper()
    bundle_case = bundle_public_status(number=number, phone_last4=phone_last4)
    try_give_back(_status_key(number))
    return bundle_case
