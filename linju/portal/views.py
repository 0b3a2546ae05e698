"""Pages that combine several apps: the public home, the staff home, an item's "where can I do
this" (catalogue, places and booths), the town card, and taking a case at a counter, a booth or a
home (cases and outreach). The apps below know nothing of each other's pages."""

import uuid

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from linju.access.capabilities import can
from linju.access.scoping import scope_to_viewer, towns_for_viewer
from linju.cases.forms import IntakeDetailsForm, IntakeStartForm
from linju.cases.selectors import work_counts
from linju.cases.services import Intake, NewPerson, case_accept
from linju.catalog import selectors
from linju.catalog.forms import PlaceChoiceForm
from linju.catalog.models import Material, ServiceItem
from linju.catalog.selectors import item_list
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors
from linju.core.pdf import pdf_response
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.geo.selectors import bureau_halls, town_directory, town_get
from linju.outreach.services import consultation_to_case
from linju.people.selectors import resident_list

from . import cards
from .where import places_to_apply

VILLAGE_COOKIE = "linju_village"
COOKIE_AGE = 365 * 24 * 3600


def home(request):
    """Public: every town with its social-security station, and the bureaus' service halls."""
    return render(request, "core/home.html", {"towns": town_directory(), "halls": bureau_halls()})


@login_required
def staff_home(request):
    towns = towns_for_viewer(request.user).order_by("code")
    return render(
        request,
        "core/staff_home.html",
        {
            "towns": towns,
            "resident_count": resident_list(viewer=request.user).count(),
            "counts": work_counts(viewer=request.user),
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
        places = places_to_apply(item=item, village=village, on_date=on_date)
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


def _places_for(user):
    points = scope_to_viewer(ServicePoint.objects.filter(kind="town_station"), viewer=user, town_path="town")
    halls = (
        ServicePoint.objects.filter(kind="district_hall", bureau_id=user.bureau_id)
        if can(user, "hall.work")
        else []
    )
    markets = scope_to_viewer(MarketPlace.objects.all(), viewer=user, town_path="town")
    villages = scope_to_viewer(Village.objects.select_related("town"), viewer=user, town_path="town")
    return [
        (str(_("Service points")), [(f"point:{p.code}", p.name) for p in [*halls, *points]]),
        (
            str(_("Market-day booths")),
            [(f"market:{m.code}", f"{m.town.name} · {m.name}") for m in markets.select_related("town")],
        ),
        (str(_("Home visits")), [(f"village:{v.code}", f"{v.town.name} · {v.name}") for v in villages]),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Two steps, no JavaScript needed: item, channel and place; then the person and the materials."""
    start = IntakeStartForm(request.GET or None, items=item_list(), places=_places_for(request.user))
    if not start.is_valid():
        return render(request, "cases/new_start.html", {"form": start})
    item = ServiceItem.objects.get(code=start.cleaned_data["item"])
    villages = scope_to_viewer(
        Village.objects.select_related("town").order_by("code"), viewer=request.user, town_path="town"
    )
    materials = list(Material.objects.filter(item=item).order_by("position", "id"))
    details = IntakeDetailsForm(
        request.POST or None,
        villages=villages,
        materials=materials,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    if request.method == "POST" and details.is_valid():
        kind, _sep, code = start.cleaned_data["place"].partition(":")
        received, missing = details.materials()
        intake = Intake(
            item_code=item.code,
            channel=start.cleaned_data["channel"],
            person=NewPerson(
                name=details.cleaned_data["name"],
                id_number=details.cleaned_data["id_number"],
                phone=details.cleaned_data["phone"],
                village_code=details.cleaned_data["village_code"],
            ),
            service_point_code=code if kind == "point" else "",
            market_code=code if kind == "market" else "",
            village_code=code if kind == "village" else "",
            description=details.cleaned_data["description"],
            materials_received=received,
            materials_missing=missing,
            idempotency_key=details.cleaned_data["idempotency_key"],
        )
        booth_id = request.GET.get("booth", "")
        try:
            if booth_id.isdigit() and kind == "market":
                case = consultation_to_case(actor=request.user, booth_id=int(booth_id), intake=intake).case
            else:
                case = case_accept(actor=request.user, intake=intake)
        except DomainError as error:
            add_form_errors(details, error)
        else:
            return redirect("cases:receipt", number=case.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cases/new_details.html", {"start": start, "form": details, "item": item}, status=status
    )
