from django.core.management.base import BaseCommand, CommandError

from linju.core.csv_import import ImportFileError
from linju.workdays.services import holidays_import_csv, holidays_import_from_package


class Command(BaseCommand):
    help = (
        "Fill the working-day calendar: without a path, from the chinesecalendar package; with a CSV "
        "(date,kind,name; kind holiday|workday), a newly published year's schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument(
            "--note", default="", help="where the schedule comes from, e.g. 国办发明电〔2026〕X号"
        )

    def handle(self, *args, path, note, **options):
        try:
            result = holidays_import_csv(source=path, note=note) if path else holidays_import_from_package()
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
