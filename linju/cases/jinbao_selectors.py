"""Reads of the 金保 hand-off: which cases wait to be typed into 金保, their entry sheets (the person's
fields coded as the 人社 standards code them: jinbao_codes.py), a town's day of sheets, and the
figures (days from intake to entry, cases waiting) by town.

A case goes to 金保 when it was taken away from the district hall — at a township station's counter,
a market-day booth, by phone or on a home visit (the field app's cases are booth and home-visit
cases) — where 金保's network does not reach. Not: the hall's own (typed there), online
applications and 免申即享 offers (they come from the bureau's own data), a partner office's part of a
bundle (the housing fund's), and a case returned (退回) at its door. Everything on a sheet is read
from what Linju holds: nothing is typed twice.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import towns_for_viewer
from linju.catalog.models import BundlePart, Channel
from linju.core.errors import DomainError, NotFound
from linju.core.periods import Period
from linju.geo.models import ServicePoint, Town
from linju.people.masking import mask_name

from . import jinbao_codes as codes
from .models import Case, JinbaoEntry

if TYPE_CHECKING:
    from linju.accounts.models import User

AWAY_CHANNELS = (Channel.COUNTER, Channel.BOOTH, Channel.PHONE, Channel.HOME_VISIT)
SHEET_RELATED = (
    "applicant__village__town",
    "item",
    "town__bureau",
    "taken_at_point",
    "taken_at_market",
    "taken_at_village",
    "taken_by",
    "jinbao_entry__entered_by",
)
DAY_MAX = 500  # sheets in one part of a town's day (a busy booth day takes some tens); more: more parts
WAITING_SHOWN = 200  # rows of one town's waiting list on a page or an answer


def for_jinbao(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of `cases` that go to 金保 (see the module's words)."""
    partner_part = BundlePart.objects.filter(
        version_id=OuterRef("bundle__version_id"), item_id=OuterRef("item_id"), partner__isnull=False
    )
    return (
        cases.filter(channel__in=AWAY_CHANNELS)
        .exclude(taken_at_point__kind=ServicePoint.Kind.DISTRICT_HALL)
        .exclude(status=Case.Status.RETURNED)
        .exclude(Q(bundle__isnull=False) & Exists(partner_part))
    )


def goes_to_jinbao(case: Case) -> bool:
    """Whether one case goes to 金保, as `for_jinbao` says (its place read; a partner's part of a
    bundle is let through here and refused by the sheet's own look-up)."""
    if case.channel not in AWAY_CHANNELS or case.status == Case.Status.RETURNED:
        return False
    point = case.taken_at_point
    return point is None or point.kind != ServicePoint.Kind.DISTRICT_HALL


