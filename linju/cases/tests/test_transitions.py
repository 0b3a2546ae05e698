"""The one table of case moves (`TRANSITIONS`), from every entry point: each action's own service,
the move by name (what the demo loader and any import use), the case page's form and the API.
Every status × every action: allowed where the table says, refused with the same Conflict elsewhere."""

import datetime

import pytest

from linju.cases.models import Case
from linju.cases.services import (
    ACTIONS,
    TRANSITIONS,
    Outcome,
    allowed_actions,
    case_transition,
)
from linju.cases.tests.factories import case_at_counter
from linju.core.errors import Conflict, PermissionDenied

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 25, 10, tzinfo=TZ)
OPTIONS = {
    "suspend": {"missing": ["诊断证明"]},
    "send_back": {"missing": ["诊断证明原件"]},
    "return": {"reason": "不符合条件"},
    "finish": {"outcome": Outcome(kind="granted", detail="已发放")},
}
ENTRY_POINTS = ("service", "by_name", "page", "api")


def _case_in(served, status: str, action: str) -> Case:
    case = case_at_counter(served, actor=served.staff, now=NOW)
    Case.objects.filter(pk=case.pk).update(
        status=status,
        suspended_on=NOW.date() if status == "suspended" else None,
        remaining_days=3 if status == "suspended" else None,
        return_reason="x" if status == "returned" else "",
        closed_at=NOW if status in ("finished", "returned") else None,
        level="district" if status == "forwarded" or action == "send_back" else "town",
        forwarded_at=NOW if action == "send_back" else None,  # what the district sends back a town sent
        handover="waiting" if action == "hand_over" and status == "finished" else "",
        outcome="granted" if status == "finished" else "",
        item=served.md if action == "forward" else served.ui,  # an item the station forwards
    )
    return Case.objects.get(pk=case.pk)


def _move(entry: str, served, clients, case: Case, action: str) -> tuple[bool, str]:
    """(moved, the code of the refusal) through one entry point."""
    options = OPTIONS.get(action, {})
    if entry in ("service", "by_name"):
        try:
            if entry == "service":
                ACTIONS[action](actor=served.staff, number=case.number, **options)
            else:
                case_transition(actor=served.staff, number=case.number, action=action, **options)
        except Conflict as refused:
            return False, refused.code
        return True, ""
    if entry == "page":
        form = {
            "action": action,
            "note": "",
            "missing": "\n".join(options.get("missing", [])),
            "reason": options.get("reason", ""),
            "version": case.version,
        }
        if "outcome" in options:
            form |= {"outcome": options["outcome"].kind, "outcome_detail": options["outcome"].detail}
        response = clients["page"].post(f"/staff/cases/{case.number}/transition/", form, follow=True)
        assert response.status_code == 200
        moved = Case.objects.get(pk=case.pk).version != case.version  # a hand-over keeps the status
        return (
            moved,
            ""
            if moved
            else "transition_not_allowed"
            if "cannot be" in response.content.decode() or "不能" in response.content.decode()
            else "?",
        )
    body = {"action": action, **options}
    if "outcome" in options:
        body["outcome"] = {"kind": options["outcome"].kind, "detail": options["outcome"].detail}
    response = clients["api"].post(
        f"/api/v1/cases/{case.number}/transitions",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {clients['key']}",
    )
    if response.status_code == 200:
        return True, ""
    assert response.status_code == 409, response.content
    return False, response.json()["code"]


@pytest.fixture
def clients(served, client):
    from django.test import Client

    from linju.accounts.services import api_token_create

    client.force_login(served.staff)
    _token, key = api_token_create(user=served.staff, name="t")
    return {"page": client, "api": Client(), "key": key}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_allowed_and_refused_move_from_each_entry_point(served, clients, entry):
    for status in Case.Status.values:
        for action, step in TRANSITIONS.items():
            case = _case_in(served, status, action)
            moved, code = _move(entry, served, clients, case, action)
            assert moved is (status in step.sources), (entry, status, action)
            if moved:
                assert Case.objects.get(pk=case.pk).status == step.target
            else:
                assert code == "transition_not_allowed", (entry, status, action)
                assert Case.objects.get(pk=case.pk).status == status  # nothing changed


def test_every_row_has_its_service_and_capability():
    from linju.access.capabilities import CAPABILITIES

    assert ACTIONS.keys() == TRANSITIONS.keys()
    assert all(step.capability in CAPABILITIES for step in TRANSITIONS.values())


def test_allowed_actions_follow_the_table_and_the_viewer(served):
    case = _case_in(served, "accepted", "forward")  # an item the station forwards
    assert allowed_actions(case) == ["start", "suspend", "forward", "finish", "return"]
    Case.objects.filter(pk=case.pk).update(status="forwarded", level="district", forwarded_at=NOW)
    case.refresh_from_db()  # forwarded by the town: the district may send it back for a paper
    assert allowed_actions(case, served.staff) == ["start", "suspend", "send_back", "finish", "return"]
    assert "send_back" not in allowed_actions(case, served.cadre)
    Case.objects.filter(pk=case.pk).update(status="accepted", level="town", forwarded_at=None)
    case.refresh_from_db()
    assert allowed_actions(case, served.leader) == []  # leaders follow cases
    Case.objects.filter(pk=case.pk).update(level="district")
    case.refresh_from_db()
    assert "finish" not in allowed_actions(case, served.cadre) and "finish" in allowed_actions(
        case, served.staff
    )


def test_leaders_are_refused_every_move_at_every_entry_point(served):
    case = _case_in(served, "accepted", "start")
    for action in TRANSITIONS:
        with pytest.raises(PermissionDenied):
            ACTIONS[action](actor=served.leader, number=case.number, **OPTIONS.get(action, {}))
        with pytest.raises(PermissionDenied):
            case_transition(actor=served.leader, number=case.number, action=action, **OPTIONS.get(action, {}))
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_the_page_and_the_api_offer_a_cadre_only_the_moves_that_make_sense(served, clients, client):
    """A station case the station does not finish: the cadre sees 转区局代办 and not 办结; district
    staff may finish it where it is."""
    from linju.accounts.services import api_token_create

    case = _case_in(served, "accepted", "forward")
    client.force_login(served.cadre)
    page = client.get(f"/staff/cases/{case.number}/").content.decode()
    assert 'value="forward"' in page and 'value="finish"' not in page
    _token, key = api_token_create(user=served.cadre, name="t")
    body = client.get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert "forward" in body["allowed_actions"] and "finish" not in body["allowed_actions"]
    staff = clients["api"].get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {clients['key']}")
    assert "finish" in staff.json()["allowed_actions"]
