"""System checks of Linju's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .crypto import KeysUnavailable, load_keyring


@register(Tags.security, deploy=True)
def public_url_is_the_sites(app_configs, **kwargs):
    """Texts and printed papers (their QR codes) carry LINJU_PUBLIC_URL: the workers that build them
    have no request to take the site's address from."""
    address = urlsplit(settings.LINJU_PUBLIC_URL)
    if address.scheme == "https" and address.hostname not in (None, "127.0.0.1", "localhost"):
        return []
    return [
        Warning(
            f"LINJU_PUBLIC_URL is {settings.LINJU_PUBLIC_URL!r}: texts and the QR codes of printed "
            "papers would point there.",
            hint="Set LINJU_PUBLIC_URL to the site's public https address, e.g. https://linju.example.gov.cn",
            id="linju.W001",
        )
    ]


@register(Tags.security, deploy=True)
def personal_data_keys_are_not_the_demos(app_configs, **kwargs):
    """Personal data at rest is encrypted with the keys the settings name (linju/core/crypto.py);
    the demo's keys are public."""
    try:
        ring = load_keyring()
    except KeysUnavailable as error:
        return [Warning(str(error), hint="Check LINJU_KEY_FILE or LINJU_KMS_URL.", id="linju.W081")]
    if ring.source == "demo":
        return [
            Warning(
                "Personal data is encrypted with the demo's keys (no LINJU_KMS_URL, no LINJU_KEY_FILE).",
                hint="Name the key service (LINJU_KMS_URL, LINJU_KMS_TOKEN) or a key file (LINJU_KEY_FILE); "
                "see docs/crypto.md.",
                id="linju.W080",
            )
        ]
    if ring.holds_demo_key:
        return [
            Warning(
                f"The keys from the {ring.source} include a demo key, which is public.",
                hint="Make new keys, make one current and run manage.py rotate_keys; see docs/crypto.md.",
                id="linju.W080",
            )
        ]
    return []
