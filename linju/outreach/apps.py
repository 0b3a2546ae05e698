from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linju.jobs.employer_notes import register as register_employer_notes


class OutreachConfig(AppConfig):
    name = "linju.outreach"
    verbose_name = _("Going to the people")

    def ready(self) -> None:
        # here, not at the top: selectors import models, which need the app registry loaded first
        from .selectors import visit_findings_for_employers

        register_employer_notes(visit_findings_for_employers)
