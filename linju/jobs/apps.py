from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "linju.jobs"
    verbose_name = _("Jobs near home")
