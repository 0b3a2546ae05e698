import time

from django.core.management.base import BaseCommand, CommandError

from linju.eligibility.models import DiscoveryRun
from linju.eligibility.selectors import rules_in_force
from linju.eligibility.services import discovery_execute, discovery_fan_out
from linju.eligibility.tasks import run_discovery
from linju.geo.models import Town


class Command(BaseCommand):
    help = (
        "Find residents who qualify for an item and have not applied. City-wide, one run per bureau "
        "over its whole registry, each a job for the huey workers (--here: one after another in this "
        "process, with a progress bar); --town: one town, here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", help="a town's 12-digit code")
        parser.add_argument("--here", action="store_true", help="run in this process, not on the workers")
        parser.add_argument(
            "--wait", action="store_true", help="after queueing, wait until every bureau's run has ended"
        )

    def handle(self, *args, town=None, here=False, wait=False, **options):
        if town:
            chosen = Town.objects.filter(code=town).first()
            if chosen is None:
                raise CommandError(f"no town with the code {town}")
            runs = [
                DiscoveryRun.objects.create(
                    bureau=chosen.bureau, town=chosen, rules_total=rules_in_force().count()
                )
            ]
            here = True
        else:
            runs = discovery_fan_out()
        if here:
            for run in runs:
                self._run_here(run)
            return
        for run in runs:
            run_discovery(run.pk)
            self.stdout.write(f"{run.bureau.short_name}: run {run.pk} queued")
        if wait:
            self._wait([run.pk for run in runs])

    def _run_here(self, run: DiscoveryRun) -> None:
        def progress(done: int, total: int, code: str, hits: int) -> None:
            bar = "#" * (30 * done // max(total, 1))
            self.stdout.write(f"\r[{bar:<30}] {done}/{total} {code}: {hits} found", ending="")
            self.stdout.flush()

        self.stdout.write(f"{run.bureau.short_name}:")
        run = discovery_execute(run=run, progress=progress)
        self.stdout.write(
            f"\n{run.residents:,} residents, {run.hits:,} found in {run.rules_total} rules (run {run.pk})"
        )

    def _wait(self, run_ids: list[int]) -> None:
        ended = (DiscoveryRun.Status.DONE, DiscoveryRun.Status.FAILED)
        while DiscoveryRun.objects.filter(pk__in=run_ids).exclude(status__in=ended).exists():
            time.sleep(0.5)
        for run in DiscoveryRun.objects.filter(pk__in=run_ids).select_related("bureau").order_by("pk"):
            self.stdout.write(
                f"{run.bureau.short_name}: {run.get_status_display()}, {run.residents:,} residents, "
                f"{run.hits:,} found {run.error}"
            )
