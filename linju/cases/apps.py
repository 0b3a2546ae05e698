from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linju.workdays.signals import holidays_imported


class CasesConfig(AppConfig):
    name = "linju.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # here, not at the top: these modules import models, which need the app registry loaded
        from linju.audit.exports import register

        from . import checks, tasks  # noqa: F401  (checks: registers the callback days' check)
        from .bundle_papers import register_bundle_papers
        from .jinbao_papers import register_jinbao_papers
        from .papers import register_papers
        from .selectors import list_filters
        from .services import cases_export_job

        holidays_imported.connect(tasks.holidays_arrived, dispatch_uid="cases.recompute_promised_dates")
        register_papers()
        register_bundle_papers()
        register_jinbao_papers()
        register("cases", build=cases_export_job, personal=True, stem="cases", check=list_filters)
