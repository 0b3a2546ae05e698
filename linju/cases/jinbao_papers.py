"""The 金保 entry sheets as papers (A4): one case's, or a town's day at once, rendered to PDF by the
papers' machinery (linju/core/pdf.py) like receipts and notices: a template and a context built from
the cases alone, so the page and the huey job make the same document."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linju.core.pdf import Paper, register_paper
from linju.geo.models import Town

from .jinbao_selectors import DaySheets, Sheet, day_sheets_of, parse_day, parse_part, sheet_of_number

SHEET_KIND = "case-jinbao"
DAY_KIND = "jinbao-day"
TEMPLATE = "cases/jinbao/pdf.html"


def sheet_paper(sheet: Sheet) -> Paper:
    title = _("金保 entry sheet")
    return Paper(
        template=TEMPLATE,
        context={"sheets": [sheet], "title": title},
        folder=f"cases/{sheet.number}/jinbao",
        filename=f"jinbao-{sheet.number}.pdf",
        title=f"{title} {sheet.number}",
    )


def day_key(town: Town, day, part: int = 1) -> str:
    return f"{town.code}:{day.isoformat()}" + (f":{part}" if part > 1 else "")


def day_paper(town: Town, day, found: DaySheets) -> Paper:
    title = _("金保 entry sheets")
    several = found.parts > 1
    return Paper(
        template=TEMPLATE,
        context={"sheets": found.sheets, "found": found, "title": title, "town": town, "day": day},
        folder=f"jinbao/{town.code}/{day.isoformat()}/part-{found.part}",
        filename=f"jinbao-{town.code}-{day.isoformat()}" + (f"-part{found.part}" if several else "") + ".pdf",
        title=f"{title} {town.name} {day.isoformat()}"
        + (f" ({found.part}/{found.parts})" if several else ""),
    )


def _build_sheet(number: str) -> Paper | None:
    # a worker's read: the page that asked for the paper checked the viewer's towns
    sheet = sheet_of_number(number)
    return sheet_paper(sheet) if sheet is not None else None


def _build_day(key: str) -> Paper | None:
    code, _sep, rest = key.partition(":")
    day, _sep, part = rest.partition(":")
    town = Town.objects.select_related("bureau").filter(code=code).first()
    if town is None:
        return None
    parsed = parse_day(day)
    return day_paper(town, parsed, day_sheets_of(town=town, day=parsed, part=parse_part(part)))


def register_jinbao_papers() -> None:
    register_paper(SHEET_KIND, _build_sheet)
    register_paper(DAY_KIND, _build_day)
