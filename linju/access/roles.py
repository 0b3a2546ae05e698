"""The roles staff hold. Compared here only: elsewhere a capability is asked for (capabilities.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linju.accounts.models import User

ADMIN = "district_admin"
STAFF = "district_staff"
LEADER = "leader"
CADRE = "township_cadre"
ROLES = (ADMIN, STAFF, LEADER, CADRE)


def role_of(viewer: User | None) -> str | None:
    """The viewer's role; superusers act as administrators; nobody signed in (or inactive) has none."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return None
    return ADMIN if viewer.is_superuser else viewer.role


def is_platform_admin(viewer: User | None) -> bool:
    """An administrator of the whole installation: a superuser of no bureau, who sees every
    bureau's rows (a bureau's own administrator sees that bureau's)."""
    return role_of(viewer) == ADMIN and viewer.is_superuser and viewer.bureau_id is None


def is_town_cadre(viewer: User | None) -> bool:
    """A township cadre: works in the towns they serve, not across the district."""
    return role_of(viewer) == CADRE
