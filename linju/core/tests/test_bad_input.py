"""Inputs that were answered with a 500 (or, worse, a 200) and are now refused in plain words with the
project's error shape (issue 15, "No 500, ever")."""

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
    assert response.status_code in (400, 422) and response.json()["message_en"]


def test_the_self_check_still_answers_good_questions(client, cw):
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
def test_dates_outside_the_served_years_are_refused(client, cw, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_date" and "2100-12-31" in response.json()["message_en"]
