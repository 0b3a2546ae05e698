"""The monthly report (月报): business volume by town and item, promised dates kept and missed,
satisfaction; then the rest of the month as the dashboard shows it (channels and places, towns,
villages not visited, certification, jobs and unfilled vacancies, ratings and follow-ups), a sheet
each, and a sheet of charts. Every sheet prints on A4 landscape with its header on every page and
frozen on screen; rates are numbers formatted as percentages, never text."""

from __future__ import annotations

import datetime
from collections import defaultdict
from io import BytesIO
from typing import TYPE_CHECKING

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from linju.access.scoping import towns_for_viewer
from linju.cases.models import Case, Rating
from linju.catalog.models import ServiceItem
from linju.core.periods import Period
from linju.core.replica import replica_reads
from linju.core.xlsx import row_cells

from .selectors import Rate, dashboard, kept_rates

if TYPE_CHECKING:
    from linju.accounts.models import User

COLUMNS = ("received", "closed", "kept", "late", "overdue", "rated", "satisfaction")


def monthly_figures(*, viewer: User, period: Period, today: datetime.date | None = None) -> list[dict]:
    """One row per (town, item) with any activity: received in the month, closed in it (kept by the
    promised date, or late), overdue at the month's end (or today, for the month still running),
    all three counted by the dashboard's own `kept_rates`, ratings given in it and their mean (1–5)."""
    today = today or timezone.localdate()
    start, end = period.aware()
    cases = Case.objects.visible_to(viewer)
    rows: dict = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for town, item, n in (
        cases.filter(accepted_at__gte=start, accepted_at__lt=end)
        .values_list("town_id", "item_id")
        .annotate(n=Count("pk"))
    ):
        rows[(town, item)]["received"] = n
    for (_month, town, item), rate in kept_rates(
        cases=cases, periods=[period], today=today, by=("town_id", "item_id")
    ).items():
        row = rows[(town, item)]
        row["closed"], row["kept"], row["late"], row["overdue"] = (
            rate.total,
            rate.kept,
            rate.late,
            rate.overdue,
        )
    ratings = Rating.objects.filter(case__in=cases, created_at__gte=start, created_at__lt=end)
    for town, item, n, mean in ratings.values_list("case__town_id", "case__item_id").annotate(
        n=Count("pk"), mean=Avg("level")
    ):
        rows[(town, item)]["rated"] = n
        rows[(town, item)]["satisfaction"] = round(mean, 2)
    towns = {t.pk: t for t in towns_for_viewer(viewer)}
    items = {i.pk: i for i in ServiceItem.objects.filter(pk__in={item for _t, item in rows})}
    out = [{"town": towns[t], "item": items[i], **values} for (t, i), values in rows.items() if t in towns]
    return sorted(out, key=lambda r: (r["town"].code, r["item"].code))


def _mean(rows: list[dict]) -> float | str:
    rated = sum(r["rated"] for r in rows)
    return round(sum(r["satisfaction"] * r["rated"] for r in rows) / rated, 2) if rated else ""


@replica_reads()
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
                _(
                    "Made %(when)s by Linju. Kept: closed on or before the promised date. Rate kept = kept ÷ "
                    "(closed + overdue at month end): a case overdue and still open counts as not kept."
                )
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
        rate = Rate("", total["closed"], total["kept"], overdue=total["overdue"]).share
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
        sheet.cell(row=sheet.max_row, column=8).number_format = PERCENT
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
    _print_layout(sheet, header_row=3, freeze="C4")
    board = dashboard(viewer=viewer, period=period, today=today)
    _the_rest_of_the_month(workbook, board)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PERCENT = "0.0%"


