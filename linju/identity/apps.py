from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "linju.identity"
    verbose_name = _("Identification")

    def ready(self) -> None:
        # in ready, as Django asks: the checks are registered once the app registry is loaded
        from . import checks  # noqa: F401  (registers the deploy check of the verifiers)
