from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "linju.offers"
    verbose_name = _("Offers (免申即享)")

    def ready(self) -> None:
        # here, not at the top: these modules import models, which need the app registry loaded.
        # Discovery sits below the offers and cannot import them: it hands each finished run's
        # matches to whoever registered (linju/eligibility/matches.py)
        from linju.eligibility import matches

        from .services.making import offers_from_run

        matches.register(offers_from_run)