def waiting(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Of `cases`, those that go to 金保 and are not entered yet."""
    return for_jinbao(cases).filter(jinbao_entry__isnull=True)


@dataclass(frozen=True)
class Coded:
    code: str
    name: str


@dataclass(frozen=True)
class Sheet:
    """One case's 金保 entry sheet: every field as 金保 asks it, coded."""

    case: Case
    number: str
    accepted_at: datetime.datetime
    channel: str  # the channel's words
    place: str  # where it was taken ("" by phone)
    taken_by: str
    item: Coded  # 事项编码 and name
    name: str
    id_type: Coded  # the 人社 code (AAC058)
    id_type_national: str  # the national 政务服务 code
    id_number: str  # whole: it is typed into 金保
    sex: Coded  # GB/T 2261.1
    birth_date: datetime.date
    ethnic_group: Coded  # GB/T 3304, or ("", 未填)
    phone: str
    county: str  # GB/T 2260, 6 digits
    town: Coded  # 12-digit division code
    village: Coded  # 12-digit division code
    received: list[str]
    missing: list[str]
    entry: JinbaoEntry | None

    def csv_row(self) -> list[str]:
        entry = self.entry
        return [
            self.number,
            self.item.code,
            self.item.name,
            f"{timezone.localtime(self.accepted_at):%Y-%m-%d %H:%M}",
            self.channel,
            self.place,
            self.name,
            self.id_type.code,
            self.id_type.name,
            self.id_number,
            self.sex.code,
            self.sex.name,
            self.birth_date.isoformat(),
            self.ethnic_group.code,
            self.ethnic_group.name,
            self.phone,
            self.county,
            self.village.code,
            f"{self.town.name}{self.village.name}",
            "、".join(self.received),
            "、".join(self.missing),
            entry.business_number if entry else "",
            str(entry.entered_by) if entry else "",  # the display name, as on the case pages
            f"{timezone.localtime(entry.entered_at):%Y-%m-%d %H:%M}" if entry else "",
        ]


CSV_HEADER = (
    _("Case number"),
    _("Item code (事项编码)"),
    _("Item"),
    _("Accepted"),
    _("Channel"),
    _("Taken at"),
    _("Name"),
    _("ID type code"),
    _("ID type"),
    _("ID number"),
    _("Sex code (GB/T 2261.1)"),
    _("Sex"),
    _("Birth date"),
    _("Ethnic group code (GB/T 3304)"),
    _("Ethnic group"),
    _("Phone"),
    _("Region code (GB/T 2260)"),
    _("Village code"),
    _("Address"),
    _("Papers received"),
    _("Papers missing"),
    _("金保 business number"),
    _("Entered by"),
    _("Entered at"),
)


def _known_ethnic_groups(cases: list[Case]) -> dict[tuple[int, int], str]:
    """For applicants whose case says no ethnic group, the one an earlier case of theirs recorded
    (the latest): asked once, never again. Only a case of the same town is read — the cases every
    viewer of this case may see (`visible_to` scopes by bureau and town) — so that no viewer learns
    what another town recorded, and the page and the paper a worker builds from the case alone say
    the same. By (applicant, town); one query, only when some case lacks it."""
    lacking = {(case.applicant_id, case.town_id) for case in cases if not case.ethnic_group}
    if not lacking:
        return {}
    known: dict[tuple[int, int], str] = {}
    rows = (
        Case.objects.filter(
            applicant_id__in={applicant for applicant, _town in lacking},
            town_id__in={town for _applicant, town in lacking},
            bureau_id__in={case.bureau_id for case in cases},
        )
        .exclude(ethnic_group="")
        .order_by("applicant_id", "town_id", "-accepted_at")
        .values_list("applicant_id", "town_id", "ethnic_group")
    )
    for applicant_id, town_id, group in rows:
        if (applicant_id, town_id) in lacking:
            known.setdefault((applicant_id, town_id), group)
    return known


def _place(case: Case) -> str:
    """The station, market or village it was taken at; "" by phone."""
    place = case.taken_at
    return place.name if place is not None else ""


def sheets_of(cases: list[Case]) -> list[Sheet]:
    """The sheets of cases read with SHEET_RELATED (and the applicants' earlier ethnic group)."""
    known = _known_ethnic_groups(cases)
    id_code, id_national, id_name = codes.ID_TYPES[codes.RESIDENT_ID]
    sheets = []
    for case in cases:
        person, village = case.applicant, case.applicant.village
        county = codes.county_code(village.code)
        ethnic = codes.ethnic_group(case.ethnic_group or known.get((case.applicant_id, case.town_id), ""))
        entry = _entry(case)
        sheets.append(
            Sheet(
                case=case,
                number=case.number,
                accepted_at=case.accepted_at,
                channel=str(case.get_channel_display()),
                place=_place(case),
                taken_by=str(case.taken_by),  # the display name, as on the receipt
                item=Coded(case.item.code, case.item.name),
                name=person.name,
                id_type=Coded(id_code, id_name),
                id_type_national=id_national,
                id_number=person.id_number,
                sex=Coded(*codes.sex_code(person.sex)),
                birth_date=person.birth_date,
                ethnic_group=Coded(*ethnic),
                phone=case.applicant_phone or person.phone,
                county=county,
                town=Coded(village.town.code, village.town.name),
                village=Coded(village.code, village.name),
                received=list(case.materials_received),
                missing=list(case.materials_missing),
                entry=entry,
            )
        )
    return sheets


def _entry(case: Case) -> JinbaoEntry | None:
    """The case's entry, read with it (select_related: no query), or None."""
    try:
        return case.jinbao_entry
    except JinbaoEntry.DoesNotExist:
        return None


def sheet_cases() -> QuerySet[Case]:
    return Case.objects.select_related(*SHEET_RELATED)


def jinbao_sheet(*, viewer: User, number: str) -> Sheet:
    """The 金保 entry sheet of one case of the viewer's towns; NotFound for a case that is not theirs
    or does not go to 金保 (the same words for both as for any case)."""
    require(viewer, "jinbao.sheet")
    case = for_jinbao(sheet_cases().visible_to(viewer)).filter(number=number).first()
    if case is None:
        raise NotFound(_("No such case waits for 金保: it was taken at the hall, online or returned."))
    return sheets_of([case])[0]


def sheet_of_number(number: str) -> Sheet | None:
    """A worker's read (a paper's job): the page that asked checked the viewer's towns."""
    case = for_jinbao(sheet_cases()).filter(number=number).first()
    return sheets_of([case])[0] if case is not None else None


@dataclass(frozen=True)
class DaySheets:
    """One part of a town's day of sheets, by case number: a day of more than DAY_MAX sheets is
    shown and printed in parts, and says which sheets of how many a part holds."""

    sheets: list[Sheet]
    total: int  # the day's sheets in all its parts
    part: int  # from 1

    @property
    def per_part(self) -> int:
        return DAY_MAX

    @property
    def parts(self) -> int:
        return max(1, -(-self.total // DAY_MAX))

    @property
    def first(self) -> int:
        return (self.part - 1) * DAY_MAX + 1 if self.sheets else 0

    @property
    def last(self) -> int:
        return (self.part - 1) * DAY_MAX + len(self.sheets)

    @property
    def numbers(self) -> range:
        return range(1, self.parts + 1)


def day_sheets_of(*, town: Town, day: datetime.date, part: int = 1) -> DaySheets:
    """Every case of the town taken on the day that goes to 金保, entered or not, by number: the
    `part`-th DAY_MAX of them, and how many in all (a worker's read too: the caller checked the town
    is the viewer's)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    cases = for_jinbao(
        sheet_cases().filter(
            town=town, accepted_at__gte=start, accepted_at__lt=start + datetime.timedelta(days=1)
        )
    )
    offset = (part - 1) * DAY_MAX
    return DaySheets(
        sheets=sheets_of(list(cases.order_by("number")[offset : offset + DAY_MAX])),
        total=cases.count(),
        part=part,
    )


def viewer_town(*, viewer: User, code: str) -> Town:
    """A town the viewer serves, by its code, or the same NotFound for any other."""
    town = towns_for_viewer(viewer).filter(code=code[:12]).first()
    if town is None:
        raise NotFound(_("No such town among the towns you serve."), field="town")
    return town


def parse_day(value: str, *, field: str = "day") -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        raise DomainError(_("Write the day as YYYY-MM-DD."), field=field) from None


PARTS_MAX = 9999


def parse_part(value: str | int | None) -> int:
    """The part of a day's sheets asked for: the first when none is said."""
    text = str(value if value is not None else "").strip()[:5]
    if not text:
        return 1
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= PARTS_MAX:
        raise DomainError(_("The part is a whole number from 1."), field="part")
    return int(text)


def jinbao_day(
    *, viewer: User, town_code: str, day: str, part: str | int | None = None
) -> tuple[Town, datetime.date, DaySheets]:
    """A town's day of sheets, for one of the viewer's towns: the part asked for (the first by
    default); a part past the day's last is refused in words that say how many there are."""
    require(viewer, "jinbao.sheet")
    town = viewer_town(viewer=viewer, code=town_code)
    parsed = parse_day(day)
    number = parse_part(part)
    found = day_sheets_of(town=town, day=parsed, part=number)
    if number > found.parts:
        raise DomainError(
            _("This day's sheets are in %(parts)d parts: choose one of them."),
            params={"parts": found.parts},
            field="part",
        )
    return town, parsed, found


@dataclass(frozen=True)
class WaitingRow:
    number: str
    item: str
    name: str  # masked
    accepted_on: datetime.date
    days: int  # calendar days since intake
    channel: str
    place: str


@dataclass
class WaitingTown:
    town: Town
    waiting: int
    oldest_days: int | None
    rows: list[WaitingRow] = field(default_factory=list)
    shown: bool = False


def waiting_by_town(pending: QuerySet[Case]) -> dict[int, tuple[int, datetime.datetime]]:
    """Town id -> how many of `pending` are of the town and when the oldest was taken: counted by
    the database, one row a town, whatever the number of cases."""
    return {
        town_id: (n, oldest)
        for town_id, n, oldest in pending.order_by()
        .values("town_id")
        .annotate(n=Count("id"), oldest=Min("accepted_at"))
        .values_list("town_id", "n", "oldest")
    }


def jinbao_waiting(
    *, viewer: User, town_code: str = "", today: datetime.date | None = None
) -> list[WaitingTown]:
    """The viewer's towns with how many of their cases wait for 金保 and the oldest's days, and for
    the town asked (or the only one) the cases themselves, oldest first (names masked). Three queries."""
    require(viewer, "jinbao.sheet")
    today = today or timezone.localdate()
    towns = list(towns_for_viewer(viewer).order_by("code"))
    if town_code and town_code not in {t.code for t in towns}:
        raise NotFound(_("No such town among the towns you serve."), field="town")
    pending = waiting(Case.objects.visible_to(viewer))
    counts = waiting_by_town(pending)
    chosen = town_code or (towns[0].code if len(towns) == 1 else "")
    result = []
    for town in towns:
        n, oldest = counts.get(town.pk, (0, None))
        row = WaitingTown(
            town=town,
            waiting=n,
            oldest_days=(today - timezone.localdate(oldest)).days if oldest else None,
            shown=town.code == chosen,
        )
        if row.shown:
            cases = (
                pending.filter(town=town)
                .select_related("applicant", "item", "taken_at_point", "taken_at_market", "taken_at_village")
                .order_by("accepted_at", "id")[:WAITING_SHOWN]
            )
            row.rows = [
                WaitingRow(
                    number=c.number,
                    item=c.item.name,
                    name=mask_name(c.applicant.name),
                    accepted_on=timezone.localdate(c.accepted_at),
                    days=(today - timezone.localdate(c.accepted_at)).days,
                    channel=str(c.get_channel_display()),
                    place=_place(c),
                )
                for c in cases
            ]
        result.append(row)
    return result


@dataclass(frozen=True)
class JinbaoTownFigures:
    town: Town
    entered: int  # entered in the period
    mean_days: float | None  # from intake to entry, calendar days, of those entered in the period
    median_days: float | None
    waiting: int  # not entered now
    oldest_days: int | None


def jinbao_figures(
    *, cases: QuerySet[Case], towns: list[Town], period: Period, today: datetime.date
) -> list[JinbaoTownFigures]:
    """By town: the cases entered into 金保 in the period and the days from intake to entry (mean and
    median, calendar days), and those still waiting now with the oldest's days. `cases`: the
    viewer's, already scoped. Two queries."""
    start, end = period.aware()
    days: dict[int, list[int]] = {}
    for town_id, accepted_at, entered_at in (
        for_jinbao(cases)
        .filter(jinbao_entry__entered_at__gte=start, jinbao_entry__entered_at__lt=end)
        .order_by()
        .values_list("town_id", "accepted_at", "jinbao_entry__entered_at")
    ):
        days.setdefault(town_id, []).append(
            (timezone.localdate(entered_at) - timezone.localdate(accepted_at)).days
        )
    pending = waiting_by_town(waiting(cases))
    rows = []
    for town in towns:
        spans = days.get(town.pk, [])
        open_, oldest = pending.get(town.pk, (0, None))
        rows.append(
            JinbaoTownFigures(
                town=town,
                entered=len(spans),
                mean_days=round(statistics.fmean(spans), 1) if spans else None,
                median_days=float(statistics.median(spans)) if spans else None,
                waiting=open_,
                oldest_days=(today - timezone.localdate(oldest)).days if oldest else None,
            )
        )
    return rows
