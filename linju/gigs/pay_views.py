"""Pages after the gig: the cadre's pay page, the worker's own page from the slip's link, the wage
guide (its import and the gigs below it), the workers to help (帮扶), and the directory of job
services with its quarterly workbook. Server-rendered, no script, phone-sized."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import can
from linju.access.guards import needs, public
from linju.core.errors import DomainError
from linju.core.feedback import flash_error
from linju.core.limits import rate_limited
from linju.core.periods import parse_year
from linju.core.request_context import request_context
from linju.core.xlsx import xlsx_response

from .directory import Quarter, directory, directory_xlsx
from .help_selectors import help_list, help_list_seen
from .models import Dispatch
from .pay_selectors import (
    PayDispatch,
    dispatch_for_viewer,
    dispatches_recorded,
    dispatches_to_record,
    pay_list_seen,
)
from .services.pay import (
    dispatch_by_token,
    dispatch_link_open,
    gig_days,
    id_last4,
    promised_total,
    record_done,
    record_done_by_worker,
)
from .wage_guide import MAX_FILE_BYTES, gigs_below_guide, guide_table, wage_guide_import

logger = logging.getLogger("linju.gigs")
PAID_CHOICES = Dispatch.Paid.choices


def _dispatch_id(request) -> int:
    try:
        return int(request.POST.get("dispatch", "")[:12])
    except ValueError:
        raise DomainError(_("Choose a dispatch from the list."), field="dispatch") from None


@dataclass
class PayRow:
    """A dispatch waiting for its pay, with what the cadre typed in its row and its error, if any."""

    dispatch: Dispatch
    name: str  # the worker's, masked for one of another town (`shown_name`)
    promised: Decimal | None
    paid: str = ""
    amount: str = ""
    error: str = ""


def _typed(request, dispatch_id: int) -> tuple[str, str]:
    return (
        request.POST.get(f"paid-{dispatch_id}", "")[:10],
        request.POST.get(f"amount-{dispatch_id}", "")[:20].strip(),
    )


def _row(waiting: PayDispatch, paid: str = "", amount: str = "") -> PayRow:
    return PayRow(waiting.dispatch, waiting.name, promised_total(waiting.dispatch.gig), paid, amount)


def _pay_page(request, *, rows: list[PayRow], status: int = 200, error: str = ""):
    recorded = dispatches_recorded(viewer=request.user)
    pay_list_seen(
        viewer=request.user,
        dispatches=[r.dispatch for r in rows] + [r.dispatch for r in recorded],
        context=request_context(request),
    )
    return render(
        request,
        "gigs/pay_list.html",
        {
            "waiting": rows,
            "recorded": recorded,
            "choices": PAID_CHOICES,
            "error": error,
        },
        status=status,
    )


@needs("gig.pay")
@login_required
@require_GET
def pay_list(request):
    """The gigs begun whose pay is not recorded, each with its three answers; the latest recorded."""
    waiting = dispatches_to_record(viewer=request.user)
    return _pay_page(request, rows=[_row(w) for w in waiting])


@needs("gig.pay")
@login_required
@require_POST
def pay_record(request):
    """The cadre records one row (the button beside it) done and the pay received; short or none opens
    an inspection case. A wrong answer comes back beside its row, naming the worker, and every row
    keeps what was typed in it (the page is one form)."""
    try:
        dispatch_id = _dispatch_id(request)
        dispatch = dispatch_for_viewer(viewer=request.user, dispatch_id=dispatch_id)
        paid, amount = _typed(request, dispatch_id)
        done = record_done(request.user, dispatch, paid, amount or None)
    except DomainError as error:
        waiting = dispatches_to_record(viewer=request.user)
        rows = [_row(w, *_typed(request, w.dispatch.pk)) for w in waiting]
        chosen = request.POST.get("dispatch", "")[:12]
        shown = next((r for r in rows if str(r.dispatch.pk) == chosen), None)
        if shown is None:
            return _pay_page(request, rows=rows, status=error.status, error=error.text())
        shown.error = str(_("%(name)s: %(error)s") % {"name": shown.name, "error": error.text()})
        return _pay_page(request, rows=rows, status=error.status)
    if done.case is not None:
        messages.warning(
            request,
            _("Recorded. A labour inspection request (劳动保障监察) was opened: %(number)s.")
            % {"number": done.case.number},
        )
    else:
        messages.success(request, _("Recorded: done and paid in full."))
    return redirect("gigs-pay:list")


# The worker's page, from the slip's link -----------------------------------------------------------

WORKER_TEMPLATE = "gigs/pay_worker.html"
BUSY = _("Too many look-ups from here. Please wait a minute and try again.")


def _too_many(request) -> bool:
    return rate_limited(
        request, group="gig-link", key="ip", rate=settings.STATUS_LOOKUP_RATE, fail_open=False
    )


def _worker_context(dispatch: Dispatch, typed: str) -> dict:
    return {
        "dispatch": dispatch,
        "gig": dispatch.gig,
        "days": gig_days(dispatch.gig),
        "promised": promised_total(dispatch.gig),
        "id_last4": typed,
        "choices": PAID_CHOICES,
    }


@public
@require_http_methods(["GET", "POST"])
def pay_worker(request, token: str):
    """The last four characters of the ID number first; then the gig and 'done, paid …'."""
    if dispatch_by_token(token[:80]) is None:
        return render(request, WORKER_TEMPLATE, {"gone": True}, status=404)
    context = {"token": token}
    if request.method == "GET":
        return render(request, WORKER_TEMPLATE, context)
    if _too_many(request):
        return render(request, WORKER_TEMPLATE, context | {"error": BUSY}, status=429)
    typed = request.POST.get("id_last4", "")[:20]
    try:
        dispatch = dispatch_link_open(token=token, typed_last4=typed)
    except DomainError as error:
        return render(request, WORKER_TEMPLATE, context | {"error": error.text()}, status=error.status)
    return render(request, WORKER_TEMPLATE, context | _worker_context(dispatch, id_last4(typed)))


@public
@require_POST
def pay_worker_record(request, token: str):
    """The worker's answer, recorded once; the page then says what happens next."""
    if dispatch_by_token(token[:80]) is None:
        return render(request, WORKER_TEMPLATE, {"gone": True}, status=404)
    context = {"token": token}
    if _too_many(request):
        return render(request, WORKER_TEMPLATE, context | {"error": BUSY}, status=429)
    typed = request.POST.get("id_last4", "")[:20]
    try:
        done = record_done_by_worker(
            token=token,
            typed_last4=typed,
            paid=request.POST.get("paid", "")[:10],
            amount=request.POST.get("amount", "")[:20] or None,
        )
    except DomainError as error:
        status = error.status
        if status in (400, 409):  # the page stays open with the gig: what to correct is beside it
            try:
                dispatch = dispatch_link_open(token=token, typed_last4=typed)
                context |= _worker_context(dispatch, id_last4(typed))
            except DomainError:
                pass
        return render(request, WORKER_TEMPLATE, context | {"error": error.text()}, status=status)
    logger.info("Dispatch %s recorded %s by its worker", done.dispatch.pk, done.dispatch.paid)
    return render(
        request, WORKER_TEMPLATE, context | _worker_context(done.dispatch, id_last4(typed)) | {"just": True}
    )


