"""`manage.py check --deploy`: the province is told of cases and ratings only with an address and a key."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def province_is_told(app_configs, **kwargs):
    warnings = []
    if not settings.LINJU_PROVINCE_URL:
        warnings.append(
            Warning(
                "LINJU_PROVINCE_URL is empty: cases and ratings for the province are kept in the outbox, "
                "none is sent.",
                hint="Set LINJU_PROVINCE_URL and LINJU_PROVINCE_KEY to the platform's address and key "
                "(docs/exchange.md); what waits is sent once they are set.",
                id="linju.W060",
            )
        )
    elif not settings.LINJU_PROVINCE_KEY:
        warnings.append(
            Warning(
                "LINJU_PROVINCE_KEY is empty: messages to the province would be signed with no key.",
                hint="Set LINJU_PROVINCE_KEY to the key the platform gave.",
                id="linju.W061",
            )
        )
    elif not settings.LINJU_PROVINCE_URL.startswith("https://"):
        warnings.append(
            Warning(
                "LINJU_PROVINCE_URL is not https: personal data would cross the network in clear.",
                id="linju.W062",
            )
        )
    return warnings
