"""`manage.py exchange_deliver`: deliver the outbox's due messages now (for tests and for sites
without a scheduler; the worker does the same each minute)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from linju.exchange.delivery import exchange_deliver


class Command(BaseCommand):
    help = "Send the messages waiting for the province whose time has come."

    def handle(self, *args, **options):
        if not settings.LINJU_PROVINCE_URL:
            self.stdout.write("LINJU_PROVINCE_URL is not set: messages are kept, none is sent.")
            return
        counts = exchange_deliver()
        self.stdout.write(
            f"received {counts['sent']}, to try again {counts['waiting']}, given up {counts['dead']}"
        )
