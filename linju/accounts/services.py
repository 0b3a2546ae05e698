from __future__ import annotations

import copy
import datetime
import hashlib
import secrets

from django.utils import timezone

from linju.core import versioned

from .models import APIToken, User

LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """A new token and its key (shown once; only the hash is kept)."""
    key = "lj_" + secrets.token_urlsafe(30)
    token = APIToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key))
    return token, key


# Key holders, held in each process between requests (linju/core/versioned.py): the look-up is a
# query on every API request otherwise, and staff rarely change. A key or a staff member saved or
# deleted, or the towns a cadre serves changed, says so (signals.py): every process drops what it
# holds within a second. Each request gets its own copy of the holder, never the held object.
KEY_HOLDERS = "accounts.key_holders"
MOST_HELD = 10_000
_warmers: list = []


def install_key_holder_warmer(warm) -> None:
    """Called by an app above accounts (access) with what to read into a holder before the holder is
    kept (the towns they serve), so a held holder needs no query for it either."""
    if warm not in _warmers:
        _warmers.append(warm)


def api_token_user(key: str) -> User | None:
    """The active staff member a key belongs to, or None."""
    if not key:
        return None
    key_hash = _hash(key)
    holders = versioned.held(KEY_HOLDERS, dict)
    now = timezone.now()
    held = holders.get(key_hash)
    if held is not None and now - held[0] <= LAST_USED_PRECISION:
        return copy.copy(held[1])
    token = APIToken.objects.select_related("user").filter(key_hash=key_hash, revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        # Recorded to the nearest few minutes: a write on every request would serialise a busy client.
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    user = token.user
    for warm in _warmers:
        warm(user)
    if len(holders) >= MOST_HELD:
        holders.clear()
    holders[key_hash] = (token.last_used_at, user)
    return copy.copy(user)


def key_holders_changed() -> None:
    """Say that a key, its holder or the towns they serve changed: every process reads keys again."""
    versioned.changed(KEY_HOLDERS)


SYSTEM_USERNAME = "linju-system-{bureau_id}"


def bureau_system_user(*, bureau_id: int) -> User:
    """The bureau's own account, named on what residents do themselves with no member of staff in
    between (a reply to a text, the page a text links to, answering an offer): a case it takes reads
    "taken by" the system, never a person who was not there. Made the first time it is needed (no
    migration: an installation that never uses it has no such row); it cannot sign in (no password,
    no key) and serves no town, so it is nobody's cadre. District staff by role, so the services it
    acts in check it as they check anyone."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME.format(bureau_id=bureau_id),
        defaults={
            "bureau_id": bureau_id,
            "role": User.Role.DISTRICT_STAFF,
            "display_name": "邻居系统",
            "is_active": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
