import segno
from django.core.management.base import BaseCommand, CommandError

from linju.accounts.models import User
from linju.accounts.two_factor import second_factor_enrol, second_factor_remove


class Command(BaseCommand):
    help = (
        "Set up a staff member's authenticator (the second factor): print the key to scan, as a QR code "
        "in the terminal and as an otpauth:// address, and ten recovery codes, shown only this once. "
        "Any earlier authenticator of theirs stops working. --remove takes their second factor away "
        "(a lost phone), until they are set up again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, username, remove, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff member {username!r}")
        if remove:
            second_factor_remove(user=user)
            self.stdout.write(f"{username}: no second factor now; set it up again before they log in.")
            return
        url, codes = second_factor_enrol(user=user)
        segno.make(url, error="m").terminal(out=self.stdout, compact=True)
        self.stdout.write(url)
        self.stdout.write("recovery codes (each works once): " + " ".join(codes))
