"""Offer texts go in batches (one claim in the outbox a part, the gateway's batch send, one mark of
the offers) and keep every promise of one text at a time: one text a phone a day whoever sends it, a
text that went is never sent again, TD stops texts, nothing before approval. The gateway here is
Aliyun's stand-in (SendBatchSms, 100 numbers a call)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from linju.core.tests.threads import run_together
from linju.notify.models import OutboxMessage
from linju.notify.sms import sms_send_again
from linju.notify.standin import transport
from linju.offers.models import Offer, TextReply
from linju.offers.services.channels import TextsOfTheDay, offers_bring, offers_texts_send
from linju.offers.tests.factories import offered_rule, open_offer
from linju.people.tests.factories import ResidentFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
TEN = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)


@pytest.fixture
def standin(settings):
    settings.LINJU_SMS_BACKEND = "linju.notify.aliyun.AliyunSmsBackend"
    settings.LINJU_SMS_TRANSPORT = "linju.notify.standin.transport"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-id"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.LINJU_SMS_SIGN_NAME = "綦江人社"
    settings.LINJU_SMS_TEMPLATES = {"offer": "SMS_100004"}
    settings.LINJU_SMS_TIMEOUT = 5
    transport.reset()
    yield transport
    transport.reset()


def offers(served, count: int) -> list[Offer]:
    rule = offered_rule(served.ui)
    return [
        open_offer(ResidentFactory(village=served.jingshan, phone=f"137{n:08d}"), rule, served.staff)
        for n in range(count)
    ]


def phones_sent(standin) -> list[str]:
    return sorted(entry["PhoneNumbers"] for entry in standin.sent)


def test_offer_texts_go_in_the_gateways_batches_of_100(served, standin):
    made = offers(served, 150)
    assert offers_bring(now=TEN).texted == 150
    assert standin.calls == 2 and {entry["Action"] for entry in standin.sent} == {"SendBatchSms"}
    assert phones_sent(standin) == sorted(offer.resident.phone for offer in made)
    assert not Offer.objects.filter(texted_at__isnull=True).exists()
    assert OutboxMessage.objects.filter(status="sent", reference="offer-20261207").count() == 150


def test_a_throttled_call_leaves_its_texts_to_send_again_and_their_offers_are_not_texted_twice(
    served, standin
):
    offers(served, 150)
    standin.fail_next("isv.BUSINESS_LIMIT_CONTROL")  # the first call of two: 100 texts
    assert offers_bring(now=TEN).texted == 150  # each claimed: the outbox sends them again
    assert OutboxMessage.objects.filter(status="retry").count() == 100 and len(standin.sent) == 50
    assert offers_bring(now=TEN + datetime.timedelta(hours=2)).texted == 0  # nothing waits
    assert sms_send_again(now=timezone.now() + datetime.timedelta(minutes=5)) == 100
    assert len(phones_sent(standin)) == len(set(phones_sent(standin))) == 150
    assert OutboxMessage.objects.filter(status="sent").count() == 150


def test_a_phone_that_said_td_gets_no_text_in_a_batch_and_the_others_do(served, standin):
    made = offers(served, 5)
    stopped = made[2].resident
    TextReply.objects.create(
        bureau=stopped.bureau,
        phone=stopped.phone,
        text="TD",
        kind=TextReply.Kind.STOP,
        resident=stopped,
        village=stopped.village,
    )
    brought = offers_bring(now=TEN)
    assert (brought.texted, brought.home_tasks) == (4, 1)
    assert stopped.phone not in phones_sent(standin) and len(standin.sent) == 4
    made[2].refresh_from_db()
    assert made[2].texted_at is None and made[2].home_task is not None


def test_a_td_that_comes_while_the_job_runs_stops_the_text_of_the_part_not_yet_sent(served, standin):
    made = offers(served, 3)
    stopped = made[0].resident
    TextReply.objects.create(
        bureau=stopped.bureau,
        phone=stopped.phone,
        text="TD",
        kind=TextReply.Kind.STOP,
        resident=stopped,
        village=stopped.village,
    )
    texted, waiting = offers_texts_send([offer.pk for offer in made], TEN, TextsOfTheDay())
    assert (texted, waiting) == (2, 1) and stopped.phone not in phones_sent(standin)


def test_offers_not_approved_get_no_text_from_a_batch(served, standin):
    made = offers(served, 3)
    Offer.objects.filter(pk=made[1].pk).update(status=Offer.Status.AWAITING, approved_at=None)
    assert offers_bring(now=TEN, offer_ids=[offer.pk for offer in made]).texted == 2
    assert made[1].resident.phone not in phones_sent(standin)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_jobs_bringing_the_same_offers_at_once_text_each_phone_once(served, standin):
    made = offers(served, 60)
    standin.delay = 0.05
    results = run_together([lambda: offers_bring(now=TEN).texted for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 60  # each offer texted by one of them
    assert phones_sent(standin) == sorted(offer.resident.phone for offer in made)  # each once
    assert OutboxMessage.objects.filter(purpose="offer").count() == 60
    assert not Offer.objects.filter(texted_at__isnull=True).exists()
