from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "linju.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from linju.workdays.signals import holidays_imported

        from . import tasks

        holidays_imported.connect(tasks.holidays_arrived, dispatch_uid="cases.recompute_promised_dates")

        from linju.audit.exports import register

        from .papers import register_papers
        from .selectors import list_filters
        from .services import cases_export_job

        register_papers()
        register("cases", build=cases_export_job, personal=True, stem="cases", check=list_filters)
