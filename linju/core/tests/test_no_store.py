"""Pages, papers and API answers that may hold personal data say `no-store`; public ones do not."""

import pytest

from linju.accounts.tests.factories import bearer
from linju.cases.services import Intake, case_accept


@pytest.fixture
def case(served):
    return case_accept(
        actor=served.cadre,
        intake=Intake(
            item_code="MD-005",
            channel="counter",
            applicant_id=served.dai.pk,
            service_point_code="station-yx",
            materials_received=["身份证"],
        ),
    )


def test_personal_pages_papers_and_api_answers_are_stored_by_no_cache(client, served, case):
    client.force_login(served.cadre)
    for url in (
        f"/staff/cases/{case.number}/",
        f"/staff/cases/{case.number}/receipt/",
        f"/staff/residents/{served.dai.pk}/",
        f"/api/v1/cases/{case.number}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    client.logout()
    keyed = client.get(f"/api/v1/cases/{case.number}", **bearer(served.cadre))
    assert keyed.status_code == 200 and "no-store" in keyed["Cache-Control"]
    assert "no-store" in client.get("/status/")["Cache-Control"]


def test_public_pages_and_answers_stay_cacheable(client, served):
    for url in ("/catalog/", "/api/v1/catalog/items"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
