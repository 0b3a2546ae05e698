"""Staff pages of the 金保 hand-off: the cases waiting per town, a case's entry sheet (page, A4 PDF,
CSV) with the step 录入金保, and a town's day of sheets. Every page or file that shows a sheet is
recorded in the audit log (services.jinbao_sheet_open / jinbao_day_open). No script is needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from linju.access.capabilities import can
from linju.access.guards import needs
from linju.core.errors import DomainError, errors_by_field
from linju.core.pdf import pdf_response
from linju.core.request_context import request_context

from . import jinbao_codes as codes
from . import jinbao_papers, services
from .jinbao_selectors import jinbao_waiting

CSV = "text/csv; charset=utf-8"


def _csv(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@needs("jinbao.sheet")
@login_required
@require_GET
def waiting(request):
    """The viewer's towns with how many cases wait for 金保, and one town's cases, oldest first
    (names masked; the page is recorded)."""
    towns = jinbao_waiting(viewer=request.user, town_code=request.GET.get("town", "")[:12])
    shown = next((t for t in towns if t.shown), None)
    if shown is not None and shown.rows:
        services.jinbao_waiting_listed(viewer=request.user, town=shown, context=request_context(request))
    return render(
        request,
        "cases/jinbao/waiting.html",
        {"towns": towns, "shown": shown, "today": timezone.localdate()},
    )


@needs("jinbao.sheet")
@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, number: str):
    """A case's 金保 entry sheet; a POST is the step 录入金保 with the business number typed back
    (refused in words with the number kept in the form, 400)."""
    typed, errors, status = "", {}, 200
    if request.method == "POST":
        typed = request.POST.get("business_number", "")[:60]
        try:
            services.case_jinbao_enter(actor=request.user, number=number, business_number=typed)
        except DomainError as error:
            if error.status == 404:
                raise
            errors, status = errors_by_field(error), error.status
        else:
            messages.success(request, _("Entered into 金保: the case has left the waiting list."))
            return redirect("cases:jinbao-sheet", number=number)
    shown = services.jinbao_sheet_open(
        viewer=request.user, number=number, what="sheet", context=request_context(request)
    )
    return render(
        request,
        "cases/jinbao/sheet.html",
        {
            "sheet": shown,
            "may_enter": can(request.user, "jinbao.enter"),
            "typed": typed,
            "errors": errors,
            # the format said once: by the error when it is the format that is wrong, else by the help
            "format_refused": any(
                str(said) == str(codes.BUSINESS_NUMBER_WORDS) for listed in errors.values() for said in listed
            ),
        },
        status=status,
    )


@needs("jinbao.sheet")
@login_required
@require_GET
def sheet_pdf(request, number: str):
    shown = services.jinbao_sheet_open(
        viewer=request.user, number=number, what="sheet_pdf", context=request_context(request)
    )
    return pdf_response(request, jinbao_papers.SHEET_KIND, shown.number, jinbao_papers.sheet_paper(shown))


@needs("jinbao.sheet")
@login_required
@require_GET
def sheet_csv(request, number: str):
    shown = services.jinbao_sheet_open(
        viewer=request.user, number=number, what="csv", context=request_context(request)
    )
    return _csv(services.sheets_csv([shown]), f"jinbao-{shown.number}.csv")


def _day(request, what: str):
    return services.jinbao_day_open(
        viewer=request.user,
        town_code=request.GET.get("town", "")[:12],
        day=request.GET.get("day", "")[:10] or timezone.localdate().isoformat(),
        part=request.GET.get("part", "")[:5],
        what=what,
        context=request_context(request),
    )


@needs("jinbao.sheet")
@login_required
@require_GET
def day(request):
    """A town's day of sheets (every case of the day that goes to 金保), to print at once; a day of
    more than DAY_MAX sheets in parts, the page saying which of how many and linking the others."""
    try:
        town, on, found = _day(request, "day")
    except DomainError as error:
        if error.status == 404:
            raise
        return render(request, "cases/jinbao/day.html", {"errors": errors_by_field(error)}, status=400)
    return render(
        request, "cases/jinbao/day.html", {"town": town, "day": on, "sheets": found.sheets, "found": found}
    )


@needs("jinbao.sheet")
@login_required
@require_GET
def day_pdf(request):
    town, on, found = _day(request, "day_pdf")
    return pdf_response(
        request,
        jinbao_papers.DAY_KIND,
        jinbao_papers.day_key(town, on, found.part),
        jinbao_papers.day_paper(town, on, found),
    )


@needs("jinbao.sheet")
@login_required
@require_GET
def day_csv(request):
    town, on, found = _day(request, "day_csv")
    part = f"-part{found.part}" if found.parts > 1 else ""
    return _csv(services.sheets_csv(found.sheets), f"jinbao-{town.code}-{on.isoformat()}{part}.csv")
