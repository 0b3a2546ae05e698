"""A bundle's public page (一件事一次办): everything at once (一次告知) — its parts, the office that
finishes each and when, the one form and the one set of papers — and where to hand it in from the
resident's village: the places that take its lead part (`where.bundle_places_to_apply`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from linju.access.guards import public
from linju.catalog import selectors
from linju.catalog.bundles import Offered, bundle_get, bundle_list
from linju.catalog.forms import PlaceChoiceForm
from linju.catalog.models import BundlePart
from linju.core.errors import DomainError, NotFound
from linju.geo.models import ServicePoint, Town, Village
from linju.geo.selectors import VILLAGE_COOKIE, VILLAGE_COOKIE_AGE, remembered_village

from .where import bundle_places_to_apply


@dataclass(frozen=True)
class PartRow:
    """A part as the page says it: the item, who finishes it (a partner office, or the bureau's
    station or hall for the resident's town), and its promise in working days."""

    part: BundlePart
    office: str
    phone: str
    partner: bool


def _rows(offered: Offered, town: Town | None) -> list[PartRow]:
    today = timezone.localdate()
    rows = []
    for part in offered.parts:
        if part.partner is not None:
            rows.append(PartRow(part, part.partner.name, part.partner.phone, partner=True))
            continue
        point: ServicePoint | None = None
        if town is not None and town.bureau_id == offered.bundle.bureau_id:
            point = selectors.finisher_for(item=part.item, town=town, on_date=today).service_point
        name = point.name if point else offered.bundle.bureau.name
        rows.append(PartRow(part, name, point.phone if point else "", partner=False))
    return rows


def _village(request, code: str) -> Village | None:
    if not code:
        return remembered_village(request)
    try:
        return selectors.village_get(code=code)
    except NotFound:
        return None


@public
@require_GET
def bundle_detail(request, code: str):
    """The bundle, and where to hand it in from the resident's village (chosen in two steps, kept in
    a cookie, as on an item's page)."""
    offered = bundle_get(code=code)
    form = PlaceChoiceForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    village = _village(request, data.get("village") or "")
    choosing = (
        village is None or request.GET.get("change") == "1" or (data.get("town") and not data.get("village"))
    )
    town = Town.objects.filter(code=data.get("town") or "").first() or (village.town if village else None)
    places, elsewhere, ours = [], "", []
    if village and not choosing:
        try:
            places = bundle_places_to_apply(bundle=offered.entry, village=village)
        except DomainError as refusal:
            elsewhere = refusal.text()
            # the bundle of the same name that the village's own bureau offers, if there is one
            ours = [
                o
                for o in bundle_list(bureau_id=village.town.bureau_id)
                if o.bundle.name == offered.bundle.name
            ]
    response = render(
        request,
        "catalog/bundle.html",
        {
            "offered": offered,
            "bundle": offered.bundle,
            "rows": _rows(offered, None if choosing or village is None else village.town),
            "lead": offered.held.lead,
            "village": None if choosing else village,
            "choosing": choosing,
            "towns": Town.objects.filter(bureau_id=offered.bundle.bureau_id).order_by("code"),
            "chosen_town": town,
            "villages": town.villages.order_by("code") if town and choosing else [],
            "places": places,
            "elsewhere": elsewhere,
            "ours": ours,
            "date_error": form.errors.get("date"),
        },
    )
    if village and data.get("village") == village.code:
        response.set_cookie(VILLAGE_COOKIE, village.code, max_age=VILLAGE_COOKIE_AGE, samesite="Lax")
    return response