def _table(workbook, title: str, header: list, rows: list[list], widths: list[int], percent: tuple = ()):
    """A sheet of one table: bold frozen header repeated on every printed page, A4 landscape."""
    sheet = workbook.create_sheet(title[:31])
    sheet.append(row_cells(sheet, header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3F4EC")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row_cells(sheet, row))
        for column in percent:
            sheet.cell(row=sheet.max_row, column=column).number_format = PERCENT
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_layout(sheet, header_row=1, freeze="A2")
    return sheet


def _print_layout(sheet, *, header_row: int, freeze: str) -> None:
    """Every sheet of the workbook: A4 landscape, as wide as the page, its header row on every
    printed page and frozen on screen."""
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = freeze


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _the_rest_of_the_month(workbook, board) -> None:
    """The figures of the dashboard, a sheet each, and a sheet of charts."""
    taken = sum(n for _k, _l, n in board.by_channel)
    figures = board.rating_figures
    rate = PERCENT  # a figure that is a share
    summary = [
        (_("Promised dates kept"), board.kept.share, rate),
        (_("Closed"), board.kept.total, None),
        (_("Overdue now"), board.overdue_now, None),
        (
            _("Taken near home"),
            board.near_home_share / 100 if board.near_home_share is not None else None,
            rate,
        ),
        (_("Market-day booths held"), board.booths_held, None),
        (_("Questions answered on the spot at booths"), board.booth_answered, None),
        (_("Cases taken at booths"), board.booth_cases, None),
        (_("Questions answered at counters with no case"), board.counter_answered, None),
        (_("Cases taken at markets on days without a booth"), board.market_cases_without_booth, None),
        (_("Villages visited this month"), board.villages_visited, None),
        (_("Villages not visited for 60 days"), len(board.villages_unvisited), None),
        (_("Home tasks done this month"), board.home_tasks_done, None),
        (_("Home tasks open"), board.home_tasks_open, None),
        (
            _("Pensioners certified this year"),
            board.certified_rate / 100 if board.certified_rate is not None else None,
            rate,
        ),
        (_("Hires this month"), board.hires, None),
        (_("Vacancies unfilled for 30 days"), len(board.unfilled), None),
        (_("Ratings"), sum(n for _v, _l, n in board.rating_levels), None),
        (_("Follow-ups opened this month"), board.follow_ups_opened, None),
        (_("Follow-ups answered this month"), board.follow_ups_answered, None),
        (_("Named poor ratings (实名差评)"), figures.named_bad if figures else 0, None),
        (
            _("Called back (实名差评回访率, aim 100%)"),
            _share(figures.called_back, figures.named_bad) if figures else None,
            rate,
        ),
        (_("Rectified (整改率)"), _share(figures.rectified, figures.named_bad) if figures else None, rate),
    ]
    sheet = _table(
        workbook, _("Summary"), [_("Figure"), _("Value")], [[a, b] for a, b, _f in summary], [36, 14]
    )
    for index, (_label, _value, number_format) in enumerate(summary, start=2):
        if number_format:
            sheet.cell(row=index, column=2).number_format = number_format
    channels = _table(
        workbook,
        _("Channels"),
        [_("Channel"), _("Cases"), _("Share")],
        [[label, n, _share(n, taken)] for _k, label, n in board.by_channel],
        [24, 10, 10],
        percent=(3,),
    )
    _table(
        workbook,
        _("Places"),
        [_("Where taken"), _("Cases")],
        [[label, n] for _k, label, n in board.by_place],
        [24, 10],
    )
    towns = _table(
        workbook,
        _("By town"),
        [
            _("Town"),
            _("Closed"),
            _("Kept"),
            _("Overdue at month end"),
            _("Rate kept"),
            _("Overdue now"),
            _("Ratings"),
            _("Mean rating (1–5)"),
        ],
        [
            [
                r.town.name,
                r.kept.total,
                r.kept.kept,
                r.kept.overdue,
                r.kept.share,
                r.overdue,
                r.ratings,
                r.satisfaction,
            ]
            for r in board.town_rows
        ],
        [14, 8, 8, 12, 10, 10, 8, 12],
        percent=(5,),
    )
    _table(
        workbook,
        _("Overdue callbacks by town"),
        [_("Town"), _("Overdue")],
        [[name, n] for _code, name, n in board.callbacks_overdue],
        [14, 10],
    )
    _table(
        workbook,
        _("Villages not visited"),
        [_("Town"), _("Village"), _("Last visit")],
        [[r.village.town.name, r.village.name, r.last_visit or _("never")] for r in board.villages_unvisited],
        [14, 20, 12],
    )
    _table(
        workbook,
        _("Certification"),
        [_("Town"), _("Pensioners"), _("Certified this year"), _("Share")],
        [[t.name, n, c, _share(c, n)] for t, n, c in board.certification],
        [14, 12, 14, 10],
        percent=(4,),
    )
    _table(
        workbook,
        _("Jobs"),
        [_("Step"), _("Referrals")],
        [[label, n] for _k, label, n in board.funnel],
        [20, 10],
    )
    _table(
        workbook,
        _("Unfilled vacancies"),
        [_("Employer"), _("Vacancy"), _("People needed"), _("Days open"), _("What turns seekers away most")],
        [
            [u.vacancy.employer.name, u.vacancy.title, u.vacancy.headcount, u.days_open, u.main_reason]
            for u in board.unfilled
        ],
        [24, 20, 10, 10, 30],
    )
    _table(
        workbook,
        _("Ratings by level"),
        [_("Rating"), _("Ratings")],
        [[label, n] for _v, label, n in board.rating_levels],
        [28, 10],
    )
    _offers_sheet(workbook, board.offers)
    charts = workbook.create_sheet(str(_("Charts"))[:31])
    kept = BarChart()
    kept.type = "bar"
    kept.title = str(_("Promised dates kept by town"))
    kept.y_axis.number_format = "0%"
    kept.y_axis.scaling.min, kept.y_axis.scaling.max = 0, 1
    rows = max(len(board.town_rows), 1)
    kept.add_data(Reference(towns, min_col=5, min_row=1, max_row=rows + 1), titles_from_data=True)
    kept.set_categories(Reference(towns, min_col=1, min_row=2, max_row=rows + 1))
    kept.height, kept.width = max(8, rows * 0.6), 18
    charts.add_chart(kept, "A1")
    mix = PieChart()
    mix.title = str(_("Where requests came in"))
    mix.add_data(
        Reference(channels, min_col=2, min_row=1, max_row=len(board.by_channel) + 1), titles_from_data=True
    )
    mix.set_categories(Reference(channels, min_col=1, min_row=2, max_row=len(board.by_channel) + 1))
    charts.add_chart(mix, "L1")


def _offers_sheet(workbook, funnel) -> None:
    """免申即享: the dashboard's funnel by rule, town and village, then each town's and each rule's
    sums (figures as of the moment the workbook is made, not of the month only)."""

    def line(r, town: str, village: str) -> list:
        return [
            r.rule,
            town,
            village,
            r.eligible,
            r.offered,
            r.confirmed,
            r.granted,
            r.declined,
            r.help,
            r.unanswered,
            r.finished,
            r.median_days,
        ]

    rows = []
    if funnel:
        rows += [line(r, r.town, r.village) for r in funnel.villages]
        rows += [line(r, r.town, _("Town total")) for r in funnel.towns]
        rows += [line(r, _("All towns"), "") for r in funnel.rules]
    _table(
        workbook,
        _("Offers made without an application"),
        [
            _("Rule"),
            _("Town"),
            _("Village"),
            _("Eligible"),
            _("Offered"),
            _("Asked for it"),
            _("Granted on the data"),
            _("Not wanted"),
            _("Asked for a cadre"),
            _("No answer"),
            _("Cases finished"),
            _("Median working days to the case"),
        ],
        rows,
        [30, 12, 14, 9, 9, 9, 9, 9, 9, 9, 9, 12],
    )
