"""Reads of authorisations and consent receipts, always through the viewer's towns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from linju.access.capabilities import require

from .models import Authorisation, ConsentRecord, VillageHelper

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.people.models import Resident


def authorisations_of(*, viewer: User, resident: Resident) -> list[Authorisation]:
    """The authorisations the resident gave or received, newest first (the viewer's towns only)."""
    require(viewer, "person.read")
    return list(
        Authorisation.objects.visible_to(viewer)
        .filter(Q(principal=resident) | Q(agent_resident=resident))
        .select_related("principal")
        .prefetch_related("items")
        .order_by("-created_at", "-id")
    )


def consents_of(*, viewer: User, resident: Resident) -> list[ConsentRecord]:
    """Every answer the resident gave, newest first."""
    require(viewer, "person.read")
    return list(
        ConsentRecord.objects.visible_to(viewer).filter(resident=resident).order_by("-recorded_at", "-id")
    )


def helpers_of_village(*, viewer: User, resident: Resident) -> list[VillageHelper]:
    """The helpers (代办员) on the register of the resident's village."""
    require(viewer, "person.read")
    return list(VillageHelper.objects.visible_to(viewer).filter(village_id=resident.village_id, active=True))
