"""Leaders read the placement figures; they neither see job seekers as people nor act on them:
registering, posting, referring and each referral step, on the pages and in the API."""

import pytest

from linju.accounts.tests.factories import bearer
from linju.core.errors import PermissionDenied
from linju.jobs.models import JobSeeker, Referral, Vacancy
from linju.jobs.selectors import (
    matches_for_vacancy,
    referral_list,
    referral_outcomes,
    seeker_list,
    unfilled_demand,
)
from linju.jobs.services import referral_create, referral_step, seeker_register
from linju.jobs.tests.factories import vacancy_posted


@pytest.fixture
def leader_api(client, job_market):
    return client, bearer(job_market.leader)


def test_a_leader_acts_on_no_job_seeker(job_market):
    leader = job_market.leader
    with pytest.raises(PermissionDenied):
        seeker_register(
            actor=leader,
            resident_id=job_market.dai.pk,
            education=3,
            skills=[],
            max_commute_minutes=60,
            shifts=["day"],
            wage_wanted=4000,
        )
    with pytest.raises(PermissionDenied):
        vacancy_posted(job_market.electronics, "x", actor=leader)
    with pytest.raises(PermissionDenied):
        referral_create(actor=leader, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk)
    referral = referral_create(
        actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
    )
    with pytest.raises(PermissionDenied):
        referral_step(actor=leader, referral_id=referral.pk, status="declined")
    assert Referral.objects.get().status == "recommended" and Vacancy.objects.count() == 2


def test_a_leader_reads_figures_not_people(job_market):
    leader = job_market.leader
    for read in (
        lambda: seeker_list(viewer=leader),
        lambda: referral_list(viewer=leader),
        lambda: matches_for_vacancy(viewer=leader, vacancy_id=job_market.assembly.pk),
    ):
        with pytest.raises(PermissionDenied):
            read()
    referral_create(actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk)
    assert referral_outcomes(viewer=leader)["by_employer"][0]["total"] == 1
    assert isinstance(unfilled_demand(viewer=leader), list)


def test_the_api_refuses_a_leader_in_plain_words(leader_api, job_market):
    client, auth = leader_api
    seekers = client.get("/api/v1/jobs/seekers", **auth)
    assert seekers.status_code == 403 and "要照顾奶奶" not in seekers.content.decode()
    assert "领导" in seekers.json()["message_zh"] and seekers.json()["message_en"].startswith("Leaders")
    posted = client.post(
        "/api/v1/jobs/seekers",
        {
            "resident_id": job_market.dai.pk,
            "education": 3,
            "skills": [],
            "max_commute_minutes": 60,
            "shifts": ["day"],
            "wage_wanted": 4000,
        },
        content_type="application/json",
        **auth,
    )
    assert posted.status_code == 403
    assert client.get("/api/v1/jobs/unfilled", **auth).status_code == 200
    assert JobSeeker.objects.count() == 1


def test_a_leaders_pages_refuse_people_and_show_figures(client, job_market):
    client.force_login(job_market.leader)
    for url in (
        "/staff/jobs/",
        "/staff/jobs/seekers/new/",
        f"/staff/jobs/seekers/new/?resident={job_market.dai.pk}",
        f"/staff/jobs/seekers/{job_market.seeker.pk}/",
        "/staff/jobs/referrals/",
    ):
        assert client.get(url).status_code == 403, url
    refused = client.post(f"/staff/jobs/seekers/{job_market.seeker.pk}/refer/{job_market.assembly.pk}/")
    assert refused.status_code in (302, 403) and not Referral.objects.exists()
    unfilled = client.get("/staff/jobs/unfilled/")
    assert unfilled.status_code == 200
    assert 'href="/staff/jobs/unfilled/"' in unfilled.content.decode()  # the menu leads to figures
