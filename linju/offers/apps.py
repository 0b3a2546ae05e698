from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "linju.offers"
    verbose_name = _("Offers (免申即享)")
