import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linju.accounts.models import User
from linju.core.errors import DomainError
from linju.outreach.services import certification_by_data_run


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise CommandError(f"not a date (2026-05-03): {value}") from None


class Command(BaseCommand):
    help = (
        "Certify by data the pensioners with a sign of life in the period (the year unless --start/--end "
        "narrow it). As the nightly job, over every bureau; with --user, as that member of staff, over "
        "their towns. Run twice, the second certifies nobody."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--start", default=None, help="first day of the period (YYYY-MM-DD)")
        parser.add_argument("--end", default=None, help="last day of the period (YYYY-MM-DD)")
        parser.add_argument("--user", default=None, help="run as this member of staff (username)")

    def handle(self, *args, year, start, end, user, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {user}")
        try:
            run = certification_by_data_run(actor=actor, year=year, start=_day(start), end=_day(end))
        except DomainError as error:
            raise CommandError(error.text()) from None
        self.stdout.write(
            f"certified by data: {run.certified} of {run.pensioners_checked} pensioners not yet certified "
            f"for {year} ({run.period_start}–{run.period_end})"
        )
