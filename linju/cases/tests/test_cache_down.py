"""Taking cases over the API while the shared cache does not answer, and the queue neither for part
of the run: every answer is 201 (or a 503 in words with Retry-After), every committed case has its
texts sent and its receipt queued (at once, or by the sweep once the queue answers), and nothing is
left waiting for good."""

import pytest

from linju.accounts.services import api_token_create
from linju.cases.models import Case
from linju.core.models import PendingTask
from linju.core.tests.outage import OUTAGE_CACHES, DownCache, queue_down
from linju.notify.models import OutboxMessage

# the callbacks after a commit run inside the request, as on a server (not in the test's transaction)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    yield DownCache
    DownCache.down = False


def _intake(client, key, applicant_id, key_number):
    body = {
        "item_code": "UI-002",
        "channel": "booth",
        "market_code": "market-shengping",
        "applicant_id": applicant_id,
        "materials_received": ["居民身份证原件"],
        "idempotency_key": key_number,
    }
    return client.post(
        "/api/v1/cases", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def test_keyed_intakes_with_the_cache_down_and_the_queue_down_for_a_while(
    client, served, cache_down, huey_worker, monkeypatch
):
    queue = queue_down(monkeypatch)
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    answers = []
    for n in range(6):
        queue.down = n < 3  # the queue refuses the first three receipts
        answers.append(_intake(client, key, served.dai.pk, f"outage-{n}"))
        if n == 1:  # a retry of the same key while everything is down: the same case, once
            answers.append(_intake(client, key, served.dai.pk, "outage-1"))
    for answer in answers:
        assert answer.status_code in (200, 201, 503), answer.content[:300]
        if answer.status_code == 503:
            assert answer["Retry-After"] and answer.json()["message"]
    assert [a.status_code for a in answers] == [201, 201, 200, 201, 201, 201, 201]
    assert queue.refused == 3

    cases = list(Case.objects.order_by("number"))
    assert len(cases) == 6
    for case in cases:  # every text of every committed case, the queue's refusals notwithstanding
        assert (
            OutboxMessage.objects.filter(purpose="accepted", reference__startswith=case.number).count() == 1
        )
    # the refused receipts are written down; the others are in the queue
    assert PendingTask.objects.count() == 3
    queued = {args[1] for name, args in huey_worker.queued() if name.endswith("build_paper")}
    assert len(queued) == 3

    # the queue answers again: the periodic sweep queues what was written down
    from linju.core.tasks import queue_pending_tasks

    queue.down = False
    assert queue_pending_tasks.call_local() == 3
    assert PendingTask.objects.count() == 0
    queued = {args[1] for name, args in huey_worker.queued() if name.endswith("build_paper")}
    assert queued == {case.number for case in cases}


def test_a_queue_that_refuses_every_receipt_leaves_them_written_down_until_it_answers(
    client, served, cache_down, huey_worker, monkeypatch
):
    from linju.core.tasks import queue_pending_tasks

    queue = queue_down(monkeypatch)
    queue.down = True
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    assert _intake(client, key, served.dai.pk, "refused-1").status_code == 201
    assert queue_pending_tasks.call_local() == 0  # still refused: kept, tried again next time
    pending = PendingTask.objects.get()
    assert pending.task == "linju.core.tasks.build_paper" and pending.attempts == 1
    queue.down = False
    assert queue_pending_tasks.call_local() == 1 and not PendingTask.objects.exists()
