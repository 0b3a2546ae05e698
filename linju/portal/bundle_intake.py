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


def bundle_details(request, start: IntakeStartForm):
    """The bundle chosen in step 1: its papers and the person; on a valid POST, the bundle case."""
    offered = bundle_get(code=start.cleaned_data["item"].removeprefix(BUNDLE), on_date=timezone.localdate())
    villages = Village.objects.select_related("town").order_by("code").visible_to(request.user)
    details = IntakeDetailsForm(
        request.POST or None,
        request.FILES or None,
        villages=villages,
        materials=offered.held.materials,
        initial={"idempotency_key": uuid.uuid4().hex, "texts_to_applicant": True},
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
        )
        try:
            accepted = bundle_accept_once(actor=request.user, code=offered.code, intake=intake)
        except NameDiffers as error:
            name_differs, status = error.text(), error.status
        except DomainError as error:
            add_form_errors(details, error)
        else:
            return redirect("cases:bundle-receipt", number=accepted.bundle_case.number)
    return render(
        request,
        "cases/new_bundle_details.html",
        {"start": start, "form": details, "offered": offered, "name_differs": name_differs},
        status=status,
    )
