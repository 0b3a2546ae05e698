from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "linju.insights"
    verbose_name = "Insights"
