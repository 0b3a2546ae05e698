from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "linju.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # in ready, as Django asks: the checks are registered once the app registry is loaded
        from . import checks  # noqa: F401  (registers the deploy checks of the SMS gateway)
