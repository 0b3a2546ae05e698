"""Step 2 of taking a bundle (一件事) at the counter, a booth or a home visit, without JavaScript: the
person, their agent and the bundle's one list of papers (each asked once), then one bundle case and
its receipt, every part with its own date and office. The same service as the API and the field app."""

from __future__ import annotations

import uuid

from django.shortcuts import redirect, render
from django.utils import timezone

from linju.cases.forms import BUNDLE, IntakeDetailsForm, IntakeStartForm
from linju.cases.services import Intake, NameDiffers, NewPerson, bundle_accept_once
from linju.catalog.bundles import bundle_get
from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors
from linju.geo.models import Village
from linju.identity.services import identification_at_the_counter

TERMINAL_COOKIE = "linju_terminal"


def details_initial(request, place: str) -> dict:
    """A fresh details form: a new idempotency key, texts agreed, and the terminal this browser said
    last (its reader or scanner); else empty, for the device to fill (never the place's raw key)."""
    terminal = request.COOKIES.get(TERMINAL_COOKIE, "")[:60]
    return {
        "idempotency_key": uuid.uuid4().hex,
        "texts_to_applicant": True,
        "identification_terminal": terminal,
    }


def remember_terminal(response, details):
    """The terminal named on this browser is offered again next time (a year; the page's own cookie)."""
    terminal = details.cleaned_data["identification_terminal"]
    if terminal:
        response.set_cookie(TERMINAL_COOKIE, terminal, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def bundle_details(request, start: IntakeStartForm):
    """The bundle chosen in step 1: its papers and the person; on a valid POST, the bundle case."""
    offered = bundle_get(code=start.cleaned_data["item"].removeprefix(BUNDLE), on_date=timezone.localdate())
    villages = Village.objects.select_related("town").order_by("code").visible_to(request.user)
    details = IntakeDetailsForm(
        request.POST or None,
        request.FILES or None,
        villages=villages,
        materials=offered.held.materials,
        initial=details_initial(request, start.cleaned_data["place"]),
    )
    name_differs, status = "", 400 if request.method == "POST" else 200
    if request.method == "POST" and details.is_valid():
        kind, _sep, code = start.cleaned_data["place"].partition(":")
        received, missing = details.materials()
        intake = Intake(
            item_code="",
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
        try:
            # the card or code checked now, before the case (a device may take a moment)
            intake.identification = identification_at_the_counter(
                viewer=request.user, **details.identification_given()
            )
            accepted = bundle_accept_once(actor=request.user, code=offered.code, intake=intake)
        except NameDiffers as error:
            name_differs, status = error.text(), error.status
        except DomainError as error:
            add_form_errors(details, error)
        else:
            return remember_terminal(
                redirect("cases:bundle-receipt", number=accepted.bundle_case.number), details
            )
    return render(
        request,
        "cases/new_bundle_details.html",
        {"start": start, "form": details, "offered": offered, "name_differs": name_differs},
        status=status,
    )
