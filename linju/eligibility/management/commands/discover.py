from django.core.management.base import BaseCommand

from linju.eligibility.models import DiscoveryRun
from linju.eligibility.selectors import rules_in_force
from linju.eligibility.services import discovery_execute
from linju.geo.models import Bureau, Town


class Command(BaseCommand):
    help = (
        "Find residents who qualify for an item and have not applied: one run per bureau over its "
        "whole registry (or one town)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", help="a town's 12-digit code")

    def handle(self, *args, town=None, **options):
        chosen = Town.objects.filter(code=town).first() if town else None
        bureaus = [chosen.bureau] if chosen else list(Bureau.objects.order_by("id"))

        def progress(done: int, total: int, code: str, hits: int) -> None:
            bar = "#" * (30 * done // max(total, 1))
            self.stdout.write(f"\r[{bar:<30}] {done}/{total} {code}: {hits} found", ending="")
            self.stdout.flush()

        for bureau in bureaus:
            run = DiscoveryRun.objects.create(
                bureau=bureau, town=chosen, rules_total=rules_in_force().count()
            )
            self.stdout.write(f"{bureau.short_name}:")
            run = discovery_execute(run=run, progress=progress)
            self.stdout.write(
                f"\n{run.residents:,} residents, {run.hits:,} found in {run.rules_total} rules (run {run.pk})"
            )
