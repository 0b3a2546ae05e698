"""What a page or API operation declares (`@needs`, `@signed_in`, `@public`) is what it enforces,
before it runs: refusals in plain words, someone not signed in sent to log in."""

import pytest

from linju.access.guards import NeedsMiddleware, declared, needs, public, signed_in
from linju.core.errors import PermissionDenied
from linju.outreach.selectors import certification_roster, home_task_list
from linju.people.selectors import resident_get_for_viewer

PERSON_PAGES = ("/staff/residents/{dai}/", "/staff/outreach/home-tasks/", "/staff/outreach/roster/")
PERSON_API = ("/api/v1/people/residents/{dai}", "/api/v1/outreach/home-tasks")


def test_a_declaration_is_recorded_on_the_view():
    @needs("person.read", "case.read")
    def both(request): ...

    assert declared(both) == ("person.read", "case.read")
    assert declared(public(lambda request: None)) == ("public",)
    assert declared(signed_in(lambda request: None)) == ("signed_in",)
    assert declared(lambda request: None) is None
    with pytest.raises(KeyError):
        needs("no.such.row")


@pytest.mark.parametrize("path", PERSON_PAGES)
def test_a_leader_opens_no_persons_page(client, towns_and_staff, path):
    client.force_login(towns_and_staff.leader)
    response = client.get(path.format(dai=towns_and_staff.dai.pk))
    assert response.status_code == 403
    assert (
        "do not open a person" in response.content.decode() or "不打开具体个人" in response.content.decode()
    )


@pytest.mark.parametrize("path", PERSON_API)
def test_a_leader_reads_no_person_through_the_api(client, towns_and_staff, path):
    client.force_login(towns_and_staff.leader)
    response = client.get(path.format(dai=towns_and_staff.dai.pk))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("path", PERSON_PAGES)
def test_the_cadre_opens_the_same_pages_for_their_town(client, towns_and_staff, path):
    client.force_login(towns_and_staff.cadre)
    assert client.get(path.format(dai=towns_and_staff.dai.pk)).status_code == 200


def test_someone_not_signed_in_is_sent_to_log_in(client, towns_and_staff):
    response = client.get(f"/staff/residents/{towns_and_staff.dai.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/v1/people/residents/{towns_and_staff.dai.pk}").status_code == 401


def test_the_selectors_refuse_a_leader_themselves(towns_and_staff):
    """The page's check aside, whatever reads a person by id refuses a leader (the field app, an
    export, another service)."""
    leader = towns_and_staff.leader
    with pytest.raises(PermissionDenied):
        resident_get_for_viewer(viewer=leader, resident_id=towns_and_staff.dai.pk)
    with pytest.raises(PermissionDenied):
        home_task_list(viewer=leader)
    with pytest.raises(PermissionDenied):
        certification_roster(viewer=leader, year=2026)
    assert (
        resident_get_for_viewer(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk)
        == towns_and_staff.dai
    )
    assert home_task_list(viewer=towns_and_staff.cadre).count() == 0  # read, not refused (the world has none)


def test_the_middleware_leaves_undeclared_views_and_the_api_alone(rf, towns_and_staff):
    request = rf.get("/anything/")
    request.user = towns_and_staff.leader
    middleware = NeedsMiddleware(lambda r: None)
    assert middleware.process_view(request, lambda r: None, (), {}) is None
    refused = middleware.process_view(request, needs("person.read")(lambda r: None), (), {})
    assert refused.status_code == 403
    api_request = rf.get("/api/v1/x")
    api_request.user = towns_and_staff.leader
    assert middleware.process_view(api_request, needs("person.read")(lambda r: None), (), {}) is None
