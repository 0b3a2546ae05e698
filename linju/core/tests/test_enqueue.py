"""Jobs handed to a queue that may refuse them: a refusal fails no request and skips no other
callback; what was refused is queued by a sweep; job rows left "queued" with nothing behind them are
queued again after the grace, and run once however often they are queued."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from linju.core.enqueue import GRACE, enqueue, on_commit_enqueue
from linju.core.models import PendingTask
from linju.core.request_context import RequestContext
from linju.core.tests.outage import queue_down


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _lost(model, pk):
    """The row's job was never queued (or its queue lost it): waiting past the grace."""
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - GRACE - datetime.timedelta(seconds=1))


def test_a_refused_job_after_commit_skips_no_other_callback_and_is_written_down(
    db, huey_worker, monkeypatch, django_capture_on_commit_callbacks
):
    from linju.core.tasks import build_paper, queue_pending_tasks

    queue = queue_down(monkeypatch)
    queue.down = True
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_enqueue(build_paper, "case-receipt", "QJ-20261204-0001", "zh-hans")
        transaction.on_commit(lambda: ran.append("the text"))
        on_commit_enqueue(build_paper, "case-notice", "QJ-20261204-0001", "zh-hans")
    assert ran == ["the text"] and queue.refused == 2
    assert sorted(p.args[0] for p in PendingTask.objects.all()) == ["case-notice", "case-receipt"]
    queue.down = False
    assert queue_pending_tasks.call_local() == 2
    assert sorted(args[0] for name, args in huey_worker.queued()) == ["case-notice", "case-receipt"]
    assert not PendingTask.objects.exists()


def test_nothing_is_written_down_when_the_queue_takes_the_job(db, huey_worker):
    from linju.core.tasks import build_paper

    assert enqueue(build_paper, "case-receipt", "QJ-20261204-0001", "zh-hans")
    assert len(huey_worker.queued()) == 1 and not PendingTask.objects.exists()


def test_an_export_left_queued_is_queued_again_after_the_grace_and_built_once(
    towns_and_staff, huey_worker, monkeypatch
):
    from linju.audit.exports import export_start
    from linju.audit.models import AuditEvent, ExportJob
    from linju.audit.tasks import requeue_lost_exports

    lost = export_start(
        viewer=towns_and_staff.cadre, kind="residents", params={"q": ""}, context=RequestContext()
    )
    fresh = export_start(
        viewer=towns_and_staff.cadre, kind="residents", params={"q": "代"}, context=RequestContext()
    )
    _lost(ExportJob, lost.pk)
    assert requeue_lost_exports.call_local() == 1  # the fresh one may still be on its way
    assert [args for name, args in huey_worker.queued()] == [(lost.pk,)]
    queue = queue_down(monkeypatch)
    queue.down = True
    assert requeue_lost_exports.call_local() == 0  # the queue refuses: the next sweep tries again
    queue.down = False
    assert requeue_lost_exports.call_local() == 1  # queued twice now: built once
    huey_worker.run()
    lost.refresh_from_db(), fresh.refresh_from_db()
    assert lost.status == "done" and fresh.status == "queued"
    assert AuditEvent.objects.filter(action="exported").count() == 1


def test_the_export_button_answers_when_the_queue_refuses_and_the_sweep_builds_it(
    client, towns_and_staff, huey_worker, monkeypatch
):
    from django.urls import reverse

    from linju.audit.models import ExportJob
    from linju.audit.tasks import requeue_lost_exports

    queue = queue_down(monkeypatch)
    queue.down = True
    client.force_login(towns_and_staff.cadre)
    response = client.post(reverse("people:export"), {"q": ""})
    assert response.status_code == 303  # the job's page: "being prepared"
    job = ExportJob.objects.get()
    assert job.status == "queued" and not huey_worker.queued()
    queue.down = False
    _lost(ExportJob, job.pk)
    assert requeue_lost_exports.call_local() == 1
    huey_worker.run()
    job.refresh_from_db()
    assert job.status == "done"


def test_an_import_left_queued_is_queued_again_and_runs_once(towns_and_staff, huey_worker):
    from linju.insights.models import ImportJob
    from linju.insights.services import import_start
    from linju.insights.tasks import requeue_lost_imports, run_import
    from linju.insights.tests.test_imports import person, xlsx
    from linju.people.models import Resident

    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="名单.xlsx", content=xlsx([person(1)])
    )
    _lost(ImportJob, job.pk)
    assert requeue_lost_imports.call_local() == 1
    run_import(job.pk)  # the original hand-over turned up after all: two in the queue
    assert len(huey_worker.queued()) == 2
    huey_worker.run()
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 1
    assert Resident.objects.filter(name="测试1").count() == 1
    assert requeue_lost_imports.call_local() == 0  # nothing waits any more


def test_discovery_runs_and_solves_left_queued_are_queued_again(towns_and_staff, huey_worker):
    from linju.eligibility.models import DiscoveryRun
    from linju.eligibility.services import discovery_start
    from linju.eligibility.tasks import requeue_lost_runs as requeue_discovery
    from linju.planning.models import PlanRun
    from linju.planning.tasks import requeue_lost_runs as requeue_plans

    run = discovery_start(actor=towns_and_staff.staff)
    plan = PlanRun.objects.create(created_by=towns_and_staff.staff, budget=1)
    running = PlanRun.objects.create(created_by=towns_and_staff.staff, budget=2, status="running")
    for model, pk in [(DiscoveryRun, run.pk), (PlanRun, plan.pk), (PlanRun, running.pk)]:
        _lost(model, pk)
    assert requeue_discovery.call_local() == 1 and requeue_plans.call_local() == 1  # not the running one
    assert sorted(name.rsplit(".", 1)[-1] for name, args in huey_worker.queued()) == [
        "run_discovery",
        "run_plan",
    ]
