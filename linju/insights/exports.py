"""Every list page as a spreadsheet: one registry of what each list exports, one view that writes
it. A list that names residents is personal data: its export is recorded in the audit log, with
ID numbers masked as on the page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require_personal_export
from linju.audit.events import residents_exported_event
from linju.core.errors import NotFound
from linju.core.periods import parse_year
from linju.core.replica import replica_reads
from linju.core.xlsx import xlsx_bytes
from linju.jobs.selectors import referral_list, seeker_list, unfilled_demand
from linju.outreach.selectors import (
    booth_list,
    certification_roster,
    certified_how,
    home_task_list,
    visit_coverage,
)

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.core.request_context import RequestContext

MAX_ROWS = 50_000


@dataclass(frozen=True)
class ListExport:
    sheet: Promise
    header: tuple
    rows: Callable[[User, dict], Iterable[tuple]]
    personal: bool


def _day(value) -> str:
    return value.isoformat() if value else ""


def _seekers(viewer, params):
    for s in seeker_list(viewer=viewer).select_related("resident__village__town")[:MAX_ROWS]:
        r = s.resident
        yield (
            r.name,
            r.masked_id_number,
            f"{r.village.town.name}{r.village.name}",
            s.get_status_display(),
            s.max_commute_minutes,
            s.wage_wanted,
            s.constraints,
        )


def _referrals(viewer, params):
    for r in referral_list(viewer=viewer).select_related("seeker__resident", "vacancy__employer")[:MAX_ROWS]:
        yield (
            r.seeker.resident.name,
            r.seeker.resident.masked_id_number,
            str(r.vacancy),
            r.get_status_display(),
            r.reason,
            _day(r.follow_up_on),
        )


def _unfilled(viewer, params):
    for r in unfilled_demand(viewer=viewer):
        yield (str(r.vacancy), r.days_open, r.main_reason, "; ".join(r.visit_findings))


def _home_tasks(viewer, params):
    for t in home_task_list(viewer=viewer)[:MAX_ROWS]:
        r = t.resident
        yield (
            t.get_kind_display(),
            r.name,
            r.masked_id_number,
            f"{r.village.town.name}{r.village.name}",
            _day(t.due_date),
            str(t.assigned_to or ""),
            t.get_status_display(),
        )


def _coverage(viewer, params):
    states = {
        "overdue": _("overdue"),
        "never": _("never visited"),
        "due_soon": _("due soon"),
        "ok": _("up to date"),
    }
    for r in visit_coverage(viewer=viewer, town_code=params.get("town") or None):
        yield (r.village.town.name, r.village.name, _day(r.last_visit), _day(r.due), str(states[r.state]))


def _booths(viewer, params):
    for b in booth_list(viewer=viewer, month=timezone.localdate())[:MAX_ROWS]:
        yield (
            _day(b.date),
            b.market.town.name,
            b.market.name,
            "、".join(str(u) for u in b.staff.all()),
            b.get_status_display(),
        )


def _roster(viewer, params):
    # the year is checked before the sheet is begun, so a bad one is refused, not a broken file
    return _roster_rows(viewer, parse_year(params.get("year")), params.get("village") or None)


def _roster_rows(viewer, year, village_code):
    for r in certification_roster(viewer=viewer, year=year, village_code=village_code):
        resident = r.pensioner.resident
        yield (resident.name, resident.masked_id_number, _day(r.due_by), certified_how(r.certification))


EXPORTS: dict[str, ListExport] = {
    "seekers": ListExport(
        _("Job seekers"),
        (
            _("Name"),
            _("ID number"),
            _("Village"),
            _("Status"),
            _("Longest commute (minutes)"),
            _("Wanted monthly wage (yuan)"),
            _("Situation"),
        ),
        _seekers,
        True,
    ),
    "referrals": ListExport(
        _("Referrals"),
        (_("Name"), _("ID number"), _("Vacancy"), _("Status"), _("Reason"), _("follow up")),
        _referrals,
        True,
    ),
    "unfilled": ListExport(
        _("Unfilled vacancies"),
        (_("Vacancy"), _("Days open"), _("Main reason"), _("Findings of visits")),
        _unfilled,
        False,
    ),
    "home-tasks": ListExport(
        _("Home tasks"),
        (_("Kind"), _("Name"), _("ID number"), _("Village"), _("Due"), _("Assigned to"), _("Status")),
        _home_tasks,
        True,
    ),
    "coverage": ListExport(
        _("Village visits"),
        (_("Town"), _("Village"), _("Last visit"), _("Next due"), _("Status")),
        _coverage,
        False,
    ),
    "booths": ListExport(
        _("Market-day booths"), (_("Date"), _("Town"), _("Market"), _("Staff"), _("Status")), _booths, False
    ),
    "roster": ListExport(
        _("Certification roster"), (_("Name"), _("ID number"), _("Due by"), _("Certified")), _roster, True
    ),
}


def list_check(params: dict) -> None:
    """A bad year is refused when the export is asked for, not by a failed job."""
    if params.get("year"):
        parse_year(params["year"])


@replica_reads()  # read, then the audit record is written (on the primary) before the file leaves
def list_export(*, viewer: User, key: str, params: dict, context: RequestContext) -> tuple[bytes, int]:
    export = EXPORTS.get(key)
    if export is None:
        raise NotFound(_("No such list."))
    if export.personal:
        require_personal_export(viewer)
    content, count = xlsx_bytes(
        sheet=export.sheet,
        header=export.header,
        rows=(
            tuple(str(v) if isinstance(v, Promise) else v for v in row) for row in export.rows(viewer, params)
        ),
    )
    if export.personal:
        residents_exported_event(
            actor=viewer, count=count, filters={"list": key, **params}, file_format="xlsx", context=context
        )
    return content, count
