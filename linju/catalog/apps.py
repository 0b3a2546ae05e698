from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "linju.catalog"
    verbose_name = _("Service catalogue")
