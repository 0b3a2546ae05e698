"""The intake page asks how the person was identified and checks a card or code when the case is
accepted: a valid check takes the case with its event; an expired card, another's, or no answer from
the device says so on its field and takes nothing; by hand, or with no answer, the reason is asked."""

import pytest
from django.urls import reverse

from linju.cases.models import Case
from linju.catalog.tests.factories import MaterialFactory
from linju.identity.models import Identification

QUERY = "?item=UI-002&channel=booth&place=market:market-shengping"


@pytest.fixture
def cadre_client(client, served):
    MaterialFactory(item=served.ui, name="居民身份证原件")
    client.force_login(served.cadre)
    return client


def form(served, **identification):
    return {
        "name": served.dai.name,
        "id_number": served.dai.id_number,
        "phone": "",
        "village_code": "500110113225",
        "material_0": "received",
        "idempotency_key": "form-identified",
        "texts_to_applicant": "on",
        **{f"identification_{k}": v for k, v in identification.items()},
    }


def test_the_page_asks_how_the_person_was_identified_leaving_the_terminal_to_the_device(cadre_client):
    """The terminal is the one this browser named last, else empty for the device: never the place's
    raw key."""
    page = cadre_client.get(reverse("cases:new") + QUERY).content.decode()
    for method in ("id_card_reader", "social_card", "ecard", "by_hand"):
        assert f'value="{method}"' in page
    terminal = page.split('name="identification_terminal"', 1)[1].split(">", 1)[0]
    assert "market-shengping" not in terminal and "value=" not in terminal
    cadre_client.cookies["linju_terminal"] = "counter-2"
    again = cadre_client.get(reverse("cases:new") + QUERY).content.decode()
    assert 'value="counter-2"' in again.split('name="identification_terminal"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize(
    ("method", "qr"), [("id_card_reader", ""), ("social_card", ""), ("ecard", "DEMO-ECARD:{id}:fresh")]
)
def test_a_valid_card_or_code_takes_the_case_and_keeps_the_check(cadre_client, served, method, qr):
    data = form(served, method=method, terminal="counter-2", qr=qr.format(id=served.dai.id_number))
    response = cadre_client.post(reverse("cases:new") + QUERY, data)
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    kept = Identification.objects.get()
    assert (kept.reference, kept.method, kept.result, kept.terminal) == (
        case.number,
        method,
        "valid",
        "counter-2",
    )
    assert response.cookies["linju_terminal"].value == "counter-2"
    # the next person's form offers the terminal this browser named
    assert 'value="counter-2"' in cadre_client.get(reverse("cases:new") + QUERY).content.decode()


@pytest.mark.parametrize(
    ("method", "terminal", "qr", "words"),
    [
        ("id_card_reader", "counter-2-expired", "", "已过有效期"),
        ("social_card", "counter-2-other", "", "不是本人"),
        ("ecard", "counter-2", "DEMO-ECARD:{id}:expired", "已过有效期"),
    ],
)
def test_an_expired_or_anothers_card_says_so_and_takes_nothing(
    cadre_client, served, method, terminal, qr, words
):
    data = form(served, method=method, terminal=terminal, qr=qr.format(id=served.dai.id_number))
    response = cadre_client.post(reverse("cases:new") + QUERY, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert "DEMO-ECARD" not in page  # the code is scanned afresh, never written back
    assert not Case.objects.exists() and not Identification.objects.exists()


def test_no_answer_from_the_reader_asks_for_the_reason_then_takes_the_case(cadre_client, served):
    data = form(served, method="id_card_reader", terminal="counter-2-down")
    response = cadre_client.post(reverse("cases:new") + QUERY, data)
    assert response.status_code == 400
    assert "手工" in response.content.decode()
    assert not Case.objects.exists()
    data["identification_reason"] = "读卡器无响应，核对了身份证原件"
    response = cadre_client.post(reverse("cases:new") + QUERY, data)
    assert response.status_code == 302
    kept = Identification.objects.get()
    assert (kept.method, kept.result, kept.reason) == (
        "id_card_reader",
        "unreachable",
        "读卡器无响应，核对了身份证原件",
    )


def test_by_hand_asks_for_the_reason(cadre_client, served):
    response = cadre_client.post(reverse("cases:new") + QUERY, form(served, method="by_hand", terminal="c"))
    assert response.status_code == 400 and not Case.objects.exists()
    data = form(served, method="by_hand", terminal="c", reason="本人未带卡，村干部当面确认")
    assert cadre_client.post(reverse("cases:new") + QUERY, data).status_code == 302
    assert Identification.objects.get().result == "not_checked"
