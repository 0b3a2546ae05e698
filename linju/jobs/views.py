from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors, flash_error
from linju.geo.models import Town
from linju.people.idnumbers import normalize
from linju.people.selectors import resident_list

from . import selectors, services
from .forms import SeekerForm, StepForm


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


@login_required
@require_GET
def seekers(request):
    return render(request, "jobs/seekers.html", {"seekers": selectors.seeker_list(viewer=request.user)[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def seeker_new(request):
    form = SeekerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = resident_list(viewer=request.user, query=normalize(data.pop("id_number"))).first()
        if resident is None:
            form.add_error(
                "id_number", _("No resident with this ID number in your villages: register the person first.")
            )
        else:
            try:
                seeker = services.seeker_register(actor=request.user, resident_id=resident.pk, **data)
            except DomainError as error:
                add_form_errors(form, error)
            else:
                return redirect("jobs:seeker", seeker_id=seeker.pk)
    return render(request, "jobs/seeker_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def seeker(request, seeker_id: int):
    person = selectors.seeker_get_for_viewer(viewer=request.user, seeker_id=seeker_id)
    return render(
        request,
        "jobs/seeker.html",
        {
            "seeker": person,
            "matches": selectors.matches_for_seeker(viewer=request.user, seeker_id=seeker_id),
            "referrals": person.referrals.select_related("vacancy__employer"),
        },
    )


@login_required
@require_POST
def refer(request, seeker_id: int, vacancy_id: int):
    try:
        services.referral_create(actor=request.user, seeker_id=seeker_id, vacancy_id=vacancy_id)
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Referred."))
    return redirect("jobs:seeker", seeker_id=seeker_id)


@login_required
@require_GET
def referrals(request):
    return render(
        request,
        "jobs/referrals.html",
        {
            "referrals": selectors.referral_list(viewer=request.user)[:200],
            "outcomes": selectors.referral_outcomes(viewer=request.user),
        },
    )


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


@login_required
@require_GET
def unfilled(request):
    return render(request, "jobs/unfilled.html", {"rows": selectors.unfilled_demand(viewer=request.user)})
