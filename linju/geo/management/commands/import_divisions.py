from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linju.core.csv_import import ImportFileError
from linju.geo.services import divisions_import


class Command(BaseCommand):
    help = "Import the district, towns and villages from a CSV (code,name,level,parent_code,full_name,zone)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.DIVISIONS_CSV))

    def handle(self, *args, path, **options):
        try:
            result = divisions_import(source=path)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
