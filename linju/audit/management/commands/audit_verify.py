"""Check the audit log's chains: the first edited, removed or reordered event of each bureau."""

from django.core.management.base import BaseCommand, CommandError

from linju.audit.chain import audit_verify


class Command(BaseCommand):
    help = (
        "Seal the audit events waiting, then check each bureau's chain; report the first event "
        "edited, removed or reordered (by its id), and events the sealing job left waiting. "
        "Fails (exit status 1) when anything is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-record", action="store_true", help="do not keep the result for the staff's pages"
        )

    def handle(self, *args, no_record: bool, **options):
        findings = audit_verify(record=not no_record)
        for finding in findings:
            self.stdout.write(
                f"bureau {finding.bureau_id}: {finding.kind} event {finding.event_id}: {finding.text()}"
            )
        if findings:
            raise CommandError(f"The audit log failed its check: {len(findings)} problem(s).")
        self.stdout.write(self.style.SUCCESS("Every bureau's audit chain is whole."))
