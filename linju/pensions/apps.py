from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    name = "linju.pensions"
    verbose_name = _("Retirement")
