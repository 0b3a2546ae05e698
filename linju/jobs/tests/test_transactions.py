"""A referral and its steps are durable transactions: they refuse to be folded into a caller's
transaction, and the seeker's text leaves only once the referral is committed."""

import pytest
from django.db import transaction

from linju.jobs import services
from linju.jobs.models import Referral
from linju.jobs.services import referral_create, referral_step
from linju.notify.models import OutboxMessage


def test_a_referral_refuses_to_run_inside_a_callers_transaction(job_market):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    assert not Referral.objects.exists()


def test_a_referrals_step_refuses_to_run_inside_a_callers_transaction(job_market):
    referral = referral_create(
        actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
    )
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        referral_step(actor=job_market.cadre, referral_id=referral.pk, status="interview")
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.RECOMMENDED


class Broken(Exception):
    pass


def test_a_referral_failing_after_its_text_was_queued_keeps_nothing_and_sends_nothing(
    job_market, monkeypatch, django_capture_on_commit_callbacks
):
    real = services._text_referral

    def queue_then_fail(*args):
        real(*args)
        raise Broken

    monkeypatch.setattr(services, "_text_referral", queue_then_fail)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Broken):
        referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    assert callbacks == []
    assert not Referral.objects.exists() and not OutboxMessage.objects.exists()


def test_a_referrals_text_is_queued_for_its_commit(job_market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    assert callbacks and not OutboxMessage.objects.exists()  # nothing sent before the commit
