"""One guard decides a case's moves: what the buttons offer (`allowed_actions`) is exactly what a move
accepts (`move_refusal`, asked by `_move`). Every state a case reaches through the services, each
action, each kind of staff: offered iff accepted, and a refused move changes nothing."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linju.cases.models import Case, CaseEvent
from linju.cases.services import (
    TRANSITIONS,
    Intake,
    Outcome,
    allowed_actions,
    case_accept_within,
    case_move_within,
    move_refusal,
)
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, PermissionDenied

# how a case starts: (who takes it, the item, where, what is missing)
STARTS = {
    "kept at the station": ("cadre", "UI-002", "station-yx", []),
    "kept at the station, a paper missing": ("cadre", "UI-002", "station-yx", ["诊断证明"]),
    "forwarded by the station": ("cadre", "MD-005", "station-yx", []),
    "for the district, a paper missing": ("cadre", "MD-005", "station-yx", ["诊断证明"]),
    "taken at the hall": ("staff", "LR-002", "hall-qj", []),
}
ACTORS = ("cadre", "staff")
OPTIONS = {
    "suspend": {"missing": ["诊断证明"]},
    "send_back": {"missing": ["诊断证明原件"]},
    "return": {"reason": "不符合条件"},
    "finish": {"outcome": Outcome(kind="granted", detail="已发放")},
}
# a move tried only to reach more states: finishing with the result sent to the station
FINISH_FOR_HAND_OVER = {"outcome": Outcome(kind="granted", detail="已发放", hand_over=True)}


class Undo(Exception):
    """Raised to roll a tried move back."""


def _start(served, start: str) -> Case:
    actor, item, point, missing = STARTS[start]
    return case_accept_within(
        actor=getattr(served, actor),
        intake=Intake(
            item_code=item,
            channel="counter",
            service_point_code=point,
            applicant_id=served.dai.pk,
            materials_missing=missing,
        ),
        now=at(2026, 11, 25),
    )


def _do(served, case: Case, actor: str, action: str, options: dict | None = None) -> Case:
    return case_move_within(
        actor=getattr(served, actor),
        number=case.number,
        action=action,
        now=at(2026, 11, 26),
        **(OPTIONS.get(action, {}) if options is None else options),
    )


def _build(served, start: str, path: tuple) -> Case:
    case = _start(served, start)
    for actor, action, options in path:
        case = _do(served, case, actor, action, options)
    return Case.objects.get(pk=case.pk)


def _state(case: Case) -> tuple:
    """What decides a case's moves: its item, status, level, whether a town forwarded it, its hand-over."""
    return case.item.code, case.status, case.level, case.forwarded_at is not None, case.handover


def _snapshot(case: Case) -> tuple:
    return Case.objects.filter(pk=case.pk).values().get(), case.events.count()


def _tried(served, case: Case, actor: str, action: str, options: dict | None = None):
    """The move's result, or its refusal, then rolled back: (result, the case's state after it)."""
    outcome = state = None
    try:
        with transaction.atomic():
            try:
                moved = _do(served, case, actor, action, options)
            except DomainError as refusal:
                outcome = refusal
            else:
                outcome, state = moved, _state(Case.objects.get(pk=case.pk))
            raise Undo
    except Undo:
        pass
    return outcome, state


def _reachable(served) -> dict[tuple, tuple]:
    """Every state the services lead a case to, from every way a case starts, by either kind of
    staff: {state: (start, path of (actor, action, options))}."""
    found: dict[tuple, tuple] = {}
    queue = []
    for start in STARTS:
        with transaction.atomic():
            state = _state(_start(served, start))
            transaction.set_rollback(True)
        if state not in found:
            found[state] = (start, ())
            queue.append(state)
    while queue:
        start, path = found[queue.pop(0)]
        with transaction.atomic():
            case = _build(served, start, path)
            for actor in ACTORS:
                for action, options in [(a, None) for a in TRANSITIONS] + [("finish", FINISH_FOR_HAND_OVER)]:
                    outcome, state = _tried(served, case, actor, action, options)
                    if state is not None and state not in found:
                        found[state] = (start, (*path, (actor, action, options)))
                        queue.append(state)
            transaction.set_rollback(True)
    return found


