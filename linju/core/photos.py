"""Photos of papers (a material handed over, a signed form), checked before they are stored: a
JPEG or PNG picture by its first bytes, of at most a size."""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}
PHOTO_MAX_BYTES = 1024 * 1024  # the phone sends about 200 KB (long side 1600 px)


def photo_kind(image: File, *, max_bytes: int = PHOTO_MAX_BYTES, field: str = "image") -> str:
    """The photo's file ending (jpg, png), or the error that says what is wrong with it."""
    if image.size is None or image.size > max_bytes:
        raise DomainError(_("A photo may be at most 1 MB: the app makes it smaller first."), field=field)
    image.seek(0)
    head = image.read(8)
    image.seek(0)
    kind = next((k for sig, k in PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        raise DomainError(_("The photo must be a JPEG or PNG picture."), field=field)
    return kind
