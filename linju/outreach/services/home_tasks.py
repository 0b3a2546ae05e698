"""Visits to someone's home: made by hand, from a phone request or from the pension roster, and
done."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.roles import is_town_cadre
from linju.access.scoping import cadres_serving
from linju.cases.models import Case
from linju.cases.services import Intake, Outcome, allowed_actions, case_accept_within, case_move_within
from linju.catalog.models import Channel, ServiceItem
from linju.core.errors import Conflict, DomainError, NotFound
from linju.people.models import Resident
from linju.people.selectors import resident_get_for_viewer

from ..models import Certification, HomeTask, Pensioner
from .certification import _certification_record
from .staff import _cadre_of, _pensioner_of, _staff_only

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_VISIT_DAYS_AHEAD = 90


def _home_task_create(  # inside the caller's transaction
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


# its own transaction; a phone request or the roster makes one inside theirs, by `_home_task_create`
home_task_create = transaction.atomic(durable=True)(_home_task_create)


def home_task_create_within(**fields) -> HomeTask:
    """A home task made inside another app's transaction, as one part of its action (a resident's
    answer to an offer asking for a cadre to come): both or neither. Refuses to run alone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "home_task_create_within runs inside its caller's transaction: call home_task_create."
        )
    return _home_task_create(**fields)


@dataclass(frozen=True)
class ItemToBring:
    """A job's ask (no one at a desk): tell this resident about this item at home, by this day."""

    resident_id: int
    item_id: int
    due_date: datetime.date
    note: str = ""


def home_tasks_to_bring_items(*, asks: list[ItemToBring]) -> list[HomeTask]:
    """Home tasks a job makes for the cadres (an offer that cannot go by text, or had no answer):
    one per ask, in the order asked, each for the first cadre of the resident's town (as the roster's
    are), marked as found by discovery. In the caller's transaction, so the caller can link each
    task to what asked for it, or neither; in bulk (residents and cadres read once each)."""
    if not asks:
        return []
    cadre_of: dict[int, int] = {}
    for town_id, user_id in cadres_serving().values_list("towns", "pk"):
        cadre_of.setdefault(town_id, user_id)
    residents = {
        pk: (bureau_id, town_id)
        for pk, bureau_id, town_id in Resident.objects.filter(
            pk__in={ask.resident_id for ask in asks}
        ).values_list("pk", "bureau_id", "village__town_id")
    }
    tasks = [
        HomeTask(
            bureau_id=residents[ask.resident_id][0],
            kind=HomeTask.Kind.OTHER,
            asked_via=HomeTask.AskedVia.DISCOVERY,
            resident_id=ask.resident_id,
            item_id=ask.item_id,
            due_date=ask.due_date,
            assigned_to_id=cadre_of.get(residents[ask.resident_id][1]),
            note=ask.note.strip()[:500],
        )
        for ask in asks
    ]
    return HomeTask.objects.bulk_create(tasks, batch_size=2_000)


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


@transaction.atomic(durable=True)
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
    case = case_accept_within(actor=actor, intake=intake)
    task = None
    if request.cannot_travel:
        task = _home_task_create(
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


@transaction.atomic(durable=True)
def home_certification_schedule(
    *, actor: User, pensioner_id: int, year: int, visit_date: datetime.date
) -> HomeTask:
    """From the roster, in one step: the pensioner cannot travel, and a cadre of their town comes to
    take the fingerprint on the day given (once a year: a second press gives back the same task)."""
    _staff_only(actor)
    pensioner = _pensioner_of(actor, pensioner_id, lock=True)
    if Certification.objects.filter(pensioner=pensioner, year=year).exists():
        raise Conflict(_("Already certified this year."), code="certified")
    if not pensioner.cannot_travel:
        pensioner.cannot_travel = True
        pensioner.save(update_fields=["cannot_travel", "updated_at"])
    existing = HomeTask.objects.filter(resident=pensioner.resident, certification_year=year).first()
    if existing is not None:
        return existing
    task = _home_task_create(
        actor=actor,
        kind=HomeTask.Kind.CERTIFICATION,
        resident_id=pensioner.resident_id,
        asked_via=HomeTask.AskedVia.ROSTER,
        due_date=visit_date,
        assigned_to=_cadre_of(pensioner.resident.village.town_id),
        certification_year=year,
    )
    return task


@transaction.atomic(durable=True)
def home_task_complete(
    *, actor: User, task_id: int, result: str, done_on: datetime.date | None = None
) -> HomeTask:
    """Done; a fingerprint certification at home also certifies the pensioner for the year."""
    _staff_only(actor)
    done_on = done_on or timezone.localdate()
    task = HomeTask.objects.select_for_update().visible_to(actor).filter(pk=task_id).first()
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
        _certification_record(
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
    case_move_within(
        actor=actor,
        number=case.number,
        action="finish",
        outcome=Outcome(kind=kind, detail=task.result),
        note=str(_("Done on the home visit: %(result)s") % {"result": task.result[:200]}),
    )
