"""The 金保 hand-off's writes: the step 录入金保 (who typed the case into 金保, and the business number
金保 gave back), the audit record of every sheet shown or taken away, and the sheets as CSV."""

from __future__ import annotations

import csv
import datetime
import io
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.audit.events import jinbao_sheets_event
from linju.core.errors import Conflict, DomainError, NotFound
from linju.core.request_context import RequestContext

from .. import jinbao_codes as codes
from ..jinbao_selectors import CSV_HEADER, Sheet, for_jinbao, jinbao_day, jinbao_sheet
from ..models import Case, CaseEvent, JinbaoEntry
from .common import _event_row

if TYPE_CHECKING:
    from linju.accounts.models import User


def business_number_parse(value: str | None, *, case: Case, today: datetime.date) -> str:
    """The 金保 business number typed back (spaces and dashes allowed between its digits), checked:
    20 digits, the case's county first, then a real date from the case's intake to today, then the
    sequence. A DomainError in words that say the format."""
    text = "".join(str(value or "")[:60].replace("-", " ").split())
    match = codes.BUSINESS_NUMBER.match(text)
    if not match:
        raise DomainError(codes.BUSINESS_NUMBER_WORDS, field="business_number", code="bad_business_number")
    county, year, month, day, _sequence = match.groups()
    if county != codes.county_code(case.town.code):
        raise DomainError(
            _("This 金保 business number is not of this case's county: it begins with %(county)s."),
            params={"county": codes.county_code(case.town.code)},
            field="business_number",
            code="bad_business_number",
        )
    try:
        entered_on = datetime.date(int(year), int(month), int(day))
    except ValueError:
        entered_on = None
    accepted_on = timezone.localdate(case.accepted_at)
    if entered_on is None or not accepted_on <= entered_on <= today:
        raise DomainError(
            _(
                "Digits 7 to 14 of a 金保 business number are the day it was entered, from %(from)s to %(to)s."
            ),
            params={"from": accepted_on.strftime("%Y%m%d"), "to": today.strftime("%Y%m%d")},
            field="business_number",
            code="bad_business_number",
        )
    return text


def case_jinbao_enter(
    *, actor: User, number: str, business_number: str, now: datetime.datetime | None = None
) -> JinbaoEntry:
    """录入金保 (see `case_jinbao_enter_once`): the entry."""
    return case_jinbao_enter_once(actor=actor, number=number, business_number=business_number, now=now)[0]


@transaction.atomic(durable=True)
def case_jinbao_enter_once(
    *, actor: User, number: str, business_number: str, now: datetime.datetime | None = None
) -> tuple[JinbaoEntry, bool]:
    """录入金保: the case was typed into 金保 by `actor`, who types back the business number 金保 gave.
    It leaves the waiting list; the timeline says who and when. The same number again is the same
    entry (created False: a resend is safe); another number for an entered case, or a number another
    case of the bureau holds, is refused in words (409). The case's row is locked: two people
    entering it at once make one entry."""
    require(actor, "jinbao.enter")
    now = now or timezone.now()
    case = (
        for_jinbao(Case.objects.visible_to(actor))
        .select_related("town")
        .select_for_update(of=("self",))
        .filter(number=str(number)[:20])
        .first()
    )
    if case is None:
        raise NotFound(_("No such case waits for 金保: it was taken at the hall, online or returned."))
    typed = business_number_parse(business_number, case=case, today=timezone.localdate(now))
    existing = JinbaoEntry.objects.filter(case=case).first()
    if existing is not None:
        if existing.business_number == typed:
            return existing, False
        raise Conflict(
            _("This case was entered into 金保 already, with business number %(number)s."),
            params={"number": existing.business_number},
            code="already_entered",
        )
    try:
        with transaction.atomic():
            entry = JinbaoEntry.objects.create(
                bureau_id=case.bureau_id, case=case, business_number=typed, entered_by=actor, entered_at=now
            )
    except IntegrityError:
        raise Conflict(
            _("This 金保 business number was recorded for another case: check the digits."),
            code="business_number_taken",
            field="business_number",
        ) from None
    _event_row(
        case, CaseEvent.Action.JINBAO, actor, case.status, at=now, note=typed, business_number=typed
    ).save()
    return entry, True


def jinbao_sheet_open(*, viewer: User, number: str, what: str, context: RequestContext) -> Sheet:
    """One case's sheet, recorded in the audit log (it shows the whole ID number). Not durable: the
    audit row is one insert of its own."""
    sheet = jinbao_sheet(viewer=viewer, number=number)
    jinbao_sheets_event(
        actor=viewer, bureau_id=sheet.case.bureau_id, numbers=[sheet.number], what=what, context=context
    )
    return sheet


def jinbao_waiting_listed(*, viewer: User, town, context: RequestContext) -> None:
    """The waiting list of one town was shown (names masked): recorded, one event naming its cases.
    Not durable: one audit insert."""
    jinbao_sheets_event(
        actor=viewer,
        bureau_id=town.town.bureau_id,
        numbers=[row.number for row in town.rows],
        what="waiting",
        context=context,
    )


def jinbao_day_open(
    *,
    viewer: User,
    town_code: str,
    day: str,
    what: str,
    context: RequestContext,
    part: str | int | None = None,
):
    """A part of a town's day of sheets (the first by default), recorded in the audit log as one
    event naming its cases."""
    town, parsed, found = jinbao_day(viewer=viewer, town_code=town_code, day=day, part=part)
    jinbao_sheets_event(
        actor=viewer,
        bureau_id=town.bureau_id,
        numbers=[sheet.number for sheet in found.sheets],
        what=what,
        context=context,
    )
    return town, parsed, found


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_only(value: str) -> str:
    """A cell a spreadsheet reads as text, never as a formula (OWASP CSV injection): a value that
    begins as a formula would is led by an apostrophe."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def sheets_csv(sheets: list[Sheet]) -> bytes:
    """The sheets as CSV, one row a case: UTF-8 with a BOM (a spreadsheet opens the Chinese as it is),
    every cell quoted text, none a formula."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([text_only(str(h)) for h in CSV_HEADER])
    for sheet in sheets:
        writer.writerow([text_only(cell) for cell in sheet.csv_row()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
