"""好差评 as the national rules ask: five levels, one rating per case, given by the resident only —
on the status page, over the public API, or from their own phone after a code texted to the phone
the bureau holds — and every rating written to the province's outbox in the national field set."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from linju.accounts.tests.factories import bearer
from linju.cases.models import FollowUp, Rating
from linju.cases.services import (
    Outcome,
    case_rate_by_phone,
    case_rate_by_resident,
    rating_code_send,
)
from linju.cases.services.feedback import CODE_MAYBE_SENT
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError
from linju.exchange.models import Message
from linju.exchange.standin import province_validator
from linju.notify.models import OutboxMessage
from linju.workdays.selectors import add_working_days

GRANTED = Outcome(kind="granted", detail="已发放")
STAFF_WORDS_ZH = "只有群众本人可以评价"
STAFF_WORDS_EN = "Only the resident rates"


def _zh(english: str) -> str:
    with translation.override("zh-hans"):
        return gettext(english)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # the look-up's and the codes' counters are per case number, which tests reuse


@pytest.fixture
def finished(served):
    """代云峰's UI-002 case, taken at 永新镇's counter and finished there by its cadre."""
    return case_moved(served, case_taken(served), "finish", outcome=GRANTED)


def _rating_form(case, served, level=2, comment="等太久"):
    return {"number": case.number, "phone_last4": served.dai.phone[-4:], "level": level, "comment": comment}


def test_a_poor_rating_on_the_status_page_opens_a_callback_due_in_the_set_working_days(
    served, client, finished
):
    answer = client.post(reverse("status-rate"), _rating_form(finished, served))
    assert answer.status_code == 200
    rating = Rating.objects.get(case=finished)
    assert rating.source == "resident" and rating.unsatisfied and rating.named
    assert rating.rated_staff == served.cadre  # who finished it
    assert (rating.town, rating.item, rating.channel) == (served.yongxin, served.ui, "counter")
    callback = FollowUp.objects.get(rating=rating)
    assert callback.status == "open" and callback.case == finished
    assert callback.assigned_to == served.staff  # a named person, not the cadre who was rated
    assert callback.due_on == add_working_days(timezone.localdate(), 5).date


def test_the_callbacks_working_days_are_a_setting(served, finished, settings):
    settings.LINJU_CALLBACK_WORKING_DAYS = 3
    rating = case_rate_by_resident(
        number=finished.number, phone_last4=served.dai.phone[-4:], level=1, now=at(2026, 12, 4)
    )
    assert rating.callback.due_on == datetime.date(2026, 12, 9)  # Friday + 3 working days


def test_a_good_rating_opens_no_callback_and_a_case_is_rated_once(served, finished):
    last4 = served.dai.phone[-4:]
    rating = case_rate_by_resident(number=finished.number, phone_last4=last4, level=4)
    assert not FollowUp.objects.exists() and rating.level == 4
    with pytest.raises(Conflict):
        case_rate_by_resident(number=finished.number, phone_last4=last4, level=1)
    assert Rating.objects.count() == 1


def test_every_rating_goes_to_the_province_in_the_national_field_set(served, finished):
    case_rate_by_resident(number=finished.number, phone_last4=served.dai.phone[-4:], level=2)
    message = Message.objects.get(kind="rating")
    payload = message.payload
    assert province_validator().is_valid(payload), list(province_validator().iter_errors(payload))
    assert payload["case_number"] == finished.number and payload["service_code"] == "UI-002"
    assert payload["region_code"] == served.yongxin.code and payload["channel"] == "counter"
    assert payload["level"] == 2 and payload["rated_staff"] == served.cadre.username
    assert payload["rating_source"] == "resident"
    assert message.reference == f"{finished.number}:rating"


@pytest.mark.parametrize("as_whom", ["session", "key"])
def test_a_staff_session_or_key_posting_a_rating_is_refused_in_words(served, client, finished, as_whom):
    headers = {}
    if as_whom == "session":
        client.force_login(served.cadre)
    else:
        headers = bearer(served.cadre)
    page = client.post(reverse("status-rate"), _rating_form(finished, served, level=5), **headers)
    assert page.status_code == 403
    body = page.content.decode()
    assert STAFF_WORDS_ZH in body and STAFF_WORDS_EN in body
    api = client.post(
        "/api/v1/ratings",
        _rating_form(finished, served, level=5),
        content_type="application/json",
        **headers,
    )
    assert api.status_code == 403
    assert STAFF_WORDS_ZH in api.content.decode() and STAFF_WORDS_EN in api.content.decode()
    for url in (reverse("rate-phone"), reverse("rate-slip"), reverse("rate-fix", args=["any"])):
        assert client.post(url, {"level": 5}, **headers).status_code == 403
    assert not Rating.objects.exists()


def test_the_resident_rates_over_the_public_api(served, client, finished):
    answer = client.post(
        "/api/v1/ratings", _rating_form(finished, served, level=1), content_type="application/json"
    )
    assert answer.status_code == 201
    assert answer.json()["callback_due"] == FollowUp.objects.get().due_on.isoformat()
    bad = client.post(
        "/api/v1/ratings", _rating_form(finished, served, level=9), content_type="application/json"
    )
    assert bad.status_code == 422 and Rating.objects.count() == 1


def _texted_code(number: str) -> str:
    return (
        OutboxMessage.objects.filter(purpose="rating_code", params__number=number).latest("pk").params["code"]
    )


def test_a_phone_rating_is_taken_only_with_the_code_texted_to_the_residents_own_phone(served, finished):
    rating_code_send(number=finished.number, phone="139 1234 5678")
    texted = OutboxMessage.objects.get(purpose="rating_code")
    assert texted.phone == served.dai.phone and _texted_code(finished.number) in texted.text
    with pytest.raises(DomainError):
        case_rate_by_phone(
            number=finished.number, code="000000" if texted.params["code"] != "000000" else "111111", level=5
        )
    rating = case_rate_by_phone(number=finished.number, code=_texted_code(finished.number), level=5)
    assert rating.source == "phone" and rating.level == 5
    assert Message.objects.get(kind="rating").payload["rating_source"] == "phone"


def test_the_held_phone_is_known_however_it_is_typed_and_no_phone_is_no_match(served, finished):
    """The phone typed is read as every phone is (normalize_phone): in the full-width digits of a
    Chinese keyboard it is the phone held; a number ending in the same digits under another
    country's code, or words, are not, and get the same answer as any other (three asks: the most
    an hour)."""
    assert served.dai.phone == "13912345678"
    for other in ("+852 139 1234 5678", "not a phone"):
        assert rating_code_send(number=finished.number, phone=other) == CODE_MAYBE_SENT
    assert not OutboxMessage.objects.filter(purpose="rating_code").exists()
    assert rating_code_send(number=finished.number, phone="１３９ １２３４ ５６７８") == CODE_MAYBE_SENT
    assert OutboxMessage.objects.filter(purpose="rating_code", phone=served.dai.phone).count() == 1


def test_a_number_the_bureau_does_not_hold_gets_no_code_and_the_same_answer(served, client, finished):
    known = client.post(
        reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": served.dai.phone}
    )
    unknown = client.post(
        reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": "13800000000"}
    )
    nothing = client.post(
        reverse("rate-phone"), {"step": "ask", "number": "QJ-20991231-9999", "phone": "13800000000"}
    )
    assert known.status_code == unknown.status_code == nothing.status_code == 200
    said = _zh(
        "If this is the phone we hold for this finished case, a code has been texted to it. It is valid for 10 minutes."
    )
    assert all(said in r.content.decode() for r in (known, unknown, nothing))
    assert OutboxMessage.objects.filter(purpose="rating_code").count() == 1  # only to the phone held


def test_five_wrong_codes_void_the_code(served, finished):
    rating_code_send(number=finished.number, phone=served.dai.phone)
    right = _texted_code(finished.number)
    wrong = "000000" if right != "000000" else "111111"
    for _try in range(5):
        with pytest.raises(DomainError):
            case_rate_by_phone(number=finished.number, code=wrong, level=5)
    with pytest.raises(DomainError):
        case_rate_by_phone(number=finished.number, code=right, level=5)
    assert not Rating.objects.exists()


def test_codes_asked_for_one_case_are_limited(served, finished):
    for _ask in range(5):
        rating_code_send(number=finished.number, phone=served.dai.phone)
    assert OutboxMessage.objects.filter(purpose="rating_code").count() == 3


def test_the_rating_pages_are_rate_limited_by_address(served, client, finished, settings):
    settings.RATING_RATE = "2/m"
    form = {"step": "ask", "number": finished.number, "phone": "13800000000"}
    answers = [client.post(reverse("rate-phone"), form).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_the_phone_rating_page_takes_the_rating(served, client, finished):
    client.post(reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": served.dai.phone})
    code = _texted_code(finished.number)
    page = client.post(
        reverse("rate-phone"),
        {"step": "rate", "number": finished.number, "code": code, "level": 3, "comment": ""},
    )
    assert page.status_code == 200 and _zh("Thank you for your rating.") in page.content.decode()
    assert Rating.objects.get().source == "phone"


def test_the_rating_pages_fit_a_phone_and_show_no_form_to_staff(served, client):
    for url in (reverse("rate-phone"), reverse("rate-slip"), reverse("ratings-public")):
        assert client.get(url).status_code == 200
    client.force_login(served.cadre)
    page = client.get(reverse("rate-phone")).content.decode()
    assert STAFF_WORDS_ZH in page and 'name="code"' not in page


def test_asking_to_rate_a_rated_case_from_its_own_phone_says_it_is_rated_and_texts_nothing(
    served, client, finished
):
    """The holder of the phone the bureau holds learns the case is rated already (the status look-up
    shows as much); a stranger's phone gets the answer it gets for any number, so nothing leaks."""
    rating_code_send(number=finished.number, phone=served.dai.phone)
    case_rate_by_phone(number=finished.number, code=_texted_code(finished.number), level=5)
    holder = client.post(
        reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": served.dai.phone}
    ).content.decode()
    stranger = client.post(
        reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": "13800000000"}
    ).content.decode()
    rated = _zh("Case %(number)s has already been rated. Each case is rated once; thank you.") % {
        "number": finished.number
    }
    assert rated in holder and 'name="code"' not in holder
    assert (
        rated not in stranger
        and _zh(
            "If this is the phone we hold for this finished case, a code has been texted to it. It is valid for 10 minutes."
        )
        in stranger
    )
    assert OutboxMessage.objects.filter(purpose="rating_code").count() == 1  # only the first ask


def test_the_phone_rating_page_asks_for_the_case_number_once(served, client, finished):
    """Once a code is asked for, the page shows the rating form alone, its case number written out."""
    page = client.post(
        reverse("rate-phone"), {"step": "ask", "number": finished.number, "phone": served.dai.phone}
    ).content.decode()
    assert page.count('name="number"') == 1 and 'type="hidden" name="number"' in page
    assert page.count(finished.number) >= 1 and 'name="phone"' not in page
