from django.core.management.base import BaseCommand, CommandError

from linju.accounts.models import User
from linju.core.errors import DomainError
from linju.planning.models import PlanRun
from linju.planning.services import plan_execute, plan_start


class Command(BaseCommand):
    help = "Propose which market places get a regular booth (p-median or maximal covering), with its gap."

    def add_arguments(self, parser):
        parser.add_argument("--budget", type=int, required=True, help="how many market places")
        parser.add_argument("--objective", choices=PlanRun.Objective.values, default="median")
        parser.add_argument("--within", type=int, default=30, help="minutes, for --objective cover")
        parser.add_argument("--town", help="a town's 12-digit code (default: every town of the user)")
        parser.add_argument("--town-minimum", type=int, default=0)
        parser.add_argument("--method", choices=PlanRun.Method.values, default="auto")
        parser.add_argument("--keep", nargs="*", default=[], help="market codes always chosen")
        parser.add_argument("--exclude", nargs="*", default=[], help="market codes never chosen")
        parser.add_argument("--user", help="plan as this user (default: the first superuser)")

    def handle(self, *args, **o):
        user = (
            User.objects.filter(username=o["user"]).first()
            if o["user"]
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("No such user (and no superuser): pass --user.")
        try:
            run = plan_start(
                actor=user,
                budget=o["budget"],
                objective=o["objective"],
                within=o["within"],
                town_code=o["town"],
                town_minimum=o["town_minimum"],
                method=o["method"],
                fixed_in=o["keep"],
                fixed_out=o["exclude"],
            )
        except DomainError as error:
            raise CommandError(error.text()) from None

        def progress(stage: str, step: int) -> None:
            self.stdout.write(f"\r[{'#' * min(step, 30):<30}] {stage} {step}", ending="")
            self.stdout.flush()

        self.stdout.write("[" + " " * 30 + "] solving", ending="")
        run = plan_execute(run=run, progress=progress)
        self.stdout.write(f"\r[{'#' * 30}] {run.get_status_display()}")
        if run.status != PlanRun.Status.DONE:
            raise CommandError(run.error)
        today, proposed = run.result["today"], run.result["proposed"]
        self.stdout.write(f"chosen: {', '.join(m.name for m in run.chosen.order_by('code'))}")
        self.stdout.write(
            f"method: {run.used}; {run.seconds:.2f} s; gap to the optimum ≤ {100 * run.gap:.2f}%"
        )
        self.stdout.write(
            f"mean travel {today['mean_minutes']} → {proposed['mean_minutes']} min; "
            f"within 30 min {today['within_30']}% → {proposed['within_30']}%; "
            f"within 60 min {today['within_60']}% → {proposed['within_60']}%"
        )
        self.stdout.write(f"proposal {run.pk}")
