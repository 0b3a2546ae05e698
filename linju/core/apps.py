from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linju.core"

    def ready(self) -> None:
        # in ready, as Django asks: the checks are registered once the app registry is loaded
        from . import checks  # noqa: F401  (registers the deploy checks)
