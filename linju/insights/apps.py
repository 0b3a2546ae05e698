from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "linju.insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # here, not at the top: these modules import models, which need the app registry loaded
        from linju.audit.exports import register

        from .exports import EXPORTS, list_check, list_export

        for key, export in EXPORTS.items():

            def build(viewer, params, context, key=key):
                return list_export(viewer=viewer, key=key, params=params, context=context)

            register(f"list-{key}", build=build, personal=export.personal, stem=key, check=list_check)
