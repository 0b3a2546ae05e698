"""An intake's texts that never went out (the process stopped between the commit and the send) are
sent by the periodic sweep, once, with what the intake said; texts that went out are not sent again."""

import datetime

from django.utils import timezone

from linju.cases.models import Case
from linju.cases.services import INTAKE_TEXTS_GRACE, INTAKE_TEXTS_WITHIN
from linju.cases.tasks import resend_lost_intake_texts
from linju.cases.tests.factories import case_taken
from linju.notify.models import OutboxMessage


def _committed_ago(case, delta):
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - delta)


def test_texts_lost_after_the_commit_are_sent_by_the_sweep_once(served, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # committed; the process stopped there
        lost = case_taken(served, materials_missing=["解除劳动合同证明"])
        fresh = case_taken(served)
        old = case_taken(served)
    with django_capture_on_commit_callbacks(execute=True):
        sent = case_taken(served)  # its texts went out
    assert OutboxMessage.objects.filter(reference__startswith=lost.number).count() == 0
    _committed_ago(lost, INTAKE_TEXTS_GRACE + datetime.timedelta(minutes=1))
    _committed_ago(sent, INTAKE_TEXTS_GRACE + datetime.timedelta(minutes=1))
    _committed_ago(old, INTAKE_TEXTS_WITHIN + datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_lost_intake_texts.call_local() == 1
    texts = {m.purpose: m for m in OutboxMessage.objects.filter(reference=f"{lost.number}@1")}
    assert set(texts) == {"accepted", "suspended"}
    assert lost.number in texts["accepted"].text and "解除劳动合同证明" in texts["suspended"].text
    assert texts["accepted"].phone == served.dai.phone
    # the fresh one may still be on its way, the old one is news no more, the sent one went out
    assert not OutboxMessage.objects.filter(reference__startswith=fresh.number).exists()
    assert not OutboxMessage.objects.filter(reference__startswith=old.number).exists()
    assert OutboxMessage.objects.filter(reference__startswith=sent.number).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_lost_intake_texts.call_local() == 0


def test_the_sweep_reads_three_times_when_nothing_is_missing(
    served, django_capture_on_commit_callbacks, max_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            case = case_taken(served)
            _committed_ago(case, INTAKE_TEXTS_GRACE + datetime.timedelta(minutes=1))
    with max_queries(3):
        assert resend_lost_intake_texts.call_local() == 0
