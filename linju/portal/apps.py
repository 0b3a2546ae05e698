from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "linju.portal"
    label = "portal"
    verbose_name = "Pages that combine the apps"

    def ready(self) -> None:
        from .cards import register_cards

        register_cards()
