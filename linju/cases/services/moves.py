"""The moves of a case: the one table of allowed steps, the one guard, and each action's service
(start, 补正, resume, 代办, send back, 办结 with its outcome, 送达, 退回, and reopening a benefit
granted on the data alone when its resident objects, 异议)."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can, refused, require
from linju.catalog.acceptance import Verdict, promised_days
from linju.catalog.models import Channel
from linju.catalog.selectors import station_for
from linju.core.errors import Conflict, DomainError
from linju.notify.sms import can_receive_texts
from linju.workdays.selectors import add_working_days, calendar

from ..models import Case, CaseEvent
from ..papers import paper_of_step
from ..selectors import case_get_for_viewer
from .bundle_follow import PART_ANSWERS, bundle_follow
from .common import _clean_materials, _event, _forwardable, _promise_text, _sms
from .province import tell_province_of_move

if TYPE_CHECKING:
    from linju.accounts.models import User


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
    # 异议: a benefit granted on the data alone (免申即享, nobody applied) is looked at again when its
    # resident objects; any other decision is reviewed by 行政复议 or a court, not reopened
    "reopen": Step(frozenset({Case.Status.FINISHED}), Case.Status.IN_PROGRESS, "case.reopen"),
}

# every capability a move may need: a page or operation that moves cases declares them all
MOVE_CAPABILITIES: tuple[str, ...] = tuple(step.capability for step in TRANSITIONS.values())


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
    if action == "reopen" and not (case.channel == Channel.OFFER and case.outcome == Case.Outcome.GRANTED):
        return Conflict(
            _(
                "Only a benefit granted on the data alone is reopened by an objection; another decision "
                "may be reviewed (行政复议) or taken to court."
            ),
            code="not_reopenable",
        )
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
    # a move the table does not allow from the case's status is refused by `move_refusal` whatever
    # else holds: it is not asked (its refusal would only be made to be dropped)
    return [
        action
        for action, step in TRANSITIONS.items()
        if case.status in step.sources and move_refusal(case, action, viewer) is None
    ]


@dataclass(frozen=True)
class Plan:
    """An action's own part of a move: `change` does its work on the locked case and returns the
    event's detail; `texts` queues its texts to the resident, given the case as moved."""

    change: Callable[[Case, datetime.date], dict]
    texts: Callable[[Case], None] | None = None


