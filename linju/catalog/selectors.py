"""Reads of the catalogue: public, so nothing here is scoped to a viewer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can
from linju.core import versioned
from linju.core.errors import NotFound
from linju.geo.models import ServicePoint, Town, Village
from linju.geo.selectors import hall_of, station_of

from .bundles import BUNDLES
from .models import Category, Delegation, ItemAlias, Material, ServiceItem
from .search import Found, SearchIndex, normalized


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("position", "code")


@dataclass(frozen=True)
class _Catalogue:
    items: list[ServiceItem]  # with their category, in the catalogue's order
    by_code: dict[str, ServiceItem]
    by_id: dict[int, ServiceItem]
    delegations: dict[tuple[int, int], list[Delegation]]  # (item, town) -> in date order

    @cached_property
    def search_index(self) -> SearchIndex:
        """Built at the first search of this version of the catalogue (one query: the names people
        use), then held with it."""
        aliases: dict[int, list[str]] = {}
        for item_id, name in ItemAlias.objects.order_by("item_id", "id").values_list("item_id", "name"):
            aliases.setdefault(item_id, []).append(name)
        return SearchIndex(self.items, aliases)


CATALOGUE = "catalog.catalogue"


def _read_catalogue() -> _Catalogue:
    items = list(ServiceItem.objects.select_related("category").order_by("category__position", "code"))
    delegations: dict[tuple[int, int], list[Delegation]] = {}
    for delegation in Delegation.objects.order_by("valid_from", "id"):
        delegations.setdefault((delegation.item_id, delegation.town_id), []).append(delegation)
    return _Catalogue(
        items=items,
        by_code={i.code: i for i in items},
        by_id={i.pk: i for i in items},
        delegations=delegations,
    )


def _catalogue() -> _Catalogue:
    """The items, their search index and the delegations, as this process holds them (a few hundred
    items and a few thousand delegations; read again only after a change): no query. The objects are
    shared by every request of the process: read them, never change them."""
    return versioned.held(CATALOGUE, _read_catalogue)


def catalogue_changed() -> None:
    """Say that items, the names people use, categories or delegations were written: every process
    reads them again (and the bundles, which hold items, their questions and materials)."""
    versioned.changed(CATALOGUE)
    versioned.changed(BUNDLES)


def _listed(item: ServiceItem, on_date: datetime.date, category_code: str | None) -> bool:
    return item.in_force_on(on_date) and (not category_code or item.category.code == category_code)


def item_list(
    *, query: str = "", category_code: str | None = None, on_date: datetime.date | None = None
) -> list[ServiceItem]:
    """Items in force on the date (today by default), in the catalogue's order; with a query, the
    ones it finds, best first (`item_search`)."""
    if normalized(query):
        return item_search(query=query, category_code=category_code, on_date=on_date).items
    on_date = on_date or timezone.localdate()
    return [item for item in _catalogue().items if _listed(item, on_date, category_code)]


def item_search(
    *, query: str, category_code: str | None = None, on_date: datetime.date | None = None
) -> Found:
    """What a resident's words find among the items in force: by characters, words, sound (a
    homophone typo), typed pinyin or initials, forgiving a character missed or added; and, when
    nothing matches well, the items they may have meant (linju/catalog/search.py). Read from the
    index this process holds with the catalogue: no query once it is built."""
    on_date = on_date or timezone.localdate()
    if not normalized(query):
        return Found(
            items=item_list(category_code=category_code, on_date=on_date), suggestions=[], aliases={}
        )
    return _catalogue().search_index.search(query, keep=lambda item: _listed(item, on_date, category_code))


def item_by_code(*, code: str) -> ServiceItem:
    """Any item by its code, retired ones included, from the held catalogue (no query; without its
    materials, which `item_get` reads)."""
    item = _catalogue().by_code.get(code)
    if item is None:
        raise NotFound(_("No service item with code %(code)s."), params={"code": code})
    return item


def item_by_id(*, item_id: int) -> ServiceItem:
    """Any item by its id, from the held catalogue (no query): the same shared object every request of
    the process reads, never to be changed. One made in another process in the last second, before
    its version is seen here, is read from the database."""
    return _catalogue().by_id.get(item_id) or ServiceItem.objects.select_related("category").get(pk=item_id)


def item_get(*, code: str) -> ServiceItem:
    """Any item, retired ones included (old cases still point at them)."""
    item = (
        ServiceItem.objects.select_related("category")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("position", "id")))
        .filter(code=code)
        .first()
    )
    if item is None:
        raise NotFound(_("No service item with code %(code)s."), params={"code": code})
    return item


def delegation_overlapping(
    *,
    item: ServiceItem,
    town: Town,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    exclude_id: int | None = None,
) -> Delegation | None:
    """An existing delegation of the item to the town whose dates meet [valid_from, valid_to]."""
    clashes = Delegation.objects.filter(item=item, town=town).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        clashes = clashes.filter(valid_from__lte=valid_to)
    if exclude_id:
        clashes = clashes.exclude(pk=exclude_id)
    return clashes.select_related("town").first()


def delegation_in_force(*, item: ServiceItem, town: Town, on_date: datetime.date) -> Delegation | None:
    """The delegation of the item to the town on the date, from the held catalogue: no query."""
    for delegation in _catalogue().delegations.get((item.pk, town.pk), ()):
        if delegation.valid_from <= on_date and (
            delegation.valid_to is None or delegation.valid_to >= on_date
        ):
            return delegation
    return None


@dataclass(frozen=True)
class Finisher:
    """Who finishes an item for a resident of a town on a date: exactly one answer."""

    level: str  # "town" or "district"
    service_point: ServicePoint
    delegation: Delegation | None


def counters_for_viewer(*, viewer, with_halls: bool = True) -> list[ServicePoint]:
    """The counters a member of staff works at: their bureau's district hall (district staff) first,
    then the township stations of the towns they serve. The one rule intake's places and the counter
    questions read; one query a kind of counter."""
    halls = (
        list(
            ServicePoint.objects.filter(kind=ServicePoint.Kind.DISTRICT_HALL, bureau_id=viewer.bureau_id)
            .select_related("town")
            .order_by("code")
        )
        if with_halls and viewer.bureau_id and can(viewer, "hall.work")
        else []
    )
    stations = (
        ServicePoint.objects.filter(kind=ServicePoint.Kind.TOWN_STATION)
        .select_related("town")
        .visible_to(viewer)
        .order_by("code")
    )
    return halls + list(stations)


def district_hall_of(town: Town) -> ServicePoint:
    hall = hall_of(bureau_id=town.bureau_id)
    if hall is None:
        raise NotFound(
            _("The bureau of %(town)s has no service hall configured."), params={"town": town.name}
        )
    return hall


def station_for(town: Town) -> ServicePoint | None:
    return station_of(town_id=town.pk)


def finisher_for(*, item: ServiceItem, town: Town, on_date: datetime.date) -> Finisher:
    delegation = delegation_in_force(item=item, town=town, on_date=on_date)
    station = station_for(town)
    if delegation and delegation.mode == Delegation.Mode.FINISH and station:
        return Finisher(level="town", service_point=station, delegation=delegation)
    return Finisher(level="district", service_point=district_hall_of(town), delegation=delegation)


def village_get(*, code: str) -> Village:
    village = Village.objects.select_related("town__bureau").filter(code=code).first()
    if village is None:
        raise NotFound(_("No village with code %(code)s."), params={"code": code})
    return village
