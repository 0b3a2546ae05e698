"""What the province's 政务服务 platform is told of a case: its 受理, 补正, 退回, 延期 and 办结, each
one message written in the move's own transaction (linju/exchange), so a move rolled back tells
nothing. Exchange knows nothing of cases: it is handed the record's plain fields here."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linju.exchange.models import Kind, Message
from linju.exchange.services import Outgoing, exchange_enqueue_all, exchange_message
from linju.geo.selectors import bureau_by_id

from ..models import Case, FollowUp, Rating

# the moves the province is told of, and as what
KIND_OF_MOVE = {
    "suspend": Kind.CASE_SUSPENDED,
    "send_back": Kind.CASE_SUSPENDED,  # the district sends it back to the town for papers: 补正 again
    "return": Kind.CASE_RETURNED,
    "finish": Kind.CASE_FINISHED,
}


def tell_province(case: Case, kind: str, at: datetime.datetime, **fields) -> None:
    """One message for the case as it stands now (its number, version and the kind name the change
    once). The case's item and town are loaded with it and the bureau is held: one INSERT."""
    exchange_enqueue_all([_outgoing(case, kind, at, **fields)])


def province_message(case: Case, kind: str, at: datetime.datetime, **fields) -> Message:
    """The message `tell_province` writes, not yet saved (for the intake, which writes it with the
    case in one statement)."""
    return exchange_message(_outgoing(case, kind, at, **fields))


def tell_province_of_all(cases: list[Case], kind: str, at: datetime.datetime) -> None:
    """The same change of several cases made together (a bundle's parts taken): one INSERT."""
    exchange_enqueue_all(
        [_outgoing(case, kind, at, missing=list(case.materials_missing) or None) for case in cases]
    )


def _outgoing(case: Case, kind: str, at: datetime.datetime, **fields) -> Outgoing:
    return Outgoing(
        bureau_id=case.bureau_id,
        kind=kind,
        reference=f"{case.number}:{case.version}:{kind}",
        case_number=case.number,
        service_code=case.item.code,
        region_code=case.town.code,
        occurred_at=at,
        fields={
            "item_version": case.item.valid_from.isoformat(),
            "department_code": bureau_by_id(bureau_id=case.bureau_id).code,
            "channel": case.channel,
            "accepted_on": timezone.localtime(case.accepted_at).date(),
            "promised_date": case.promised_date,
            "status": case.status,
        }
        | fields,
    )


def tell_province_of_move(case: Case, action: str, at: datetime.datetime) -> None:
    kind = KIND_OF_MOVE.get(action)
    if kind is None:
        return
    fields: dict = {}
    if kind == Kind.CASE_SUSPENDED:
        fields["missing"] = list(case.materials_missing)
    elif kind == Kind.CASE_RETURNED:
        fields["reason"] = case.return_reason[:2000]
    elif kind == Kind.CASE_FINISHED:
        fields |= {"outcome": case.outcome, "finished_on": timezone.localtime(at).date()}
    tell_province(case, kind, at, **fields)


def rated_staff_code(user) -> str:
    """The staff member rated, as the province knows them: their log-in name (no person's name)."""
    return user.username[:40] if user is not None else ""


def tell_province_of_rating(rating: Rating, *, subject: str) -> None:
    """The rating in the national 好差评 field set (办件编号, 事项编码, region, channel, level, the
    staff member rated, time), in the rating's own transaction. `subject` is the case's number, or
    the consultation slip's code for a visit (一次一评)."""
    exchange_enqueue_all([_rating_outgoing(rating, Kind.RATING, subject, rating.created_at)])


def tell_province_of_rectification(follow_up: FollowUp, *, subject: str) -> None:
    """The rectification, once done: how (立行立改, 限期整改, 解释说明), what was done, and when."""
    rating = follow_up.rating
    exchange_enqueue_all(
        [
            _rating_outgoing(
                rating,
                Kind.RECTIFICATION,
                subject,
                follow_up.rectified_at,
                rectification=follow_up.way,
                result=follow_up.rectification[:2000],
                rectified_on=timezone.localtime(follow_up.rectified_at).date(),
            )
        ]
    )


def _rating_outgoing(rating: Rating, kind: str, subject: str, at: datetime.datetime, **fields) -> Outgoing:
    return Outgoing(
        bureau_id=rating.bureau_id,
        kind=kind,
        reference=f"{subject}:{kind}",
        case_number=subject,
        service_code=rating.item.code if rating.item_id else CONSULTATION_SERVICE_CODE,
        region_code=rating.town.code,
        occurred_at=at,
        fields={
            "channel": rating.channel,
            "level": rating.level,
            "rated_staff": rated_staff_code(rating.rated_staff),
            "rating_source": rating.source,
        }
        | fields,
    )


# a booth question with no item chosen (a general question): the province's code for 咨询
CONSULTATION_SERVICE_CODE = "consultation"
