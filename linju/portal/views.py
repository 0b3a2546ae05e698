"""Pages that combine several apps: the public home, the staff home, an item's "where can I do
this" (catalogue, places and booths), the town card, and taking a case at a counter, a booth or a
home (cases and outreach). The apps below know nothing of each other's pages."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import can, require
from linju.access.guards import needs, public, signed_in
from linju.access.scoping import towns_for_viewer
from linju.audit.selectors import audit_log_alert
from linju.cases.forms import BUNDLE, IntakeDetailsForm, IntakeStartForm
from linju.cases.selectors import work_counts
from linju.cases.services import Intake, NameDiffers, NewPerson, case_accept
from linju.catalog import selectors
from linju.catalog.acceptance import ways_to_hand_in
from linju.catalog.bundles import bundle_list, bundles_with_items
from linju.catalog.forms import PlaceChoiceForm
from linju.catalog.models import Channel, Material
from linju.catalog.selectors import item_list
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors
from linju.core.pdf import pdf_response
from linju.geo.models import Town, Village
from linju.geo.selectors import (
    VILLAGE_COOKIE,
    VILLAGE_COOKIE_AGE,
    bureau_halls,
    remembered_village,
    town_directory,
    town_get,
)
from linju.gigs.selectors import town_gigs_by_day
from linju.identity.services import identification_at_the_counter
from linju.outreach.forms import PhoneRequestForm
from linju.outreach.models import HomeTask
from linju.outreach.services import PhoneRequest, consultation_to_case, phone_request_take
from linju.people.selectors import resident_list

from . import cards
from .bundle_intake import bundle_details, details_initial, remember_terminal
from .elder import ELDER_COOKIE, ELDER_COOKIE_AGE
from .intake import intake_option, intake_options, intake_places, refusal
from .where import places_to_apply


@public
@require_POST
def elder_mode(request):
    """Turn elder mode on or off (a form on every page), and go back to the page it was asked on."""
    on = request.POST.get("on") == "1"
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    response = redirect(back)
    response.set_cookie(ELDER_COOKIE, "1" if on else "0", max_age=ELDER_COOKIE_AGE, samesite="Lax")
    return response


@public
def home(request):
    """Public: every town with its social-security station, and the bureaus' service halls."""
    return render(
        request,
        "core/home.html",
        {"towns": town_directory(), "halls": bureau_halls(), "my_village": remembered_village(request)},
    )


@signed_in
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
            # the audit log's last check, when it failed: for those who read the log
            "audit_alert": audit_log_alert(viewer=request.user) if can(request.user, "audit.read") else None,
        },
    )


def _chosen_village(request, code: str) -> Village | None:
    if not code:
        return remembered_village(request)
    try:
        return selectors.village_get(code=code)
    except NotFound:
        return None


@public
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
            "ways": ways_to_hand_in(item),
            "village": None if choosing else village,
            "choosing": choosing,
            "towns": Town.objects.order_by("code"),
            "chosen_town": town,
            "villages": town.villages.order_by("code") if town and choosing else [],
            "places": places,
            # the bundles (一件事) that do this item with others, in one application
            "bundles": bundles_with_items(
                codes={item.code}, bureau_id=village.town.bureau_id if village else None
            ),
            "in_force": in_force,
            "on_date": on_date,
            "date_error": form.errors.get("date"),
        },
    )
    if village and data.get("village") == village.code:
        response.set_cookie(VILLAGE_COOKIE, village.code, max_age=VILLAGE_COOKIE_AGE, samesite="Lax")
    return response


@public
@require_GET
def town_card(request, code: str):
    town = town_get(code=code)
    context = cards.card_context(town=town)
    # the card page (not the printed card, made each night) shows the gigs of the day and the week
    context |= {"town_gigs": town_gigs_by_day(town=town), "today": timezone.localdate()}
    return render(request, "catalog/card_page.html", context)


@public
@require_GET
def town_card_pdf(request, code: str):
    town = town_get(code=code)
    return pdf_response(request, cards.CARD, town.code, cards.card_paper(town))


PLACE_GROUPS = (
    ("point", _("Service points")),
    ("market", _("Market-day booths")),
    ("village", _("Home visits")),
)


def _places_for(user):
    """The intake form's places, grouped by kind."""
    places = intake_places(viewer=user)
    return [
        (str(label), [(p.value, p.name) for p in places if p.group == group]) for group, label in PLACE_GROUPS
    ]


def _step_one(request, start: IntakeStartForm, *, refused=None, status: int = 200):
    """Step 1 again: the items as they stand at the place chosen (finished here, forwarded, or not
    taken here), and the refusal of the item chosen, if it was refused."""
    spot, options = None, []
    place, channel = start.data.get("place", ""), start.data.get("channel", "")
    if place and channel:
        try:
            spot, options = intake_options(viewer=request.user, place=place, channel=channel)
        except DomainError:
            spot, options = None, []
    return render(
        request,
        "cases/new_start.html",
        {"form": start, "spot": spot, "options": options, "refused": refused},
        status=status,
    )


