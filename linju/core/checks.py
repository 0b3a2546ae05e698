"""System checks of Linju's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
