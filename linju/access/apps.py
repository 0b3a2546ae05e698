from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "linju.access"
    label = "access"
    verbose_name = "Who may do what"
