"""One table steps a referral: what the referrals page and the API offer (`referral_next_steps`) is
exactly what `referral_step` accepts, both asking `step_refusal`. Every status a referral reaches ×
every step: offered iff accepted, and a refused step changes nothing."""

import threading

import pytest
from django.db import connection, connections, transaction

from linju.core.errors import Conflict, DomainError
from linju.jobs.models import JobSeeker, Referral, Vacancy
from linju.jobs.services import (
    referral_create,
    referral_next_steps,
    referral_step,
    referral_step_within,
    step_refusal,
)

REASON = "工作时间不合适"
# how a referral reaches each status through the service
PATHS = {
    "recommended": (),
    "interview": ("interview",),
    "hired": ("interview", "hired"),
    "not_hired": ("not_hired",),
    "not_hired after the interview": ("interview", "not_hired"),
    "declined": ("declined",),
    "declined after the interview": ("interview", "declined"),
}
STEPS = (*Referral.Status.values, "fired")  # and a step that is no status at all


class Undo(Exception):
    """Raised to roll a tried step back."""


def _referral(job_market, path: tuple) -> Referral:
    referral = referral_create(
        actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
    )
    for status in path:
        referral_step(actor=job_market.cadre, referral_id=referral.pk, status=status, reason=REASON)
    return Referral.objects.get(pk=referral.pk)


def _snapshot(referral: Referral) -> tuple:
    return (
        Referral.objects.filter(pk=referral.pk).values().get(),
        referral.steps.count(),
        JobSeeker.objects.values_list("status", flat=True).get(pk=referral.seeker_id),
        Vacancy.objects.values_list("status", flat=True).get(pk=referral.vacancy_id),
    )


@pytest.mark.parametrize("reached", PATHS)
def test_every_step_from_every_status_is_offered_exactly_when_it_is_accepted(job_market, reached):
    referral = _referral(job_market, PATHS[reached])
    offered = referral_next_steps(referral, job_market.cadre)
    assert offered == referral_next_steps(referral)  # the cadre may step any referral of their towns
    for step in STEPS:
        before = _snapshot(referral)
        try:
            with transaction.atomic():
                try:
                    referral_step_within(
                        actor=job_market.cadre, referral_id=referral.pk, status=step, reason=REASON
                    )
                except DomainError as refusal:
                    outcome = refusal
                else:
                    outcome = None
                    assert Referral.objects.get(pk=referral.pk).status == step
                raise Undo
        except Undo:
            pass
        assert (outcome is None) is (step in offered), (reached, step, outcome)
        if outcome is not None:
            assert outcome.code == step_refusal(referral, step, job_market.cadre).code
            expected = (409, "step_not_allowed") if step in Referral.Status.values else (400, "unknown_step")
            assert (outcome.status, outcome.code) == expected, (reached, step)
            assert outcome.text() and "%(" not in outcome.text()
            assert _snapshot(referral) == before, (reached, step)


def test_only_a_referral_under_way_has_steps(job_market):
    assert [referral_next_steps(_referral(job_market, ()))] == [["interview", "not_hired", "declined"]]
    referral = Referral.objects.get()
    referral_step(actor=job_market.cadre, referral_id=referral.pk, status="interview")
    referral.refresh_from_db()
    assert referral_next_steps(referral) == ["hired", "not_hired", "declined"]
    referral_step(actor=job_market.cadre, referral_id=referral.pk, status="hired")
    referral.refresh_from_db()
    assert referral_next_steps(referral) == []
    assert referral_next_steps(referral, job_market.leader) == []


def test_the_referrals_page_offers_the_steps_the_service_accepts(job_market_client):
    client, job_market = job_market_client
    referral = _referral(job_market, ("interview",))
    page = client.get("/staff/jobs/referrals/").content.decode()
    form = page.split(f"/staff/jobs/referrals/{referral.pk}/step/")[1].split("</form>")[0]
    assert [part.split('"')[0] for part in form.split('<option value="')[1:]] == [
        "hired",
        "not_hired",
        "declined",
    ]
    before = _snapshot(referral)
    refused = client.post(
        f"/staff/jobs/referrals/{referral.pk}/step/", {"status": "interview", "reason": ""}, follow=True
    )
    assert "不能改为" in refused.content.decode() or "cannot become" in refused.content.decode()
    assert _snapshot(referral) == before
    client.post(f"/staff/jobs/referrals/{referral.pk}/step/", {"status": "hired", "reason": ""})
    page = client.get("/staff/jobs/referrals/").content.decode()
    assert f"/staff/jobs/referrals/{referral.pk}/step/" not in page  # hired: nothing more to step


def test_the_api_refuses_a_step_the_table_does_not_lead_to_in_words(job_market, client):
    from linju.accounts.services import api_token_create

    _token, key = api_token_create(user=job_market.cadre, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    referral = _referral(job_market, ("declined",))
    listed = client.get("/api/v1/jobs/referrals", **auth).json()
    assert [r["next_steps"] for r in listed] == [[]]
    before = _snapshot(referral)
    url = f"/api/v1/jobs/referrals/{referral.pk}/steps"
    again = client.post(url, {"status": "interview"}, content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "step_not_allowed"
    assert "本人放弃" in again.json()["message_zh"] and "declined" in again.json()["message_en"]
    unknown = client.post(url, {"status": "fired"}, content_type="application/json", **auth)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_step"
    assert _snapshot(referral) == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_steps_of_one_referral_step_it_once(job_market):
    """The row lock makes the second wait and then see the first step taken: one interview, one
    refusal in words."""
    referral = _referral(job_market, ())
    barrier = threading.Barrier(2)
    results = [None, None]

    def step(index):
        try:
            barrier.wait()
            results[index] = referral_step(
                actor=job_market.cadre, referral_id=referral.pk, status="interview"
            )
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Referral"], results
    assert next(r for r in results if isinstance(r, Conflict)).code == "step_not_allowed"
    assert list(referral.steps.values_list("status", flat=True)) == ["recommended", "interview"]