def test_every_move_in_every_state_is_offered_exactly_when_it_is_accepted(served):
    """Each state × each action × cadre and district staff: the button is there iff the move goes
    through; a refusal is a 409 or 403 in words, the same the guard gives, and changes nothing."""
    states = _reachable(served)
    assert {status for _item, status, *_rest in states} == set(Case.Status.values)
    assert {handover for *_rest, handover in states} == {"", "waiting", "done"}
    checked = refused = 0
    for start, path in states.values():
        with transaction.atomic():
            case = _build(served, start, path)
            for actor in ACTORS:
                offered = allowed_actions(case, getattr(served, actor))
                for action in TRANSITIONS:
                    before = _snapshot(case)
                    outcome, _state_after = _tried(served, case, actor, action)
                    where = (start, path, actor, action, outcome)
                    checked += 1
                    if action in offered:
                        assert isinstance(outcome, Case), where
                        continue
                    refused += 1
                    assert isinstance(outcome, Conflict | PermissionDenied), where
                    assert outcome.code == move_refusal(case, action, getattr(served, actor)).code, where
                    assert outcome.text() and "%(" not in outcome.text(), where
                    assert _snapshot(case) == before, where
            transaction.set_rollback(True)
    assert checked == len(states) * len(ACTORS) * len(TRANSITIONS) and 0 < refused < checked


def _finished(served, *, hand_over: bool) -> Case:
    case = _build(served, "forwarded by the station", ())
    outcome = FINISH_FOR_HAND_OVER if hand_over else OPTIONS["finish"]
    return _do(served, case, "staff", "finish", outcome)


def test_a_finished_case_with_nothing_to_hand_over_refuses_hand_over_in_words(served, client):
    """Finished with the result collected at the district: no 送达 button, and a hand-over tried over
    the API is a 409 in words that changes nothing; the status page says nothing was handed over."""
    from linju.accounts.services import api_token_create

    case = _finished(served, hand_over=False)
    assert "hand_over" not in allowed_actions(case, served.cadre)
    before = _snapshot(case)
    _token, key = api_token_create(user=served.cadre, name="t")
    response = client.post(
        f"/api/v1/cases/{case.number}/transitions",
        {"action": "hand_over"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "nothing_to_hand_over"
    assert "nothing to hand over" in body["message_en"] and "没有" in body["message_zh"]
    assert _snapshot(case) == before and not case.events.filter(action="hand_over").exists()
    forward = client.post(
        f"/api/v1/cases/{case.number}/transitions",
        {"action": "forward"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()  # the status named in the language of each message
    assert "“finished" in forward["message_en"] and "finished" not in forward["message_zh"]
    page = client.post(reverse("status"), {"number": case.number, "phone_last4": served.dai.phone[-4:]})
    assert "已送达" not in page.content.decode()


def test_a_result_is_handed_over_once(served):
    """The second hand-over is refused, saying when it was handed over; the first time stands."""
    case = _finished(served, hand_over=True)
    assert allowed_actions(case, served.cadre) == ["hand_over"]
    handed = _do(served, case, "cadre", "hand_over")
    assert handed.handover == "done" and allowed_actions(handed, served.cadre) == []
    before = _snapshot(case)
    with pytest.raises(Conflict) as refusal:
        _do(served, case, "staff", "hand_over")
    assert refusal.value.code == "already_handed_over"
    on = timezone.localtime(handed.handed_over_at).strftime("%Y-%m-%d")
    assert case.number in refusal.value.text() and on in refusal.value.text()
    assert _snapshot(case) == before
    assert case.events.filter(action=CaseEvent.Action.HAND_OVER).count() == 1


def test_the_case_page_refuses_a_hand_over_with_nothing_waiting(served, client):
    case = _finished(served, hand_over=False)
    client.force_login(served.cadre)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert 'value="hand_over"' not in page
    before = _snapshot(case)
    response = client.post(
        reverse("cases:transition", args=[case.number]),
        {"action": "hand_over", "version": case.version},
        follow=True,
    )
    assert f"办件 {case.number} 没有在服务所等待领取的结果,无需送达" in response.content.decode()
    assert _snapshot(case) == before
