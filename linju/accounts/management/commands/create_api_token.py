from django.core.management.base import BaseCommand, CommandError

from linju.accounts.models import User
from linju.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a staff member and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API client")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff member {username!r}")
        _token, key = api_token_create(user=user, name=name)
        self.stdout.write(key)
