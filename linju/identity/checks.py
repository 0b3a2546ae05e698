"""`manage.py check --deploy`: production identifies people through real devices, not the stand-ins."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .verifiers import SETTING_OF

STAND_INS = {
    "linju.identity.standin.StandInCardReader",
    "linju.identity.standin.StandInECardPlatform",
}


@register(Tags.security, deploy=True)
def identification_is_real(app_configs, **kwargs):
    warnings = [
        Warning(
            f"{name} is the stand-in {getattr(settings, name)!r}: every card and code it checks passes as "
            "the demo's.",
            hint="Name the real verifier (docs/identification.md): linju.identity.verifiers.CardReaderService "
            "with LINJU_CARD_READER_URL, linju.identity.verifiers.ECardPlatform with LINJU_ECARD_URL and "
            "LINJU_ECARD_APP_KEY.",
            id="linju.W070",
        )
        for name in SETTING_OF.values()
        if getattr(settings, name) in STAND_INS
    ]
    if getattr(settings, "LINJU_ECARD_VERIFIER", "") == "linju.identity.verifiers.ECardPlatform":
        if not settings.LINJU_ECARD_APP_KEY:
            warnings.append(
                Warning(
                    "LINJU_ECARD_APP_KEY is empty: the e-card platform will refuse every check.",
                    id="linju.W071",
                )
            )
    return warnings
