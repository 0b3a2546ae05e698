from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "linju.demo"
    verbose_name = "Demo data"
