"""The job-seeker pages: registering from a resident's record, duplicates, and the links between
the resident and the seeker."""

import pytest

from linju.audit.models import AuditEvent
from linju.jobs.models import JobSeeker

FORM = {"education": "3", "max_commute_minutes": "60", "shifts": ["day"], "wage_wanted": "4000"}


@pytest.fixture
def cadre_client(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    return client


def test_a_seeker_is_registered_from_the_resident_record_without_typing_the_id_number(
    cadre_client, towns_and_staff
):
    person = towns_and_staff.dai
    record = cadre_client.get(f"/staff/residents/{person.pk}/").content.decode()
    assert f"/staff/jobs/seekers/new/?resident={person.pk}" in record
    unmasked_before = AuditEvent.objects.filter(action="unmask").count()
    form = cadre_client.get(f"/staff/jobs/seekers/new/?resident={person.pk}")
    page = form.content.decode()
    assert form.status_code == 200 and "代云峰" in page and person.masked_id_number in page
    assert 'name="id_number"' not in page and person.id_number not in page
    response = cadre_client.post("/staff/jobs/seekers/new/", {**FORM, "resident": person.pk})
    seeker = JobSeeker.objects.get(resident=person)
    assert response.status_code == 302 and response["Location"] == f"/staff/jobs/seekers/{seeker.pk}/"
    assert AuditEvent.objects.filter(action="unmask").count() == unmasked_before
    record = cadre_client.get(f"/staff/residents/{person.pk}/").content.decode()
    assert f'href="/staff/jobs/seekers/{seeker.pk}/" id="job-seeker"' in record
    seeker_page = cadre_client.get(f"/staff/jobs/seekers/{seeker.pk}/").content.decode()
    assert f'href="/staff/residents/{person.pk}/"' in seeker_page


def test_a_resident_of_another_town_cannot_be_registered_by_record_number(client, towns_and_staff):
    client.force_login(towns_and_staff.dongxi_cadre)
    assert client.get(f"/staff/jobs/seekers/new/?resident={towns_and_staff.dai.pk}").status_code == 404
    response = client.post("/staff/jobs/seekers/new/", {**FORM, "resident": towns_and_staff.dai.pk})
    assert response.status_code == 404 and not JobSeeker.objects.exists()


def test_a_duplicate_registration_links_to_the_existing_record(cadre_client, towns_and_staff):
    first = cadre_client.post(
        "/staff/jobs/seekers/new/", {**FORM, "id_number": towns_and_staff.dai.id_number}
    )
    seeker = JobSeeker.objects.get()
    assert first.status_code == 302
    again = cadre_client.post(
        "/staff/jobs/seekers/new/", {**FORM, "id_number": towns_and_staff.dai.id_number}
    )
    page = again.content.decode()
    assert again.status_code == 400 and f'href="/staff/jobs/seekers/{seeker.pk}/"' in page
    opened = cadre_client.get(f"/staff/jobs/seekers/new/?resident={towns_and_staff.dai.pk}").content.decode()
    assert 'id="seeker-exists"' in opened and f'href="/staff/jobs/seekers/{seeker.pk}/"' in opened
    assert "<form" not in opened.split('id="seeker-exists"')[1]  # no second form to fill in
    assert JobSeeker.objects.count() == 1


def test_a_form_without_id_number_or_record_is_refused_in_plain_words(cadre_client):
    response = cadre_client.post("/staff/jobs/seekers/new/", FORM, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and not JobSeeker.objects.exists()
    assert "请填写身份证号" in response.content.decode()


@pytest.mark.parametrize("resident", ["9" * 40, "-1", "abc"])
def test_a_bad_record_number_is_not_a_server_error(cadre_client, resident):
    assert cadre_client.get(f"/staff/jobs/seekers/new/?resident={resident}").status_code == 200
    assert cadre_client.post("/staff/jobs/seekers/new/", {**FORM, "resident": resident}).status_code == 400


def test_referring_says_whether_the_seeker_gets_a_text(job_market_client):
    client, job_market = job_market_client
    response = client.post(
        f"/staff/jobs/seekers/{job_market.seeker.pk}/refer/{job_market.assembly.pk}/", follow=True
    )
    assert "139****5678" in response.content.decode()


def test_the_seeker_page_query_count_is_pinned(job_market_client, django_assert_num_queries):
    """Matches, the nearby vacancies not suggested and the referrals: a fixed number of queries."""
    client, job_market = job_market_client
    with django_assert_num_queries(13):
        client.get(f"/staff/jobs/seekers/{job_market.seeker.pk}/")


def test_an_empty_form_sent_is_refused_not_a_server_error(cadre_client):
    assert cadre_client.post("/staff/jobs/seekers/new/", {}).status_code == 400