# The wage guide ----------------------------------------------------------------------------------


@needs("gig.wage_guide")
@login_required
@require_GET
def guide_page(request):
    """The year's guide, the gigs of the viewer's towns paying below it (the flag), and the import."""
    try:
        year = parse_year(request.GET.get("year", "")[:4])
    except DomainError as error:
        flash_error(request, error)
        year = timezone.localdate().year
    return render(
        request,
        "gigs/guide_page.html",
        {
            "year": year,
            "prices": guide_table(viewer=request.user, year=year),
            "below": gigs_below_guide(viewer=request.user),
            "may_import": can(request.user, "gig.wage_guide_import"),
            "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        },
    )


@needs("gig.wage_guide_import")
@login_required
@require_POST
def guide_import(request):
    """The bureau's spreadsheet in: every row checked, all kept or none (errors by row, in words)."""
    upload = request.FILES.get("file")
    year_text = request.POST.get("year", "")[:4]
    errors = []
    try:
        if upload is None:
            raise DomainError(_("Choose the wage guide's spreadsheet (.xlsx)."), field="file")
        if upload.size > MAX_FILE_BYTES:
            raise DomainError(
                _("A wage guide file may be at most %(size)d MB."),
                params={"size": MAX_FILE_BYTES // 1024 // 1024},
            )
        year = parse_year(year_text) if year_text else None
        result = wage_guide_import(viewer=request.user, content=upload.read(), year=year)
    except DomainError as error:
        flash_error(request, error)
        return redirect("gigs-pay:guide")
    if result.saved:
        messages.success(
            request,
            _("Wage guide kept: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect(reverse("gigs-pay:guide") + (f"?year={year}" if year else ""))
    errors = result.errors
    year = timezone.localdate().year
    return render(
        request,
        "gigs/guide_page.html",
        {
            "year": year,
            "prices": guide_table(viewer=request.user, year=year),
            "below": gigs_below_guide(viewer=request.user),
            "may_import": True,
            "max_mb": MAX_FILE_BYTES // 1024 // 1024,
            "errors": errors,
        },
        status=400,
    )


# 帮扶 ------------------------------------------------------------------------------------------------


@needs("gig.help")
@login_required
@require_GET
def help_page(request):
    """The workers to help, village by village (names shown, ID numbers masked; the page recorded)."""
    listing = help_list(viewer=request.user, village_code=request.GET.get("village", "")[:12])
    help_list_seen(viewer=request.user, listing=listing, context=request_context(request))
    return render(request, "gigs/help_list.html", {"listing": listing})


# The directory ---------------------------------------------------------------------------------------


def _quarter(request) -> Quarter:
    return Quarter.parse(request.GET.get("quarter", "")[:10])


@needs("gig.directory")
@login_required
@require_GET
def directory_page(request):
    quarter = _quarter(request)
    return render(
        request,
        "gigs/directory_list.html",
        {
            "quarter": quarter,
            "rows": directory(viewer=request.user, quarter=quarter),
            "previous": quarter.previous(),
            "following": quarter.following(),
        },
    )


@needs("gig.directory")
@login_required
@require_GET
def directory_export(request):
    """The quarter's directory as the province's workbook (no personal data: places and counts)."""
    quarter = _quarter(request)
    content, _count = directory_xlsx(viewer=request.user, quarter=quarter)
    return xlsx_response(content, f"job-services-{quarter.code}.xlsx")
