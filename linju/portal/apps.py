from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "linju.portal"
    label = "portal"
    verbose_name = "Pages that combine the apps"

    def ready(self) -> None:
        # here, not at the top: cards import models, which need the app registry loaded
        from .cards import register_cards

        register_cards()
