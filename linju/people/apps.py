from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "linju.people"
    verbose_name = _("Residents")

    def ready(self) -> None:
        # here, not at the top: these modules import models, which need the app registry loaded
        from linju.audit.exports import register

        from .services import residents_export_xlsx

        def build(viewer, params, context):
            return residents_export_xlsx(
                viewer=viewer, query=params.get("q", ""), town_code=params.get("town"), context=context
            )

        register("residents", build=build, personal=True, stem="residents")
