"""A run whose worker was killed does not stay "running" for ever."""

import datetime

from django.utils import timezone

from linju.core.heartbeat import SILENT_AFTER


def _silent(model, pk):
    model.objects.filter(pk=pk).update(
        updated_at=timezone.now() - SILENT_AFTER - datetime.timedelta(minutes=1)
    )


def test_a_silent_discovery_run_is_stopped_and_can_start_again(client, served):
    from linju.eligibility.models import DiscoveryRun
    from linju.eligibility.services import discovery_start

    run = discovery_start(actor=served.staff)
    DiscoveryRun.objects.filter(pk=run.pk).update(status="running", rules_done=2, rules_total=12)
    client.force_login(served.staff)
    client.get("/staff/discovery/")
    assert DiscoveryRun.objects.get(pk=run.pk).status == "running"  # still working: left alone
    _silent(DiscoveryRun, run.pk)
    page = client.get("/staff/discovery/").content.decode()
    stopped = DiscoveryRun.objects.get(pk=run.pk)
    assert stopped.status == "failed" and "15 分钟" in stopped.error
    assert stopped.error in page
    assert discovery_start(actor=served.staff).status == "queued"  # started again


def test_silent_imports_and_solves_are_stopped_by_the_periodic_task(served):
    from linju.insights.models import ImportJob
    from linju.insights.tasks import fail_silent_runs as imports_check
    from linju.planning.models import PlanRun
    from linju.planning.tasks import fail_silent_runs as plans_check

    job = ImportJob.objects.create(
        bureau=served.cadre.bureau,
        kind="residents",
        created_by=served.cadre,
        filename="a.xlsx",
        upload="imports/test.xlsx",
        status="queued",  # never taken by a worker (one taken and silent is run again instead)
    )
    run = PlanRun.objects.create(created_by=served.staff, budget=1, status="running")
    fresh = PlanRun.objects.create(created_by=served.staff, budget=2, status="running")
    _silent(ImportJob, job.pk)
    _silent(PlanRun, run.pk)
    assert imports_check.call_local() == 1 and plans_check.call_local() == 1
    job.refresh_from_db(), run.refresh_from_db(), fresh.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["message"]
    assert run.status == "failed" and run.error
    assert fresh.status == "running"
