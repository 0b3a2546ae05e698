"""GET /api/v1/retirement-age: public, the law's answer, bad input a 400 in Chinese and English."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linju.core.errors import DomainError, errors_by_field
from linju.pensions.calculator import retirement_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("birth", "former", "years", "months", "month", "minimum"),
    [
        ("1965-01", "60", 60, 1, "2025-02", 15),
        ("1969-09", "60", 61, 3, "2030-12", 15.5),
        ("1971-04", "55", 55, 4, "2026-08", 15),
        ("1984-11", "50", 55, 0, "2039-11", 20),
        ("1960-05", "60", 60, 0, "2020-05", 15),
    ],
)
def test_answers_the_law(client, birth, former, years, months, month, minimum):
    response = client.get("/api/v1/retirement-age", {"birth": birth, "former_age": former})
    assert response.status_code == 200
    body = response.json()
    assert (body["age_years"], body["age_months"], body["month"]) == (years, months, month)
    assert body["min_contribution_years"] == minimum
    assert isinstance(body["min_contribution_years"], float)
    assert body["min_contribution_months"] == minimum * 12


@pytest.mark.django_db
def test_flexible_months(client):
    body = client.get("/api/v1/retirement-age", {"birth": "1966-01", "former_age": "60"}).json()
    assert (body["delay_months"], body["month"]) == (4, "2026-05")
    assert body["earliest_month"] == "2026-01"  # not below the former age of 60
    assert body["latest_month"] == "2029-05"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "zh"),
    [
        ({"birth": "1965-13", "former_age": "60"}, "birth", "月份"),
        ({"birth": "March 1965", "former_age": "60"}, "birth", "出生年月"),
        ({"birth": "1965-01", "former_age": "58"}, "former_age", "原退休年龄"),
        ({"birth": "1850-01", "former_age": "50"}, "birth", "1930-01"),
        ({"birth": "2100-01", "former_age": "55"}, "birth", "2030-12"),
    ],
)
def test_bad_input_is_a_400_in_both_languages(client, params, field, zh):
    response = client.get("/api/v1/retirement-age", params)
    assert response.status_code == 400
    body = response.json()
    assert zh in body["message_zh"]
    assert body["message_en"] and body["message_en"] != body["message_zh"]
    assert field in body["errors"]


@pytest.mark.django_db
def test_both_fields_wrong_are_both_named(client):
    body = client.get("/api/v1/retirement-age", {"birth": "1965-00", "former_age": "65"}).json()
    assert set(body["errors"]) == {"birth", "former_age"}


@pytest.mark.django_db
def test_a_missing_field_is_a_4xx_not_a_500(client):
    response = client.get("/api/v1/retirement-age", {"birth": "1965-01"})
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_the_schema_documents_the_number_of_years(client):
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["components"]["schemas"]["RetirementOut"]["properties"]
    assert answer["min_contribution_years"]["type"] == "number"
    assert "half years" in answer["min_contribution_years"]["description"]
    assert "/api/v1/retirement-age" in schema["paths"]


@given(st.text(max_size=30), st.text(max_size=5))
def test_whatever_is_typed_is_an_answer_or_a_domain_error(birth, former):
    """The calculator and the API read anything typed without another exception (never a 500)."""
    try:
        retirement, _town = retirement_for(birth=birth, former_age=former)
    except DomainError as error:
        assert errors_by_field(error)
    else:
        assert retirement.former_age in (50, 55, 60)
