"""Questions answered at a booth or at a counter (a township station's or the district hall's):
logged in a few taps, each with a slip whose code the person rates the visit with (一次一评); at a
booth, a question can also be turned into a case there and then."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.cases.models import Case, Rating
from linju.cases.services import Intake, case_accept_within, offline_moment, rating_record_within
from linju.catalog.models import Channel, ServiceItem
from linju.core.errors import DomainError, NotFound
from linju.geo.models import ServicePoint
from linju.people.selectors import resident_get_for_viewer

from ..models import BoothSession, Consultation
from ..selectors import booth_get_for_viewer, counter_get_for_viewer, slip_code_clean
from .staff import _staff_only

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.geo.models import Town


# the slip's code: ZX and eight letters and digits a person reads without confusing them (no 0/O, 1/I)
SLIP_PREFIX = "ZX"
SLIP_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def slip_code_new() -> str:
    return SLIP_PREFIX + "".join(secrets.choice(SLIP_ALPHABET) for _ in range(8))


@transaction.atomic(durable=True)
def consultation_rate(
    *, slip_code: str, level: int, comment: str = "", now: datetime.datetime | None = None
) -> Rating:
    """一次一评: the person rates a visit to a booth or a counter with the code on its slip, once. A
    question turned into a case is rated as its case (一事一评), not twice. Named when the person was
    recorded: a named 差评 is called back as a case's is. The rating is the consultation's town's, by
    the channel of where it was asked (a booth, or a counter)."""
    code = slip_code_clean(slip_code)
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("town", "item", "created_by")
        .filter(slip_code=code)
        .first()
        if code
        else None
    )
    if consultation is None:
        raise NotFound(_("No visit has this slip code. Check the code on your slip."), field="slip_code")
    if consultation.case_id is not None:
        raise DomainError(
            _("This visit became a case: rate the case on the status page when it is finished."),
            code="rate_the_case",
        )
    return rating_record_within(
        bureau_id=consultation.bureau_id,
        town=consultation.town,
        item=consultation.item,
        channel=Channel.BOOTH if consultation.booth_id is not None else Channel.COUNTER,
        rated_staff=consultation.created_by,
        named=consultation.resident_id is not None,
        level=level,
        comment=comment,
        source=Rating.Source.SLIP,
        subject=code,
        consultation_id=consultation.pk,
        now=now,
    )


def _consultation_log(  # inside the caller's transaction
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
    booth = booth_get_for_viewer(viewer=actor, booth_id=booth_id)
    consultation = _logged_at(
        actor=actor,
        bureau_id=booth.market.town.bureau_id,
        place={"booth": booth},
        town=booth.market.town,
        item_code=item_code,
        note=note,
        resident_id=resident_id,
        case_number=case_number,
        idempotency_key=idempotency_key,
        taken_at=taken_at,
    )
    if booth.status == BoothSession.Status.PLANNED:
        booth.status = BoothSession.Status.HELD
        booth.save(update_fields=["status", "updated_at"])
    return consultation


@transaction.atomic(durable=True)
def counter_consultation_log(
    *,
    actor: User,
    service_point_code: str,
    item_code: str = "",
    note: str = "",
    resident_id: int | None = None,
    idempotency_key: str = "",
    taken_at: datetime.datetime | None = None,
) -> Consultation:
    """A question answered at a counter with no case: a township station of the actor's towns, or
    (district staff) their bureau's hall. Counted in the station's town; at the hall, in the town of
    the person answered, else the hall's own. Its slip's code rates the visit, as a booth's does."""
    _staff_only(actor)
    point = counter_get_for_viewer(viewer=actor, code=service_point_code)
    at_hall = point.kind == ServicePoint.Kind.DISTRICT_HALL
    return _logged_at(
        actor=actor,
        bureau_id=point.bureau_id,
        place={"service_point": point},
        town=point.town,
        persons_town_first=at_hall,
        item_code=item_code,
        note=note,
        resident_id=resident_id,
        idempotency_key=idempotency_key,
        taken_at=taken_at,
    )


def _logged_at(
    *,
    actor: User,
    bureau_id: int,
    place: dict,
    town: Town | None,
    persons_town_first: bool = False,
    item_code: str,
    note: str,
    resident_id: int | None,
    case_number: str = "",
    idempotency_key: str,
    taken_at: datetime.datetime | None,
) -> Consultation:
    """What a booth's question and a counter's share, once the place is found within the actor's
    scope (`place`: its booth or its service point): the key sent twice logs once, the topic or the
    note, the person, the case it became, and the row with its slip's code. `town`: the place's;
    with `persons_town_first` (the district hall), the person's when one is recorded."""
    moment = offline_moment(taken_at) if taken_at is not None else timezone.now()
    key = idempotency_key.strip()[:80] or None
    if key is not None:
        again = Consultation.objects.filter(bureau_id=bureau_id, idempotency_key=key).first()
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
        case = Case.objects.all().visible_to(actor).filter(number=case_number).first()
        if case is None:
            raise NotFound(_("No such case."), field="case_number")
        linked = Consultation.objects.filter(case=case).first()
        if linked is not None:
            return linked  # the same case sent again (its idempotency key): logged once
        resident, item = case.applicant, case.item
    if item is None and not note.strip():
        raise DomainError(_("Choose a topic or write a note."), field="item_code")
    if persons_town_first and resident is not None:
        town = resident.village.town
    if town is None:
        raise DomainError(
            _("This hall belongs to no town: say whom you answered, so the visit counts in their town."),
            field="resident_id",
        )
    try:
        with transaction.atomic():  # a savepoint: a twin sent at the same moment may win the key
            return Consultation.objects.create(
                bureau_id=bureau_id,
                **place,
                town=town,
                item=item,
                note=note.strip()[:300],
                resident=resident,
                outcome=Consultation.Outcome.CASE if case else Consultation.Outcome.ANSWERED,
                case=case,
                created_by=actor,
                created_at=moment,
                idempotency_key=key,
                slip_code=slip_code_new(),
            )
    except IntegrityError:
        if key is None:
            raise
        return Consultation.objects.get(bureau_id=bureau_id, idempotency_key=key)


# its own transaction; `consultation_to_case` logs one inside the case's, by `_consultation_log`
consultation_log = transaction.atomic(durable=True)(_consultation_log)


@transaction.atomic(durable=True)
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
    case = case_accept_within(actor=actor, intake=intake, now=now)
    return _consultation_log(actor=actor, booth_id=booth_id, note=note, case_number=case.number)
