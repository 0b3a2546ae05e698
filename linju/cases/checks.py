"""The callback's working days (LINJU_CALLBACK_WORKING_DAYS) are 1 to 15: the national rules' bound."""

from django.conf import settings
from django.core.checks import Error, register

from .services.callbacks import CALLBACK_DAYS_MAX


@register()
def callback_days_within_bounds(app_configs, **kwargs):
    days = getattr(settings, "LINJU_CALLBACK_WORKING_DAYS", 5)
    if not isinstance(days, int) or not 1 <= days <= CALLBACK_DAYS_MAX:
        return [
            Error(
                f"LINJU_CALLBACK_WORKING_DAYS is {days!r}: a named 差评 is called back within 1 to "
                f"{CALLBACK_DAYS_MAX} working days.",
                hint="Set it between 1 and 15 (default 5).",
                id="linju.E070",
            )
        ]
    return []
