from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    name = "linju.gigs"
    verbose_name = _("Gig market (零工市场)")