def _move(
    actor: User,
    number: str,
    action: str,
    plan: Plan,
    *,
    durable: bool,
    note: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """What every move shares: the case locked within the actor's scope, its version, the one guard
    (`move_refusal`: the status, the capability, the case's facts), then `change` (the action's own
    work, returning the event's detail; it may settle the status, as a resume sending a case back to
    the district does), the version and the timeline step, in one transaction. The lock makes
    simultaneous moves wait and each then sees the case as the one before left it. The move's paper
    and its `texts` (the action's texts to the resident, given the case as moved) are queued inside
    that transaction: sent once it commits, never when it rolls back.

    `durable`: the move is its own durable transaction (every public move: a page, the API, the
    field app); otherwise a savepoint in the transaction of a service that holds one
    (`case_move_within`: outreach finishes a home task's case in the task's transaction, the demo
    loader takes and moves each case as one)."""
    step = TRANSITIONS[action]
    require(actor, step.capability)  # the role, before anything is read
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic(durable=durable):
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
        detail = plan.change(case, now.date())
        if case.status in Case.CLOSED and previous not in Case.CLOSED:
            case.closed_at = now
        case.version += 1
        case.save()
        _event(case, action, actor, previous, at=now, note=note.strip()[:2000], **detail)
        if case.bundle_id is not None:  # a part of a bundle case: the bundle follows it, and answers once
            bundle_follow(case, actor=actor, action=action, now=now)
        paper_of_step(case, action)
        tell_province_of_move(case, action, now)  # in the move's transaction: rolled back with it
        if plan.texts is not None and not (case.bundle_id is not None and action in PART_ANSWERS):
            plan.texts(case)
    return case


def _start_plan() -> Plan:
    return Plan(lambda case, today: {})


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


def _suspend_plan(missing: list[str] | None = None) -> Plan:
    cleaned = _missing_list(missing)

    def texts(case: Case) -> None:
        _sms(
            case,
            "suspended",
            _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s. %(promise)s"),
            template="suspended_promise",
            missing="、".join(case.materials_missing),
            promise=_promise_text(case),
        )

    return Plan(lambda case, today: _pause(case, today, cleaned), texts)


def _send_back_plan(missing: list[str] | None = None) -> Plan:
    cleaned = _missing_list(missing)

    def change(case: Case, today: datetime.date) -> dict:
        case.level = Case.Level.TOWN
        return _pause(case, today, cleaned)

    def texts(case: Case) -> None:
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

    return Plan(change, texts)


def _resume_plan() -> Plan:

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

    return Plan(change)


def _forward_plan() -> Plan:

    def change(case: Case, today: datetime.date) -> dict:
        case.level = Case.Level.DISTRICT
        case.forwarded_at = timezone.now()
        return {}

    return Plan(change)


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


def _finish_plan(outcome: Outcome | None = None) -> Plan:
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

    def texts(case: Case) -> None:
        message, template, params = _finish_text(case)
        _sms(case, "finished", message, template=template, item=case.item.name, **params)

    return Plan(change, texts)


def _hand_over_plan() -> Plan:

    def change(case: Case, today: datetime.date) -> dict:
        case.handover, case.handed_over_at = Case.Handover.DONE, timezone.now()
        return {}

    return Plan(change)


def _return_plan(reason: str = "") -> Plan:
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(_("Say why the case is returned and what the person can do next."), field="reason")

    def change(case: Case, today: datetime.date) -> dict:
        case.return_reason = reason
        return {}

    def texts(case: Case) -> None:
        _sms(
            case,
            "returned",
            _("[Qijiang HRSS] Request %(number)s was returned: %(reason)s"),
            reason=case.return_reason[:120],
        )

    return Plan(change, texts)


OBJECTION_LENGTH = 500


def _reopen_plan(reason: str = "") -> Plan:
    """异议: the resident objects to what was granted on the data. The decision is set aside (kept in
    the event), the case is worked on again with a new promise of the item's working days from today,
    and from now on its texts go to the resident's mobile as any applicant's."""
    reason = " ".join(str(reason or "").split())[:OBJECTION_LENGTH]

    def change(case: Case, today: datetime.date) -> dict:
        detail = {
            "objection": reason,
            "previous_outcome": case.outcome,
            "previous_detail": case.outcome_detail[:200],
            "previous_rule": case.outcome_rule,
            "previous_promise": case.promised_date.isoformat(),
        }
        case.outcome = case.outcome_detail = case.outcome_rule = case.outcome_period = case.handover = ""
        case.outcome_amount, case.closed_at = None, None
        days = promised_days(case.item, Verdict.FORWARD if case.forwarded_at else Verdict.FINISH)
        deadline = add_working_days(today, days)
        case.clock_from, case.clock_days = today, days
        case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
        case.texts_to_applicant = can_receive_texts(case.applicant_phone)
        return detail | {"promised_date": case.promised_date.isoformat()}

    def texts(case: Case) -> None:
        _sms(
            case,
            "reopened",
            _(
                "[Qijiang HRSS] Your objection to the decision on request %(number)s is "
                "received: it is looked at again. %(promise)s"
            ),
            promise=_promise_text(case),
        )

    return Plan(change, texts)


# each action's plan, given the action's own arguments (checked here, before any transaction)
PLANS: dict[str, Callable[..., Plan]] = {
    "start": _start_plan,
    "suspend": _suspend_plan,
    "resume": _resume_plan,
    "forward": _forward_plan,
    "send_back": _send_back_plan,
    "finish": _finish_plan,
    "hand_over": _hand_over_plan,
    "return": _return_plan,
    "reopen": _reopen_plan,
}
assert PLANS.keys() == TRANSITIONS.keys()


# The public moves: each one durable transaction of its own, which refuses to run inside a caller's
# transaction (that could still roll the move back after its texts were promised). A service that
# moves a case as part of its own action calls `case_move_within`.


def case_start(*, actor: User, number: str, **options) -> Case:
    """Work starts (at the station, or at the district on a case it handles)."""
    return _move(actor, number, "start", _start_plan(), durable=True, **options)


def case_suspend(*, actor: User, number: str, missing: list[str] | None = None, **options) -> Case:
    """补正: the clock stops until every missing material is brought, listed all at once."""
    return _move(actor, number, "suspend", _suspend_plan(missing), durable=True, **options)


def case_send_back(*, actor: User, number: str, missing: list[str] | None = None, **options) -> Case:
    """The district returns a forwarded case to its town for a missing paper: the clock pauses as for
    补正, the town collects the paper, and resuming sends the case back to the district."""
    return _move(actor, number, "send_back", _send_back_plan(missing), durable=True, **options)


def case_resume(*, actor: User, number: str, **options) -> Case:
    """The materials are complete: the clock runs again with the working days it had left. A case
    the district had sent back to the town goes back to the district."""
    return _move(actor, number, "resume", _resume_plan(), durable=True, **options)


def case_forward(*, actor: User, number: str, **options) -> Case:
    """代办: a station case of an item the station does not finish goes to the district, the same day."""
    return _move(actor, number, "forward", _forward_plan(), durable=True, **options)


def case_finish(*, actor: User, number: str, outcome: Outcome | None = None, **options) -> Case:
    """办结, with the outcome: at the station only for an item delegated to it to finish; otherwise
    at the district, which may send the result to the station for hand-over (送达)."""
    return _move(actor, number, "finish", _finish_plan(outcome), durable=True, **options)


def case_hand_over(*, actor: User, number: str, **options) -> Case:
    """送达: the station handed the result to the person (or their agent)."""
    return _move(actor, number, "hand_over", _hand_over_plan(), durable=True, **options)


def case_return(*, actor: User, number: str, reason: str = "", **options) -> Case:
    """退回: with the reason and what the person can do next, in plain words."""
    return _move(actor, number, "return", _return_plan(reason), durable=True, **options)


def case_reopen(*, actor: User, number: str, reason: str = "", **options) -> Case:
    """异议: a benefit granted on the data alone is looked at again (`reason`: what the resident
    objects to, when they said). Offers decide whether the objection came in time."""
    return _move(actor, number, "reopen", _reopen_plan(reason), durable=True, **options)


ACTIONS: dict[str, Callable[..., Case]] = {
    "start": case_start,
    "suspend": case_suspend,
    "resume": case_resume,
    "forward": case_forward,
    "send_back": case_send_back,
    "finish": case_finish,
    "hand_over": case_hand_over,
    "return": case_return,
    "reopen": case_reopen,
}
assert ACTIONS.keys() == TRANSITIONS.keys()


def _plan_by_name(action: str, missing: list[str] | None, reason: str, outcome: Outcome | None) -> Plan:
    """The named action's plan, given the arguments its service takes."""
    if action not in PLANS:
        raise DomainError(_("Unknown action “%(action)s”."), params={"action": action}, field="action")
    if action in ("suspend", "send_back"):
        return PLANS[action](missing)
    if action in ("return", "reopen"):
        return PLANS[action](reason)
    if action == "finish":
        return PLANS[action](outcome)
    return PLANS[action]()


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
    """Move a case one step by the action's name (a form's button, the API's body), as the action's
    own service does, in a durable transaction of its own. Refused with a message when the step is
    not allowed; when `expected_version` is given and someone else moved the case first, refused with
    a Conflict."""
    plan = _plan_by_name(action, missing, reason, outcome)
    return _move(
        actor, number, action, plan, durable=True, note=note, expected_version=expected_version, now=now
    )


def case_move_within(
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
    """`case_transition` for a service that already holds the transaction: the move is a savepoint in
    it, both or neither (outreach finishes a home task's case with the task; the demo loader takes
    and moves each case as one). The caller owns durability: the move's texts and paper are queued
    on the caller's commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_move_within runs inside its caller's transaction: call case_transition.")
    plan = _plan_by_name(action, missing, reason, outcome)
    return _move(
        actor, number, action, plan, durable=False, note=note, expected_version=expected_version, now=now
    )
