from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "linju.eligibility"
    verbose_name = _("Eligibility and discovery")

    def ready(self) -> None:
        # here, not at the top: these modules import models, which need the app registry loaded
        from linju.audit.exports import register

        from .services import discovery_export_job

        register("discovery", build=discovery_export_job, personal=True, stem="discovery")
