from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from linju.core.xlsx import xlsx_response

from . import reports, selectors


def _charts(board: selectors.Dashboard) -> dict:
    """What the charts draw (the tables beside them show the same numbers)."""
    return {
        "trend": {"labels": [r.label for r in board.trend], "values": [r.rate for r in board.trend]},
        "kept_by_town": {
            "labels": [r.town.name for r in board.town_rows],
            "values": [r.kept.rate for r in board.town_rows],
        },
        "by_place": {
            "labels": [label for _k, label, _n in board.by_place],
            "values": [n for *_r, n in board.by_place],
        },
        "by_channel": {
            "labels": [label for _k, label, _n in board.by_channel],
            "values": [n for *_r, n in board.by_channel],
        },
        "funnel": {
            "labels": [label for _k, label, _n in board.funnel],
            "values": [n for *_r, n in board.funnel],
        },
        "satisfaction": {
            "labels": [r.town.name for r in board.town_rows],
            "values": [r.satisfaction for r in board.town_rows],
        },
    }


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
            "links": {
                "closed": f"{cases}?closed={period.label}{town_q}",
                "late": f"{cases}?closed={period.label}&late=1{town_q}",
                "overdue": f"{cases}?list=overdue{town_q}",
                "taken": f"{cases}?taken={period.label}{town_q}",
            },
        },
    )


@login_required
@require_GET
def monthly_report(request):
    """月报 as a printable spreadsheet: figures only, no personal data."""
    period = selectors.Period.parse(request.GET.get("month", "").strip()[:7])
    content = reports.monthly_report_xlsx(viewer=request.user, period=period)
    return xlsx_response(content, f"monthly-report-{period.label}.xlsx")
