"""The short link's page (/o/<token>): public, nothing shown before the last four characters of the ID
number; wrong ones counted and paused as the status look-up is; the three answers; a yes shows the
case number and the promised date; a link that is unknown, withdrawn or past its time says so only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from linju.cases.models import Case
from linju.offers.models import Offer
from linju.offers.services.link import LINK_WRONG_TRIES
from linju.offers.tests.factories import make_offer, offered_rule, open_offer
from linju.people.tests.factories import ResidentFactory


@pytest.fixture
def lw(served, settings):
    settings.STATUS_LOOKUP_RATE = "1000/m"  # the per-address limit has a test of its own
    resident = ResidentFactory(
        name="代云芳", village=served.jingshan, id_number="50022219880501123X", id_last4="123X"
    )
    offer = open_offer(resident, offered_rule(served.ui), served.cadre)
    return served | {"resident": resident, "offer": offer}


def link(offer) -> str:
    return reverse("offer-link", args=[offer.token])


def answer(client, offer, value, last4="123x"):
    return client.post(reverse("offer-answer", args=[offer.token]), {"id_last4": last4, "answer": value})


def test_the_page_asks_for_the_four_characters_and_shows_nothing_before(lw, client):
    page = client.get(link(lw["offer"]))
    body = page.content.decode()
    assert page.status_code == 200 and "身份证号码后四位" in body
    assert "代云芳" not in body and "失业保险" not in body and "<script" not in body


def test_the_right_characters_show_the_offer_and_its_three_answers(lw, client):
    body = client.post(link(lw["offer"]), {"id_last4": " １２３x "}).content.decode()
    assert "您可能可以领取失业保险金" in body
    for label in ("我要办理", "不需要", "请人上门帮我"):
        assert label in body
    assert "代云芳" not in body  # the page names the offer, not the person


def test_a_yes_shows_the_case_number_and_the_promised_date_and_twice_makes_one_case(lw, client):
    body = answer(client, lw["offer"], "yes").content.decode()
    case = Case.objects.get()
    assert case.number in body and "承诺答复" in body
    assert case.promised_date is not None and case.promised_date.isoformat() in body
    again = answer(client, lw["offer"], "yes").content.decode()
    assert case.number in again and Case.objects.count() == 1
    lw["offer"].refresh_from_db()
    assert (lw["offer"].answered_via, lw["offer"].answered_by) == ("link", None)


def test_no_and_help_say_what_the_bureau_will_do(lw, client):
    assert "已记录:您不需要" in answer(client, lw["offer"], "no").content.decode()
    other = ResidentFactory(village=lw["jingshan"], id_number="500222198805020011", id_last4="0011")
    helped = open_offer(other, lw["offer"].rule, lw["cadre"])
    body = re.sub(r"<[^>]+>", "", answer(client, helped, "help", last4="0011").content.decode())
    helped.refresh_from_db()
    assert f"已请村干部在{helped.home_task.due_date.isoformat()}前上门帮您" in body


def test_a_wrong_answer_value_is_refused_in_words(lw, client):
    page = answer(client, lw["offer"], "maybe")
    assert page.status_code == 400 and "请从三个答复中选一个" in page.content.decode()


def test_malformed_characters_are_refused_plainly_and_not_counted(lw, client):
    for _ in range(LINK_WRONG_TRIES + 2):
        page = client.post(link(lw["offer"]), {"id_last4": "12"})
        assert page.status_code == 400 and "四位数字" in page.content.decode()
    assert client.post(link(lw["offer"]), {"id_last4": "123X"}).status_code == 200


def test_wrong_characters_are_counted_and_too_many_pause_the_page_for_everyone(lw, client):
    for n in range(LINK_WRONG_TRIES):
        page = client.post(link(lw["offer"]), {"id_last4": f"{n:04d}"})
        assert page.status_code == 404 and "后四位不对" in page.content.decode()
    paused = client.post(link(lw["offer"]), {"id_last4": "123X"})  # even the right ones now
    assert paused.status_code == 429 and "暂停一小时" in paused.content.decode()
    assert answer(client, lw["offer"], "yes").status_code == 429
    assert not Case.objects.exists()


def test_the_right_characters_give_their_try_back(lw, client):
    for n in range(LINK_WRONG_TRIES - 1):
        client.post(link(lw["offer"]), {"id_last4": f"{n:04d}"})
    for _ in range(5):
        assert client.post(link(lw["offer"]), {"id_last4": "123X"}).status_code == 200


def test_tries_from_one_address_are_limited(lw, client, settings):
    settings.STATUS_LOOKUP_RATE = "3/m"
    for _ in range(3):
        client.post(link(lw["offer"]), {"id_last4": "123X"})
    page = client.post(link(lw["offer"]), {"id_last4": "123X"})
    assert page.status_code == 429


@pytest.mark.parametrize("state", ["unknown", "awaiting", "held", "withdrawn", "unanswered", "expired"])
def test_a_link_without_a_page_says_so_and_nothing_more(lw, client, state):
    offer = lw["offer"]
    if state == "unknown":
        url = reverse("offer-link", args=["abcdefghjk"])
    else:
        if state == "expired":
            Offer.objects.filter(pk=offer.pk).update(
                expires_on=timezone.localdate() - datetime.timedelta(days=1)
            )
        elif state in ("awaiting", "held"):
            offer = make_offer(ResidentFactory(village=lw["jingshan"]), offer.rule, status=state)
        else:
            Offer.objects.filter(pk=offer.pk).update(status=state)
        url = link(offer)
    for page in (client.get(url), client.post(url, {"id_last4": "123X"})):
        body = page.content.decode()
        assert page.status_code == 404 and "这个链接已经失效" in body
        assert "代云芳" not in body and "失业保险" not in body


def test_the_answer_address_of_a_gone_link_is_the_same_plain_page(lw, client):
    page = client.post(reverse("offer-answer", args=["not-a-token"]), {"id_last4": "123X", "answer": "yes"})
    assert page.status_code == 404 and "这个链接已经失效" in page.content.decode()
