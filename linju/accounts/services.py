from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone

from .models import APIToken, User

LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """A new token and its key (shown once; only the hash is kept)."""
    key = "lj_" + secrets.token_urlsafe(30)
    token = APIToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key))
    return token, key


def api_token_user(key: str) -> User | None:
    """The active staff member a key belongs to, or None."""
    if not key:
        return None
    token = APIToken.objects.select_related("user").filter(key_hash=_hash(key), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        # Recorded to the nearest few minutes: a write on every request would serialise a busy client.
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
