"""The monthly report (月报): business volume by town and item, promised dates kept and missed,
satisfaction; one printable sheet (A4 landscape, header repeated on every page)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from io import BytesIO
from typing import TYPE_CHECKING

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from linju.access.scoping import scope_to_viewer, towns_for_viewer
from linju.cases.models import Case, Rating
from linju.core.periods import Period
from linju.core.xlsx import row_cells

if TYPE_CHECKING:
    from linju.accounts.models import User

COLUMNS = ("received", "closed", "kept", "late", "overdue", "rated", "satisfaction")


def monthly_figures(*, viewer: User, period: Period, today: datetime.date | None = None) -> list[dict]:
    """One row per (town, item) with any activity: received in the month, closed in it (kept by the
    promised date, or late), overdue at the month's end (or today, for the month still running),
    ratings given in it and their mean (1–5)."""
    today = today or timezone.localdate()
    start, end = period.aware()
    cases = scope_to_viewer(Case.objects.all(), viewer=viewer, town_path="town")
    rows: dict = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for town, item, n in (
        cases.filter(accepted_at__gte=start, accepted_at__lt=end)
        .values_list("town_id", "item_id")
        .annotate(n=Count("pk"))
    ):
        rows[(town, item)]["received"] = n
    for town, item, promised, closed_at in cases.filter(
        status__in=Case.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).values_list("town_id", "item_id", "promised_date", "closed_at"):
        row = rows[(town, item)]
        row["closed"] += 1
        row["kept" if timezone.localtime(closed_at).date() <= promised else "late"] += 1
    if period.start <= today < period.end:  # the month still running: overdue now
        overdue = cases.filter(status__in=Case.OPEN, promised_date__lt=today)
    else:  # a past month: at its end, promised earlier and not yet closed then
        overdue = cases.filter(accepted_at__lt=end, promised_date__lt=period.end).exclude(closed_at__lt=end)
        overdue = overdue.exclude(status=Case.Status.SUSPENDED)
    for town, item, n in overdue.values_list("town_id", "item_id").annotate(n=Count("pk")):
        rows[(town, item)]["overdue"] = n
    ratings = Rating.objects.filter(case__in=cases, created_at__gte=start, created_at__lt=end)
    for town, item, n, mean in ratings.values_list("case__town_id", "case__item_id").annotate(
        n=Count("pk"), mean=Avg("level")
    ):
        rows[(town, item)]["rated"] = n
        rows[(town, item)]["satisfaction"] = round(mean, 2)
    from linju.catalog.models import ServiceItem

    towns = {t.pk: t for t in towns_for_viewer(viewer)}
    items = {i.pk: i for i in ServiceItem.objects.filter(pk__in={item for _t, item in rows})}
    out = [{"town": towns[t], "item": items[i], **values} for (t, i), values in rows.items() if t in towns]
    return sorted(out, key=lambda r: (r["town"].code, r["item"].code))


def _mean(rows: list[dict]) -> float | str:
    rated = sum(r["rated"] for r in rows)
    return round(sum(r["satisfaction"] * r["rated"] for r in rows) / rated, 2) if rated else ""


def monthly_report_xlsx(*, viewer: User, period: Period, today: datetime.date | None = None) -> bytes:
    figures = monthly_figures(viewer=viewer, period=period, today=today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = period.label
    bureau = getattr(viewer.bureau, "name", "") if viewer.bureau_id else ""
    title = _("%(bureau)s monthly report of services, %(month)s") % {"bureau": bureau, "month": period.label}
    header = [
        _("Town"),
        _("Service item"),
        _("Received"),
        _("Closed"),
        _("Closed by the promised date"),
        _("Closed late"),
        _("Overdue at month end"),
        _("Rate kept"),
        _("Ratings"),
        _("Mean rating (1–5)"),
    ]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append(row_cells(sheet, [title]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        row_cells(
            sheet,
            [
                _("Made %(when)s by Linju. Kept: closed on or before the promised date.")
                % {"when": f"{timezone.localtime():%Y-%m-%d %H:%M}"}
            ],
        )
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append(row_cells(sheet, header))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3F4EC")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def line(town: str, item: str, rows: list[dict], bold: bool = False) -> None:
        total = {
            k: sum(r[k] for r in rows) for k in ("received", "closed", "kept", "late", "overdue", "rated")
        }
        rate = f"{100 * total['kept'] / total['closed']:.1f}%" if total["closed"] else ""
        sheet.append(
            row_cells(
                sheet,
                [
                    town,
                    item,
                    total["received"],
                    total["closed"],
                    total["kept"],
                    total["late"],
                    total["overdue"],
                    rate,
                    total["rated"],
                    _mean(rows),
                ],
            )
        )
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)

    by_town: dict = defaultdict(list)
    for row in figures:
        by_town[row["town"]].append(row)
    for town, rows in by_town.items():
        for row in rows:
            line(town.name, row["item"].name, [row])
        line(town.name, _("Town total"), rows, bold=True)
    line(_("All towns"), "", figures, bold=True)
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = border
    for column, width in zip("ABCDEFGHIJ", (12, 30, 8, 8, 12, 9, 12, 9, 8, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = "C4"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
