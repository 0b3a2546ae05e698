from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "linju.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        # here, not at the top: the receivers' module imports the models, which need the app registry
        from . import signals  # noqa: F401
