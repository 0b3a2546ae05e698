"""Staff's page of one resident's authorisations (委托) and consent answers: record one given at the
counter (the photo of the signed form with it), a withdrawal, or an answer on a purpose."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from linju.access.capabilities import can
from linju.access.guards import needs
from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors, flash_error
from linju.core.request_context import request_context
from linju.people.services import resident_record_open

from . import selectors, services
from .forms import AuthorisationForm, ConsentForm


def _page(request, resident, *, form=None, consent_form=None, status=200):
    helpers = selectors.helpers_of_village(viewer=request.user, resident=resident)
    return render(
        request,
        "consent/resident.html",
        {
            "resident": resident,
            "authorisations": selectors.authorisations_of(viewer=request.user, resident=resident),
            "consents": selectors.consents_of(viewer=request.user, resident=resident),
            "form": form or AuthorisationForm(helpers=helpers),
            "consent_form": consent_form or ConsentForm(),
            "may_record": can(request.user, "authorisation.grant"),
        },
        status=status,
    )


@needs("person.read")
@login_required
@require_http_methods(["GET", "POST"])
def resident_authorisations(request, resident_id: int):
    """The page (a view of the person's record, audited); a POST records an authorisation."""
    resident = resident_record_open(
        viewer=request.user, resident_id=resident_id, context=request_context(request)
    )
    if request.method == "GET":
        return _page(request, resident)
    helpers = selectors.helpers_of_village(viewer=request.user, resident=resident)
    form = AuthorisationForm(request.POST, request.FILES, helpers=helpers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.authorisation_grant(
                actor=request.user,
                principal_id=resident.pk,
                given=services.AuthorisationIn(
                    agent_kind=data["agent_kind"],
                    helper_id=data["helper_id"] or None,
                    agent_name=data["agent_name"],
                    agent_id_number=data["agent_id_number"],
                    relation=data["relation"],
                    agent_phone=data["agent_phone"],
                    all_items=data["all_items"],
                    item_codes=data["item_codes"].split(),
                    valid_until=data["valid_until"],
                ),
                evidence=data["evidence"],
            )
        except DomainError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Authorisation recorded."))
            return redirect("consent:resident", resident_id=resident.pk)
    return _page(request, resident, form=form, status=400)


@needs("authorisation.withdraw")
@login_required
@require_POST
def withdraw(request, resident_id: int, authorisation_id: int):
    try:
        services.authorisation_withdraw(actor=request.user, authorisation_id=authorisation_id)
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Authorisation withdrawn."))
    return redirect("consent:resident", resident_id=resident_id)


@needs("consent.record")
@login_required
@require_POST
def consent_answer(request, resident_id: int):
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, resident_id=resident_id, **form.cleaned_data)
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Answer recorded."))
    return redirect("consent:resident", resident_id=resident_id)
