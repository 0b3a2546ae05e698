"""Answering a follow-up no rating opened (a resident's complaint about a case) is the work of the
staff and cadres of the case's town; a leader reads the follow-ups and how they are answered, and
closes none. A callback a 差评 opened is not closed this way (test_callbacks.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from linju.access.capabilities import CAPABILITIES
from linju.cases.models import FollowUp
from linju.cases.services import (
    Outcome,
    case_transition,
    follow_up_close,
)
from linju.cases.tests.factories import case_at_counter
from linju.conftest_world import at
from linju.core.errors import NotFound, PermissionDenied


@pytest.fixture
def follow_up(served):
    """A finished case of 永新镇 its applicant complained about: an open follow-up of 永新镇."""
    case = case_at_counter(served, now=at(2026, 11, 25))
    case_transition(
        actor=served.cadre,
        number=case.number,
        action="finish",
        outcome=Outcome(kind="granted"),
        now=at(2026, 11, 26),
    )
    return FollowUp.objects.create(bureau_id=case.bureau_id, case=case, town=case.town, reason="等太久")


def close_url(follow_up) -> str:
    return reverse("cases:follow-up-close", args=[follow_up.pk])


def test_the_cadre_of_the_town_closes_a_follow_up_from_the_list(served, client, follow_up):
    client.force_login(served.cadre)
    listed = client.get(reverse("cases:list") + "?list=follow_ups").content.decode()
    assert close_url(follow_up) in listed
    answered = client.post(close_url(follow_up), {"answer": "已电话致歉并说明原因"})
    assert answered.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "closed" and follow_up.closed_by == served.cadre
    assert follow_up.answer == "已电话致歉并说明原因"


def test_district_staff_close_one_too(served, follow_up):
    follow_up_close(actor=served.staff, follow_up_id=follow_up.pk, answer="区局已回访")
    assert FollowUp.objects.get(pk=follow_up.pk).closed_by == served.staff


def test_a_leader_closes_no_follow_up_and_is_told_why(served, client, follow_up):
    client.force_login(served.leader)
    with translation.override("zh-hans"):
        refusal = str(CAPABILITIES["case.follow_up"].refusal)
    refused = client.post(close_url(follow_up), {"answer": "领导批示"})
    assert refused.status_code == 403 and refusal in refused.content.decode()
    with pytest.raises(PermissionDenied):
        follow_up_close(actor=served.leader, follow_up_id=follow_up.pk, answer="领导批示")
    follow_up.refresh_from_db()
    assert follow_up.status == "open" and follow_up.answer == "" and follow_up.closed_by is None


def test_a_leader_reads_the_follow_ups_without_a_form_to_close_them(served, client, follow_up):
    client.force_login(served.leader)
    listed = client.get(reverse("cases:list") + "?list=follow_ups")
    assert listed.status_code == 200
    body = listed.content.decode()
    assert follow_up.case.number in body and close_url(follow_up) not in body


def test_a_cadre_of_another_town_finds_no_such_follow_up(served, client, follow_up):
    client.force_login(served.dongxi_cadre)
    assert client.post(close_url(follow_up), {"answer": "x"}).status_code == 404
    with pytest.raises(NotFound):
        follow_up_close(actor=served.ws_staff, follow_up_id=follow_up.pk, answer="x")
    assert FollowUp.objects.get(pk=follow_up.pk).status == "open"
