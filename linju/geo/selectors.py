"""Public reads of the geography: nothing here is personal data."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from linju.core.errors import NotFound

from .models import Bureau, ServicePoint, Town, Village


def town_directory() -> QuerySet[Town]:
    """All towns with their station and number of villages, in code order."""
    stations = ServicePoint.objects.filter(kind=ServicePoint.Kind.TOWN_STATION)
    return (
        Town.objects.select_related("bureau")
        .annotate(village_count=Count("villages"))
        .prefetch_related(Prefetch("service_points", queryset=stations, to_attr="stations"))
        .order_by("code")
    )


def bureau_halls() -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(kind=ServicePoint.Kind.DISTRICT_HALL).select_related("bureau")


def bureau_list() -> QuerySet[Bureau]:
    return Bureau.objects.order_by("id")


def village_list_for_town(*, town_code: str) -> QuerySet[Village]:
    if not Town.objects.filter(code=town_code).exists():
        raise NotFound(_("No town with code %(code)s."), params={"code": town_code})
    return Village.objects.filter(town__code=town_code).order_by("code")


def town_get(*, code: str) -> Town:
    """A town with its station and village count, as on the public directory."""
    town = town_directory().filter(code=code).first()
    if town is None:
        raise NotFound(_("No town with code %(code)s."), params={"code": code})
    return town
