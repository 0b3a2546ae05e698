"""异议 reopens a benefit granted on the data alone (a case of channel offer, finished granted): worked
on again with a new promise of the item's working days, the decision kept in the event, a text that
the objection is received. Any other decision is not reopened; leaders reopen nothing."""

import pytest
from django.db import transaction

from linju.accounts.services import bureau_system_user
from linju.cases.models import Case, CaseEvent
from linju.cases.services import (
    Intake,
    Outcome,
    allowed_actions,
    case_accept,
    case_accept_within,
    case_finish,
    case_move_within,
    case_reopen,
)
from linju.conftest_world import at
from linju.core.errors import Conflict, NotFound, PermissionDenied
from linju.notify.models import OutboxMessage
from linju.workdays.selectors import add_working_days

GRANTED = Outcome(kind="granted", detail="已为您办理", rule="参保满1年(第3版)")


def _granted_on_data(served) -> Case:
    """A case as a grant on the data makes it: taken on channel offer and finished, in one transaction."""
    system = bureau_system_user(bureau_id=served.dai.bureau_id)
    with transaction.atomic():
        case = case_accept_within(
            actor=system,
            intake=Intake(
                item_code="UI-002",
                channel="offer",
                offered=True,
                applicant_id=served.dai.pk,
                texts_to_applicant=False,
            ),
            now=at(2026, 12, 7),
        )
        return case_move_within(
            actor=system, number=case.number, action="finish", outcome=GRANTED, now=at(2026, 12, 7)
        )


def test_an_objection_reopens_a_grant_on_the_data_with_a_new_promise(
    served, django_capture_on_commit_callbacks
):
    case = _granted_on_data(served)
    assert "reopen" in allowed_actions(case, served.cadre)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = case_reopen(
            actor=served.cadre, number=case.number, reason="已在外地领取", now=at(2026, 12, 9)
        )
    assert (reopened.status, reopened.outcome, reopened.outcome_rule, reopened.closed_at) == (
        Case.Status.IN_PROGRESS,
        "",
        "",
        None,
    )
    assert reopened.promised_date == add_working_days(at(2026, 12, 9).date(), 5).date
    assert reopened.texts_to_applicant and reopened.version == case.version + 1
    event = reopened.events.get(action=CaseEvent.Action.REOPEN)
    assert (event.actor, event.from_status, event.to_status) == (served.cadre, "finished", "in_progress")
    assert event.detail["objection"] == "已在外地领取" and event.detail["previous_rule"] == "参保满1年(第3版)"
    (text,) = OutboxMessage.objects.filter(purpose="reopened")
    assert text.phone == served.dai.phone and "异议已收到" in text.text and case.number in text.text
    # reopened once: it is open now, so a second reopening is refused by the table
    with pytest.raises(Conflict) as again:
        case_reopen(actor=served.cadre, number=case.number)
    assert again.value.code == "transition_not_allowed"


def test_a_decision_someone_applied_for_is_not_reopened_but_reviewed(served):
    case = case_accept(
        actor=served.cadre,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            applicant_id=served.dai.pk,
            service_point_code="station-yx",
            materials_received=["居民身份证"],
        ),
    )
    finished = case_finish(actor=served.cadre, number=case.number, outcome=GRANTED)
    assert "reopen" not in allowed_actions(finished, served.cadre)
    with pytest.raises(Conflict) as refused:
        case_reopen(actor=served.cadre, number=case.number)
    assert refused.value.code == "not_reopenable" and "行政复议" in refused.value.text()
    assert Case.objects.get().status == Case.Status.FINISHED


def test_leaders_reopen_nothing_and_staff_of_another_town_do_not_see_it(served):
    case = _granted_on_data(served)
    with pytest.raises(PermissionDenied):
        case_reopen(actor=served.leader, number=case.number)
    assert "reopen" not in allowed_actions(case, served.leader)
    with pytest.raises(NotFound):
        case_reopen(actor=served.dongxi_cadre, number=case.number)
    assert Case.objects.get().status == Case.Status.FINISHED
