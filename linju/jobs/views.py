from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import require
from linju.access.guards import needs, public
from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors, flash_error
from linju.geo.models import Town
from linju.notify.sms import can_receive_texts
from linju.people.idnumbers import normalize
from linju.people.selectors import resident_get_for_viewer, resident_list

from . import selectors, services
from .forms import SeekerForm, StepForm


@public
@require_GET
def public_vacancies(request):
    town = request.GET.get("town", "")
    return render(
        request,
        "jobs/public.html",
        {
            "vacancies": selectors.vacancy_list_public(town_code=town or None),
            "towns": Town.objects.order_by("code"),
            "town": town,
        },
    )


@needs("jobs.work")
@login_required
@require_GET
def seekers(request):
    return render(request, "jobs/seekers.html", {"seekers": selectors.seeker_list(viewer=request.user)[:200]})


def _resident_of(request, data: dict):
    """The person a seeker is registered for: the record the form was opened from (no ID number to
    type or unmask), or the ID number typed, looked up only within the viewer's villages."""
    if data.get("resident"):
        return resident_get_for_viewer(viewer=request.user, resident_id=data["resident"])
    number = normalize(data.get("id_number") or "")
    return resident_list(viewer=request.user, query=number).first() if number else None


@needs("jobs.work")
@login_required
@require_http_methods(["GET", "POST"])
def seeker_new(request):
    require(request.user, "jobs.work")  # the form itself: a leader registers nobody
    initial = {}
    resident = existing = None
    asked = request.GET.get("resident", "")
    if request.method == "GET" and asked.isdigit() and len(asked) <= 12:
        resident = resident_get_for_viewer(viewer=request.user, resident_id=int(asked))
        existing = selectors.seeker_of_resident(viewer=request.user, resident_id=resident.pk)
        initial = {"resident": resident.pk}
    form = SeekerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resident = _resident_of(request, data)
        del data["resident"], data["id_number"]
        if resident is None:
            form.add_error(
                "id_number", _("No resident with this ID number in your villages: register the person first.")
            )
        else:
            try:
                seeker = services.seeker_register(actor=request.user, resident_id=resident.pk, **data)
            except DomainError as error:
                if error.code == "seeker_exists":
                    existing = selectors.seeker_of_resident(viewer=request.user, resident_id=resident.pk)
                add_form_errors(form, error)
            else:
                return redirect("jobs:seeker", seeker_id=seeker.pk)
    elif form.is_bound and form.cleaned_data.get("resident"):
        resident = _resident_of(request, form.cleaned_data)
    return render(
        request,
        "jobs/seeker_new.html",
        {"form": form, "resident": resident, "existing": existing},
        status=400 if form.errors else 200,
    )


@needs("jobs.work")
@login_required
@require_GET
def seeker(request, seeker_id: int):
    person = selectors.seeker_get_for_viewer(viewer=request.user, seeker_id=seeker_id)
    matches = selectors.matches_for_seeker(viewer=request.user, seeker_id=seeker_id)
    return render(
        request,
        "jobs/seeker.html",
        {
            "seeker": person,
            "matches": matches,
            "near_misses": selectors.near_misses_for_seeker(
                viewer=request.user, seeker=person, shown={m.vacancy.pk for m in matches}
            ),
            "referrals": person.referrals.select_related("vacancy__employer"),
        },
    )


@needs("jobs.work")
@login_required
@require_POST
def refer(request, seeker_id: int, vacancy_id: int):
    try:
        referral = services.referral_create(actor=request.user, seeker_id=seeker_id, vacancy_id=vacancy_id)
    except DomainError as error:
        flash_error(request, error)
    else:
        if can_receive_texts(referral.seeker.resident.phone):
            messages.success(
                request,
                _("Referred. A text tells %(phone)s what the job is, where, and whom to ask.")
                % {"phone": referral.seeker.resident.masked_phone},
            )
        else:
            messages.success(
                request, _("Referred. There is no mobile number on record: tell the person yourself.")
            )
    return redirect("jobs:seeker", seeker_id=seeker_id)


@needs("jobs.work")
@login_required
@require_GET
def referrals(request):
    return render(
        request,
        "jobs/referrals.html",
        {
            "rows": [
                (referral, services.referral_next_steps(referral, request.user))
                for referral in selectors.referral_list(viewer=request.user)[:200]
            ],
            "outcomes": selectors.referral_outcomes(viewer=request.user),
        },
    )


@needs("jobs.work")
@login_required
@require_POST
def referral_step(request, referral_id: int):
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.referral_step(actor=request.user, referral_id=referral_id, **form.cleaned_data)
        except DomainError as error:
            flash_error(request, error)
    return redirect("jobs:referrals")


@needs("figures.read")
@login_required
@require_GET
def unfilled(request):
    return render(request, "jobs/unfilled.html", {"rows": selectors.unfilled_demand(viewer=request.user)})
