"""Gig workers: registered once (skills, villages they can reach, hours), or made from a job seeker's
record, then signed in (签到) on the days they are free, at a booth, a station or a 驿站, by ID
number. An ID number typed at sign-in tells the caller nothing they could not see: an unknown number,
a resident who is not a gig worker and a worker of another bureau all get the same answer, and a
worker of another of the bureau's towns is named masked."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound
from linju.geo.models import Village
from linju.jobs.selectors import seeker_get_for_viewer
from linju.people.idnumbers import parse_id_number
from linju.people.masking import mask_id_number, mask_name
from linju.people.selectors import resident_get_for_viewer

from ..models import GigWorker, SignIn, WorkType
from ..selectors import GigPlace, place_for_viewer

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_VILLAGES = 60
OFFLINE_DAYS = 3  # a sign-in taken without signal is accepted this many days later
CLOCK_SKEW = datetime.timedelta(minutes=10)  # a phone's clock a little ahead is not the future
DEFAULT_FROM, DEFAULT_UNTIL = datetime.time(7, 0), datetime.time(18, 0)


def _work_types(codes: list[str], checks: ErrorCollector) -> list[WorkType]:
    codes = list(dict.fromkeys(str(c)[:30] for c in codes))
    found = list(WorkType.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {w.code for w in found})
    if unknown:
        checks.errors.append(
            DomainError(
                _("Unknown kinds of work: %(values)s."),
                params={"values": "、".join(unknown)},
                field="work_types",
            )
        )
    return found


def _villages(codes: list[str], actor: User, checks: ErrorCollector) -> list[Village]:
    """The villages a worker can reach, of the towns the actor serves: a village of another town is
    unknown, as a missing one is."""
    codes = list(dict.fromkeys(str(c)[:12] for c in codes))
    if len(codes) > MAX_VILLAGES:
        checks.errors.append(
            DomainError(_("At most %(most)d villages."), params={"most": MAX_VILLAGES}, field="villages")
        )
        return []
    found = list(Village.objects.visible_to(actor).filter(code__in=codes))
    unknown = sorted(set(codes) - {v.code for v in found})
    if unknown:
        checks.errors.append(
            DomainError(
                _("Unknown villages: %(values)s."), params={"values": "、".join(unknown)}, field="villages"
            )
        )
    return found


def _hours(available_from: datetime.time, available_until: datetime.time, checks: ErrorCollector) -> None:
    if available_until <= available_from:
        checks.errors.append(
            DomainError(_("The hours they are free must end after they begin."), field="available_until")
        )


def _create_worker(
    *, actor, resident, work_types, villages, available_from, available_until, **flags
) -> GigWorker:
    try:
        with transaction.atomic():
            worker = GigWorker.objects.create(
                bureau_id=resident.bureau_id,
                resident=resident,
                available_from=available_from,
                available_until=available_until,
                registered_by=actor,
                **flags,
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already registered as a gig worker."),
            params={"name": resident.name},
            code="gig_worker_exists",
        ) from None
    worker.work_types.set(work_types)
    worker.villages.set(villages)
    return worker


@transaction.atomic(durable=True)
def gig_worker_register(
    *,
    actor: User,
    resident_id: int,
    work_types: list[str],
    villages: list[str] | None = None,
    available_from: datetime.time = DEFAULT_FROM,
    available_until: datetime.time = DEFAULT_UNTIL,
    accepts_heavy: bool = False,
    hardship: bool = False,
) -> GigWorker:
    """Register a resident of the actor's towns as a gig worker, once. Villages they can reach: their
    own when none is named."""
    require(actor, "gig.worker")
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    checks = ErrorCollector()
    kinds = _work_types(work_types, checks)
    reach = _villages(villages or [resident.village.code], actor, checks)
    _hours(available_from, available_until, checks)
    checks.raise_if_any()
    return _create_worker(
        actor=actor,
        resident=resident,
        work_types=kinds,
        villages=reach,
        available_from=available_from,
        available_until=available_until,
        accepts_heavy=accepts_heavy,
        hardship=hardship,
    )


@transaction.atomic(durable=True)
def gig_worker_from_seeker(*, actor: User, seeker_id: int) -> GigWorker:
    """A job seeker who also takes gigs: the gig worker made from their record — the skills that are
    kinds of work on the list, the villages of their town, heavy work as they said."""
    require(actor, "gig.worker")
    seeker = seeker_get_for_viewer(viewer=actor, seeker_id=seeker_id)
    resident = seeker.resident
    return _create_worker(
        actor=actor,
        resident=resident,
        work_types=list(WorkType.objects.filter(code__in=seeker.skills)),
        villages=list(Village.objects.filter(town_id=resident.village.town_id)),
        available_from=DEFAULT_FROM,
        available_until=DEFAULT_UNTIL,
        accepts_heavy=seeker.accepts_heavy_manual,
    )


@dataclass(frozen=True)
class SignedIn:
    """What the caller is told of a sign-in: the person masked unless of their towns."""

    sign_in: SignIn
    created: bool  # False: the worker had signed in already that day (or the phone sent it twice)
    name: str
    id_number: str  # masked
    place: str


NOT_A_WORKER = _(
    "No gig worker is registered under this ID number here. Register them first (once), then sign them in."
)


def _answer(sign_in: SignIn, created: bool, actor: User, place_name: str) -> SignedIn:
    resident = sign_in.worker.resident
    name = resident.name if resident.village.town_id in served_town_ids(actor) else mask_name(resident.name)
    return SignedIn(sign_in, created, name, mask_id_number(resident.id_number), place_name)


def _taken_at(signed_in_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if signed_in_at is None:
        return now
    if timezone.is_naive(signed_in_at):
        signed_in_at = timezone.make_aware(signed_in_at)
    if signed_in_at > now + CLOCK_SKEW:
        raise DomainError(_("The time of the sign-in is in the future."), field="signed_in_at")
    if timezone.localdate(signed_in_at) < timezone.localdate(now) - datetime.timedelta(days=OFFLINE_DAYS):
        raise DomainError(
            _("A sign-in is sent within %(days)d days of being taken."),
            params={"days": OFFLINE_DAYS},
            field="signed_in_at",
        )
    return min(signed_in_at, now)


@transaction.atomic(durable=True)
def gig_sign_in(
    *,
    actor: User,
    place: str,
    id_number: str,
    client_ref: uuid.UUID | None = None,
    signed_in_at: datetime.datetime | None = None,
) -> SignedIn:
    """Sign a registered worker in at a place of the actor's towns, by ID number (check digit
    checked). One sign-in a day a worker: a second is answered with the first. A sign-in taken on
    the field app without signal carries its phone's reference and the moment it was taken; sent
    twice, it is kept once."""
    require(actor, "gig.sign_in")
    checks = ErrorCollector()
    spot: GigPlace | None = checks.check(place_for_viewer, viewer=actor, value=place)
    number = checks.check(parse_id_number, id_number)
    moment = checks.check(_taken_at, signed_in_at)
    checks.raise_if_any()
    if client_ref is not None:
        earlier = (
            SignIn.objects.select_related("worker__resident__village").filter(client_ref=client_ref).first()
        )
        if earlier is not None:
            if earlier.worker.resident.id_number != number.number or earlier.bureau_id != spot.town.bureau_id:
                raise Conflict(
                    _("This reference was already used for another sign-in."), code="client_ref_used"
                )
            return _answer(earlier, False, actor, spot.name)
    worker = (
        GigWorker.objects.select_for_update()
        .select_related("resident__village")
        .filter(bureau_id=spot.town.bureau_id, resident__id_number=number.number)
        .first()
    )
    if worker is None:
        raise NotFound(NOT_A_WORKER, field="id_number", code="not_a_gig_worker")
    day = timezone.localdate(moment)
    same_day = (
        SignIn.objects.select_related("worker__resident__village").filter(worker=worker, day=day).first()
    )
    if same_day is not None:
        return _answer(same_day, False, actor, spot.name)
    sign_in = SignIn.objects.create(
        bureau_id=worker.bureau_id,
        worker=worker,
        day=day,
        signed_in_at=moment,
        market=spot.market,
        service_point=spot.service_point,
        channel=SignIn.Channel.FIELD
        if client_ref
        else (SignIn.Channel.BOOTH if spot.market else SignIn.Channel.STATION),
        client_ref=client_ref,
        recorded_by=actor,
    )
    return _answer(sign_in, True, actor, spot.name)
