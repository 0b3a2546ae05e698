from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from linju.core.errors import NotFound
from linju.core.pdf import pdf_response
from linju.geo.models import Town, Village
from linju.geo.selectors import town_get

from . import cards, selectors
from .forms import CatalogSearchForm, PlaceChoiceForm

VILLAGE_COOKIE = "linju_village"
COOKIE_AGE = 365 * 24 * 3600


@require_GET
def catalog_index(request):
    form = CatalogSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    items = selectors.item_list(query=query, category_code=category or None)
    return render(
        request,
        "catalog/index.html",
        {
            "form": form,
            "query": query,
            "category": category,
            "items": items,
            "categories": selectors.category_list(),
        },
    )


def _chosen_village(request, code: str) -> Village | None:
    code = code or request.COOKIES.get(VILLAGE_COOKIE, "")
    if not code:
        return None
    try:
        return selectors.village_get(code=code)
    except NotFound:
        return None


@require_GET
def item_detail(request, code: str):
    """The item, and where to do it from the resident's village (chosen in two steps, kept in a cookie)."""
    item = selectors.item_get(code=code)
    form = PlaceChoiceForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    village = _chosen_village(request, data.get("village") or "")
    choosing = (
        village is None or request.GET.get("change") == "1" or (data.get("town") and not data.get("village"))
    )
    town = Town.objects.filter(code=data.get("town") or "").first() or (village.town if village else None)
    on_date = data.get("date")
    in_force = item.in_force_on(on_date or timezone.localdate())
    places = []
    if village and not choosing and in_force:
        places = selectors.places_to_apply(item=item, village=village, on_date=on_date)
    response = render(
        request,
        "catalog/item.html",
        {
            "item": item,
            "village": None if choosing else village,
            "choosing": choosing,
            "towns": Town.objects.order_by("code"),
            "chosen_town": town,
            "villages": town.villages.order_by("code") if town and choosing else [],
            "places": places,
            "in_force": in_force,
            "on_date": on_date,
            "date_error": form.errors.get("date"),
        },
    )
    if village and data.get("village") == village.code:
        response.set_cookie(VILLAGE_COOKIE, village.code, max_age=COOKIE_AGE, samesite="Lax")
    return response


@require_GET
def town_card(request, code: str):
    town = town_get(code=code)
    context = cards.card_context(town=town, page_url=request.build_absolute_uri(reverse("town", args=[code])))
    return render(request, "catalog/card_page.html", context)


@require_GET
def town_card_pdf(request, code: str):
    town = town_get(code=code)
    context = cards.card_context(town=town, page_url=request.build_absolute_uri(reverse("town", args=[code])))
    return pdf_response(
        request,
        "catalog/card_pdf.html",
        context,
        filename=f"card-{town.code}.pdf",
        folder=f"towns/{town.code}",
    )
