from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    name = "linju.gigs"
    verbose_name = _("Gig market (零工市场)")

    def ready(self) -> None:
        # here, not at the top: the slip imports models, which need the app registry loaded
        from .slips import register_slips

        register_slips()