@needs("case.accept")
@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Two steps, no JavaScript needed: channel and place (which shows what can be taken there, with
    the promised dates) and the item; then the person, their agent and the materials."""
    start = IntakeStartForm(
        request.GET or None,
        items=item_list(),
        places=_places_for(request.user),
        bundles=bundle_list(bureau_id=request.user.bureau_id),
    )
    if not start.is_valid() or not start.cleaned_data["item"] or request.GET.get("change") == "1":
        return _step_one(request, start, status=200 if not start.errors else 400)
    if start.cleaned_data["item"].startswith(BUNDLE):  # 一件事: its own step 2
        return bundle_details(request, start)
    try:
        option = intake_option(
            viewer=request.user,
            place=start.cleaned_data["place"],
            channel=start.cleaned_data["channel"],
            item_code=start.cleaned_data["item"],
        )
    except DomainError as error:
        return _step_one(request, start, refused={"text": error.text(), "instead": []}, status=400)
    if option.refused:
        return _step_one(
            request, start, refused={"text": refusal(option).text(), "instead": option.instead}, status=400
        )
    item = option.item
    villages = Village.objects.select_related("town").order_by("code").visible_to(request.user)
    materials = list(Material.objects.filter(item=item).order_by("position", "id"))
    details = IntakeDetailsForm(
        request.POST or None,
        request.FILES or None,
        villages=villages,
        materials=materials,
        initial=details_initial(request, start.cleaned_data["place"]),
    )
    name_differs, status = "", 400 if request.method == "POST" else 200
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
            agent=details.agent(),
            texts_to_applicant=details.cleaned_data["texts_to_applicant"],
            registered_name=details.cleaned_data["registered_name"],
            ethnic_group=details.cleaned_data["ethnic_group"],
        )
        booth_id = request.GET.get("booth", "")
        try:
            # the card or code checked now, before the case (a device may take a moment)
            intake.identification = identification_at_the_counter(
                viewer=request.user, **details.identification_given()
            )
            if booth_id.isdigit() and kind == "market":
                case = consultation_to_case(actor=request.user, booth_id=int(booth_id), intake=intake).case
            else:
                case = case_accept(actor=request.user, intake=intake)
        except NameDiffers as error:
            # the intake stops with both names and the choice: correct the name, or take it under
            # the registered one; everything typed comes back as it was
            name_differs, status = error.text(), error.status
        except DomainError as error:
            add_form_errors(details, error)
        else:
            return remember_terminal(redirect("cases:receipt", number=case.number), details)
    return render(
        request,
        "cases/new_details.html",
        {"start": start, "form": details, "item": item, "option": option, "name_differs": name_differs},
        status=status,
    )


@needs("case.accept")
@login_required
@require_http_methods(["GET", "POST"])
def phone_request(request):
    """一个电话: staff take a request by phone; when the person cannot travel, a cadre of their town
    gets a home task with the date (in their work list and calendar)."""
    require(request.user, "case.accept")
    villages = Village.objects.select_related("town").order_by("code").visible_to(request.user)
    items = [i for i in item_list() if i.in_force_on(timezone.localdate())]
    form = PhoneRequestForm(
        request.POST or None,
        items=items,
        villages=villages,
        initial={
            "idempotency_key": uuid.uuid4().hex,
            "visit_date": timezone.localdate() + datetime.timedelta(days=3),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cannot_travel = data["cannot_travel"]
        intake = Intake(
            item_code=data["item"],
            channel=Channel.PHONE,
            person=NewPerson(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                village_code=data["village_code"],
            ),
            # someone comes to the house: the case belongs to the person's town, where the visit is
            village_code=data["village_code"] if cannot_travel else "",
            description=data["description"],
            idempotency_key=data["idempotency_key"],
        )
        try:
            taken = phone_request_take(
                actor=request.user,
                request=PhoneRequest(
                    intake=intake,
                    caller="" if data["caller_is_person"] else data["caller"],
                    cannot_travel=cannot_travel,
                    visit_date=data["visit_date"],
                    task_kind=data["task_kind"] or HomeTask.Kind.OTHER,
                    address=data["address"],
                ),
            )
        except DomainError as error:
            add_form_errors(form, error)
        else:
            if taken.task is not None:
                messages.success(
                    request,
                    _("Case taken; %(cadre)s visits on %(date)s.")
                    % {"cadre": taken.task.assigned_to, "date": taken.task.due_date.isoformat()},
                )
            return redirect("cases:receipt", number=taken.case.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/phone.html", {"form": form}, status=status)
