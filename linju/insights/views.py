from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.guards import needs
from linju.audit.views import start_export
from linju.core.enqueue import enqueue
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors
from linju.core.xlsx import xlsx_response

from . import imports as imports_module
from . import reports, selectors, services, tasks
from .forms import ImportForm
from .models import ImportJob


def _rates(rates: list[selectors.Rate]) -> dict:
    """A rate chart's series: each rate with its numerator and denominator (and what makes up the
    denominator, for the tooltip); a row with nothing due is drawn as "no cases"."""
    return {
        "labels": [r.label for r in rates],
        "values": [r.rate for r in rates],
        "kept": [r.kept for r in rates],
        "due": [r.due for r in rates],
        "closed": [r.total for r in rates],
        "overdue": [r.overdue for r in rates],
        "unit": "%",
        "none": str(_("no cases")),
        "tip": str(_("{label}: {kept} of {due} on time ({closed} closed, {overdue} overdue and still open)")),
    }


def _counts(rows: list[tuple]) -> dict:
    """A count chart's series: (key, label, count) rows, or (key, label, count, share in per cent)."""
    series = {"labels": [row[1] for row in rows], "values": [row[2] for row in rows]}
    if rows and len(rows[0]) > 3:
        series["shares"] = [row[3] for row in rows]
    return series


def _charts(board: selectors.Dashboard) -> dict:
    """What the charts draw (the tables beside them show the same numbers)."""
    return {
        "trend": _rates(board.trend),
        "kept_by_town": _rates([r.kept for r in board.town_rows]),
        "by_place": _counts(board.by_place),
        "by_channel": _counts(board.channel_shares),
        "funnel": _counts(board.funnel),
        "satisfaction": {
            "labels": [r.town.name for r in board.town_rows],
            "values": [r.satisfaction for r in board.town_rows],
            "count": [r.ratings for r in board.town_rows],
            "max": 5,
            "none": str(_("no ratings")),
            "tip": str(_("{label}: {value} of 5, from {count} ratings")),
        },
    }


@needs("figures.read")
@login_required
@require_GET
def dashboard(request):
    """Leaders' and staff's view of where service falls short, scoped to the towns they serve."""
    period = selectors.Period.parse(request.GET.get("month", "").strip()[:7])
    town_code = request.GET.get("town", "").strip()[:20] or None
    board = selectors.dashboard(viewer=request.user, period=period, town_code=town_code)
    cases = reverse("cases:list")
    town_q = f"&town={board.town.code}" if board.town else ""
    return render(
        request,
        "insights/dashboard.html",
        {
            "board": board,
            "charts": _charts(board),
            "month": period.label,
            "this_month": f"{timezone.localdate():%Y-%m}",
            "running": period.start <= timezone.localdate() < period.end,
            "links": {
                "closed": f"{cases}?closed={period.label}{town_q}",
                "late": f"{cases}?closed={period.label}&late=1{town_q}",
                "overdue": f"{cases}?list=overdue{town_q}",
                "taken": f"{cases}?taken={period.label}{town_q}",
            },
        },
    )


@needs("figures.read")
@login_required
@require_GET
def monthly_report(request):
    """月报 as a printable spreadsheet: figures only, no personal data."""
    period = selectors.Period.parse(request.GET.get("month", "").strip()[:7])
    content = reports.monthly_report_xlsx(viewer=request.user, period=period)
    return xlsx_response(content, f"monthly-report-{period.label}.xlsx")


def _sweep() -> None:
    """Before an import's page is shown: one queued and never taken shows as stopped, one whose
    worker died while running it is sent to a worker again (once)."""
    services.import_jobs_fail_silent()
    tasks.retake_stalled()


@needs("import.run")
@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    """Upload a spreadsheet; the job checks and saves it in the background."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(services.MAX_BYTES + 1),
                partial=form.cleaned_data["partial"],
            )
        except DomainError as error:
            add_form_errors(form, error)
        else:
            enqueue(tasks.run_import, job.pk, record=False)  # refused: the sweep queues it
            return redirect("insights:import", job_id=job.pk)
    _sweep()
    jobs = selectors.import_jobs(viewer=request.user).defer("errors")[:20]
    return render(
        request,
        "insights/imports.html",
        {"form": form, "jobs": jobs, "kinds": ImportJob.Kind.choices},
        status=400 if form.errors else 200,
    )


@needs("import.run")
@login_required
@require_GET
def import_detail(request, job_id: int):
    _sweep()
    job = selectors.import_job_get(viewer=request.user, job_id=job_id)
    return render(request, "insights/import_detail.html", {"job": job, "errors": job.errors[:200]})


@needs("import.run")
@login_required
@require_GET
def import_errors(request, job_id: int):
    job = selectors.import_job_get(viewer=request.user, job_id=job_id)
    return xlsx_response(
        imports_module.errors_xlsx(job.errors, job.error_count), f"import-{job.pk}-errors.xlsx"
    )


@needs("import.run")
@login_required
@require_GET
def import_template(request, kind: str):
    if kind not in ImportJob.Kind.values:
        raise NotFound(_("No such template."))
    return xlsx_response(imports_module.template_xlsx(kind), f"linju-{kind}-template.xlsx")


@needs("figures.read")
@login_required
@require_POST
def list_export(request, key: str):
    """Any list page as a spreadsheet, built by a worker (POST: exporting personal data is recorded)."""
    params = {k: request.POST.get(k, "") for k in ("town", "village", "year")}
    return start_export(request, f"list-{key}", params)
