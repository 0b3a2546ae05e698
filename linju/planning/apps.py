from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "linju.planning"
    verbose_name = "Planning"
