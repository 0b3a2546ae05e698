from django.core.management.base import BaseCommand, CommandError

from linju.core.csv_import import ImportFileError
from linju.geo.services import travel_times_import


class Command(BaseCommand):
    help = "Import travel minutes from a CSV (village_code,destination_code,minutes,mode)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            result = travel_times_import(source=path)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
