from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import can
from linju.access.guards import needs
from linju.access.scoping import towns_for_viewer
from linju.audit.views import start_export
from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors
from linju.core.request_context import request_context

from . import selectors, services
from .forms import ResidentRegisterForm, ResidentSearchForm

PAGE_SIZE = 20


@needs("resident.look_up")
@login_required
@require_GET
def resident_search(request):
    form = ResidentSearchForm(request.GET or None)
    query = town = ""
    if form.is_valid():
        query, town = form.cleaned_data["q"], form.cleaned_data["town"]
    residents = selectors.resident_lookup(viewer=request.user, query=query, town_code=town or None)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "town": town,
        "towns": towns_for_viewer(request.user),
    }
    template = "people/partials/results.html" if request.headers.get("HX-Request") else "people/search.html"
    return render(request, template, context)


@needs("person.read")
@login_required
@require_GET
def resident_detail(request, resident_id: int):
    resident = services.resident_record_open(
        viewer=request.user, resident_id=resident_id, context=request_context(request)
    )
    return render(
        request,
        "people/detail.html",
        {"resident": resident, "unmasked": False, "may_unmask": can(request.user, "resident.unmask")},
    )


@needs("resident.unmask")
@login_required
@require_POST
def resident_unmask(request, resident_id: int):
    resident = services.resident_unmask(
        viewer=request.user, resident_id=resident_id, context=request_context(request)
    )
    return render(request, "people/detail.html", {"resident": resident, "unmasked": True, "may_unmask": True})


@needs("personal.export")
@login_required
@require_POST
def resident_export(request):
    """The search result as a spreadsheet, built by a worker (linju/audit/exports.py)."""
    return start_export(
        request, "residents", {"q": request.POST.get("q", ""), "town": request.POST.get("town", "")}
    )


@needs("resident.register")
@login_required
@require_http_methods(["GET", "POST"])
def resident_new(request):
    villages = selectors.villages_to_register_in(viewer=request.user)
    form = ResidentRegisterForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_register(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_form_errors(form, error)
        else:
            return redirect("people:detail", resident_id=resident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/new.html", {"form": form}, status=status)
