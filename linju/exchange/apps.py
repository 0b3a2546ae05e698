from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "linju.exchange"
    verbose_name = _("Exchange with outside systems")

    def ready(self) -> None:
        # in ready, as Django asks: the checks are registered once the app registry is loaded
        from . import checks  # noqa: F401  (registers the deploy check of the province's address)
