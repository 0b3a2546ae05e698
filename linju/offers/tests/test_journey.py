"""From discovery's offer to a case with nothing typed: district staff approve; the job texts those a
text reaches and asks a cadre to visit the others; a reply of 1 makes exactly one case, 2 records a
no, each sent twice changes nothing."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from linju.cases.models import Case
from linju.notify.models import OutboxMessage
from linju.offers.models import Offer
from linju.offers.services.approval import offers_approve
from linju.offers.tests.factories import make_offer, offered_rule
from linju.outreach.models import HomeTask
from linju.people.tests.factories import ResidentFactory

MONDAY_TEN = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def at_ten(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_TEN)


def test_approved_offers_go_out_and_the_replies_make_one_case_and_one_no(
    served, client, at_ten, django_capture_on_commit_callbacks
):
    rule = offered_rule(served.ui)
    neighbour = ResidentFactory(village=served.jingshan, phone="13700001111")
    elder = ResidentFactory(village=served.jingshan, birth_date=datetime.date(1940, 3, 1))
    offers = [make_offer(person, rule) for person in (served.dai, neighbour, elder)]
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_approve(actor=served.staff) == 3
    for offer in offers:
        offer.refresh_from_db()
    assert [o.reach for o in offers] == ["text", "text", "home_task"]
    assert offers[0].texted_at == MONDAY_TEN and offers[1].texted_at == MONDAY_TEN
    assert OutboxMessage.objects.filter(purpose="offer").count() == 2
    assert offers[2].home_task.assigned_to == served.cadre

    def reply(phone, text):
        with override_settings(LINJU_SMS_REPLY_KEY="k"):
            answer = client.post(
                "/api/v1/outreach/sms-replies",
                {"phone": phone, "text": text},
                content_type="application/json",
                HTTP_X_GATEWAY_KEY="k",
            )
        assert answer.json() == {"withdrawn": False}

    for _ in range(2):
        reply(served.dai.phone, "1")
        reply(neighbour.phone, "2")
    case = Case.objects.get()
    assert (case.applicant, case.item, case.channel) == (served.dai, served.ui, "offer")
    for offer in offers:
        offer.refresh_from_db()
    assert [o.status for o in offers] == ["confirmed", "declined", "open"]
    assert offers[0].case == case
    assert HomeTask.objects.count() == 1
    assert Offer.objects.filter(answered_via="sms").count() == 2
