"""Odd inputs are refused in plain words with the project's error shape: never a 500, nor a 200 that
keeps what it should not."""

import json

import pytest


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        {"months_since_job_loss": 99_999_999},  # was an OverflowError
        {"months_since_job_loss": -3},
        {"age": 400},
        {"household_size": 0},
        {"disability_level": 9},
        {"employment_status": "x" * 500},
    ],
)
def test_the_self_check_bounds_every_number(client, db, body):
    response = post(client, "/api/v1/eligibility/check", body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_request" and data["message_zh"] and data["message_en"]
    assert list(body)[0] in data["errors"]


@pytest.mark.parametrize("body", [[], "x", 5, None])
def test_a_body_that_is_not_an_object_is_refused(client, db, body):
    """It was read as "no answers" and answered 200 with an empty list."""
    response = post(client, "/api/v1/eligibility/check", body)
    assert response.status_code == 422 and "JSON object" in response.json()["message_en"]


def test_the_self_check_answers_good_questions(client, served):
    response = post(client, "/api/v1/eligibility/check", {"age": 45, "months_since_job_loss": 2})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/calendar/workdays?from=9999-12-31&add=1",  # was an OverflowError
        "/api/v1/calendar/workdays?from=1066-10-14&add=1",
        "/api/v1/calendar/workdays?from=2100-12-25&add=3650",
        "/api/v1/where?item=UI-002&village=500110113225&date=9999-12-31",
    ],
)
def test_dates_outside_the_served_years_are_refused(client, served, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_date" and "2100-12-31" in response.json()["message_en"]


@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\x1b[31m"])
def test_hidden_control_characters_are_refused_everywhere(client, served, hidden):
    """NUL in a name was a 500 from PostgreSQL; a right-to-left override makes a name read backwards."""
    from linju.accounts.tests.factories import bearer
    from linju.people.idnumbers import build_id_number
    from linju.people.models import Resident

    number = build_id_number("500222", __import__("datetime").date(1970, 1, 1), 5)
    person = {"name": f"代{hidden}三", "id_number": number, "phone": "", "village_code": "500110113225"}
    body = {"item_code": "UI-002", "channel": "booth", "market_code": "market-shengping", "person": person}
    response = client.post(
        "/api/v1/cases", json.dumps(body), content_type="application/json", **bearer(served.cadre)
    )
    assert response.status_code == 400 and response.json()["code"] == "hidden_characters"
    assert response.json()["message_zh"] != response.json()["message_en"]
    # a search keeps nothing: an invisible mark in it is dropped, a control character refused
    searched = client.get("/api/v1/catalog/items", {"q": f"sy{hidden}bx"}).status_code
    assert searched == (200 if hidden == "\u202e" else 400)
    client.force_login(served.cadre)
    page = client.post("/staff/residents/new/", {"name": f"代{hidden}三", "id_number": number})
    assert page.status_code == 400 and "文字中含有看不见的控制字符" in page.content.decode()
    assert not Resident.objects.filter(id_number=number).exists()


def test_a_name_with_hidden_characters_from_a_spreadsheet_is_a_row_error(served):
    from linju.core.errors import DomainError
    from linju.people.services import resident_build

    with pytest.raises(DomainError) as error:
        resident_build(name="王\u202e大山", id_number="", phone="", village=served.jingshan)
    from linju.core.errors import errors_by_field

    assert "name" in errors_by_field(error.value)  # (the empty ID number is the other error)


def test_an_oversized_api_body_is_answered_in_json(client, served, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/eligibility/check", json.dumps({"x": "a" * 5000}), content_type="application/json"
    )
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "too_large"


DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    "url", ["/status/", "/api/v1/eligibility/check", "/open311/v2/requests.json", "/api/v1/cases"]
)
def test_a_body_nested_a_thousand_deep_is_refused_in_words_before_anything_reads_it(client, db, url):
    """No log-in needed, and no stack to run out of: the guard measures the nesting before parsing."""
    response = client.post(url, DEEP, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "嵌套" in response.content.decode()


def test_nesting_is_measured_outside_strings_only():
    from linju.core.text import json_depth

    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(DEEP.encode()) == 1000
    assert json_depth(b"") == 0


@pytest.mark.parametrize("url", ["/api/v1/ratings/slip", "/api/v1/no/such/thing?x=1", "/api/"])
def test_an_address_the_api_does_not_serve_is_a_404_in_json_and_words(client, db, url):
    response = client.post(url, "{}", content_type="application/json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "not_found"
    assert "/api/v1/docs" in body["message_en"] and "接口" in body["message_zh"]


def test_a_page_no_one_serves_is_still_a_web_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/staff/cases/jinbao/day/?town=500110113000&day=2026-11-25&part=%C2%B2",  # a superscript two
        "/staff/outreach/counter/?resident=%C2%B2",
    ],
)
def test_a_number_written_in_other_digits_is_no_server_error(client, served, url):
    client.force_login(served.staff)
    assert client.get(url).status_code < 500
