"""Spreadsheets in: residents, job seekers, vacancies and signs of life from .xlsx (openpyxl).

Each kind names its columns (the template's header, in Chinese and English), reads a row into
the arguments of the service that records one, and reports a bad row with its row number, the
column and the reason in the reader's language. Checking never writes; writing happens in one
transaction after every row passed (or, when asked, with the bad rows left out), so a broken
file changes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from linju.core.errors import DomainError, ErrorCollector, InvalidInput
from linju.core.xlsx import row_cells
from linju.geo.models import Village
from linju.jobs.selectors import employers_for_viewer
from linju.jobs.services import seeker_register, vacancy_post
from linju.jobs.vocabulary import OCCUPATION_GROUPS, SKILLS, Education, Shift
from linju.outreach.services import sign_of_life_record
from linju.people.models import Resident
from linju.people.services import registration_refusals, resident_build, residents_register_in_bulk

from .workbook_rows import (
    Column,
    RowError,
    RowErrors,
    read_rows,
)

if TYPE_CHECKING:
    from linju.accounts.models import User

BATCH = 2000
SPLIT = re.compile(r"[、,，;；/\s]+")
YES = {"是", "yes", "y", "true", "1", "√", "有"}
NO = {"否", "no", "n", "false", "0", "", "无"}


def _yes_no(text: str, label) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise DomainError(_("Write 是 or 否."), field=str(label))


def _number(text: str, *, required: bool = True, field_name: str = "") -> int | None:
    if not text.strip() and not required:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise DomainError(_("Write a whole number."), field=field_name) from None


def _codes(text: str, vocabulary: dict[str, str], field_name: str) -> list[str]:
    """Skill or shift codes from their names (技能: 电工、焊接) or the codes themselves."""
    by_name = {name: code for code, name in vocabulary.items()} | {code: code for code in vocabulary}
    words = [w for w in SPLIT.split(text.strip()) if w]
    unknown = [w for w in words if w not in by_name]
    if unknown:
        raise DomainError(_("Unknown: %(values)s."), params={"values": "、".join(unknown)}, field=field_name)
    return [by_name[w] for w in words]


def _education(text: str) -> int:
    labels = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels |= {str(label): value for value, label in Education.CHOICES}
    if text in labels:
        return labels[text]
    if text.isdigit() and int(text) in dict(Education.CHOICES):
        return int(text)
    raise DomainError(_("Choose an education level from the list."), field="education")


def _shift_names() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {code: str(label) for code, label in Shift.CHOICES}


@dataclass
class Kind:
    columns: list[Column]
    # (actor, row) -> service arguments; raises DomainError for what the row itself gets wrong
    arguments: Callable[[User, dict[str, str], dict[str, Any]], dict]
    record: Callable[..., Any]
    examples: list[list[str]] = field(default_factory=list)


SEXES = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
ID_ALIASES = ("公民身份号码", "身份证号", "身份证号码", "身份证")
RESIDENT_COLUMNS = [
    Column("name", _("Name"), True, _("As on the ID card."), "代云峰", ("name",), ("姓名",), spaces="cjk"),
    Column(
        "id_number",
        _("ID number"),
        True,
        _("18 characters, the last may be X. Keep this column as text."),
        "500222199308021510",
        ("id_number",),
        ID_ALIASES,
        spaces="none",
    ),
    Column(
        "sex",
        _("Sex"),
        False,
        _("男 or 女; may be left empty. Checked against the ID number."),
        "男",
        aliases=("性别",),
    ),
    Column(
        "phone",
        _("Mobile phone"),
        False,
        _("11 digits; may be left empty."),
        "13912345678",
        ("phone",),
        ("手机", "手机号", "手机号码", "联系电话", "电话"),
        spaces="none",
    ),
    Column(
        "town",
        _("Town"),
        False,
        _("Needed only when two towns have a village of that name."),
        "永新镇",
        aliases=("镇", "乡镇", "镇街", "乡镇(街道)"),
    ),
    Column(
        "village",
        _("Village"),
        True,
        _("The village's name or its 12-digit code."),
        "荆山村",
        ("village_code",),
        ("村", "村名", "村(社区)", "村（社区）", "村社区", "村代码"),
    ),
    Column("household", _("Household number"), False, _("May be left empty."), "", ("household_number",)),
]

SEEKER_COLUMNS = [
    Column(
        "id_number",
        _("ID number"),
        True,
        _("A resident already registered."),
        "500222199308021510",
        ("resident_id",),
        ID_ALIASES,
        spaces="none",
    ),
    Column(
        "education",
        _("Education"),
        True,
        _("For example 初中, 高中或中专."),
        "初中",
        ("education",),
        ("文化程度", "学历"),
    ),
    Column(
        "skills", _("Skills"), False, _("Names from the list, separated by 、"), "电工、焊接", ("skills",)
    ),
    Column(
        "max_commute", _("Longest commute (minutes)"), True, _("5 to 240."), "60", ("max_commute_minutes",)
    ),
    Column("shifts", _("Shifts"), True, _("白班、夜班、倒班 or 兼职, separated by 、"), "白班", ("shifts",)),
    Column("wage", _("Wanted monthly wage (yuan)"), True, _("A whole number."), "4000", ("wage_wanted",)),
    Column("heavy", _("Accepts heavy manual work"), False, _("是 or 否."), "否"),
    Column("training", _("Wants training"), False, _("是 or 否."), "是"),
    Column("experience", _("Years of experience"), False, _("A whole number."), "3"),
    Column("constraints", _("Situation"), False, _("What limits their work, in their words."), "要照顾老人"),
]

VACANCY_COLUMNS = [
    Column(
        "employer", _("Employer"), True, _("As registered in Linju."), "綦江电子厂(示例)", ("employer_id",)
    ),
    Column("title", _("Job title"), True, _("Describe the work."), "电子装配工", ("title", "requirements")),
    Column(
        "group",
        _("Occupation group"),
        True,
        _("1 to 8, after the national classification."),
        "6",
        ("occupation_group",),
    ),
    Column("skills", _("Skills"), False, _("Names from the list, separated by 、"), "电子装配", ("skills",)),
    Column("education", _("Minimum education"), True, _("For example 初中."), "初中", ("min_education",)),
    Column("wage_min", _("Monthly wage from (yuan)"), True, _("A whole number."), "4200", ("wage_min",)),
    Column("wage_max", _("Monthly wage to (yuan)"), True, _("A whole number."), "5600", ("wage_max",)),
    Column("shifts", _("Shifts"), True, _("白班、夜班、倒班 or 兼职, separated by 、"), "白班", ("shifts",)),
    Column("headcount", _("People needed"), False, _("A whole number; 1 if empty."), "3", ("headcount",)),
    Column("heavy", _("Heavy manual work"), False, _("是 or 否."), "否"),
    Column("training", _("Training offered"), False, _("是 or 否."), "是"),
    Column("min_age", _("Minimum age"), False, _("16 or more; 16 if empty."), "18", ("min_age",)),
    Column("max_age", _("Maximum age"), False, _("May be left empty."), "", ("max_age",)),
    Column(
        "requirements",
        _("Requirements"),
        False,
        _("Skills and conditions; never a sex or an ethnicity."),
        "",
        ("requirements",),
    ),
]


def _seeker_arguments(actor: User, row: dict[str, str], raw: dict[str, Any]) -> dict:
    resident = (
        Resident.objects.visible_to(actor)
        .filter(id_number=row.get("id_number", "").upper())
        .values_list("pk", flat=True)
        .first()
    )
    if resident is None:
        raise DomainError(
            _("No resident with this ID number in the towns you serve; import or register them first."),
            field="resident_id",
        )
    checks = ErrorCollector()
    arguments = {
        "actor": actor,
        "resident_id": resident,
        "education": checks.check(_education, row.get("education", "")),
        "skills": checks.check(
            _codes, row.get("skills", ""), {c: n for c, (n, _g) in SKILLS.items()}, "skills"
        )
        or [],
        "max_commute_minutes": checks.check(
            _number, row.get("max_commute", ""), field_name="max_commute_minutes"
        ),
        "shifts": checks.check(_codes, row.get("shifts", ""), _shift_names(), "shifts") or [],
        "wage_wanted": checks.check(_number, row.get("wage", ""), field_name="wage_wanted"),
        "accepts_heavy_manual": checks.check(_yes_no, row.get("heavy", ""), "heavy"),
        "wants_training": checks.check(_yes_no, row.get("training", ""), "training"),
        "experience_years": checks.check(
            _number, row.get("experience", ""), required=False, field_name="experience"
        )
        or 0,
        "constraints": row.get("constraints", ""),
    }
    checks.raise_if_any()
    return arguments


def _vacancy_arguments(actor: User, row: dict[str, str], raw: dict[str, Any]) -> dict:
    checks = ErrorCollector()
    employer = (
        employers_for_viewer(actor).filter(name=row.get("employer", "")).values_list("pk", flat=True).first()
    )
    if employer is None:
        checks.errors.append(DomainError(_("No employer of this name is registered."), field="employer_id"))
    group = row.get("group", "")
    group = next((code for code, name in OCCUPATION_GROUPS.items() if name == group), group)
    arguments = {
        "actor": actor,
        "employer_id": employer,
        "title": row.get("title", ""),
        "occupation_group": group,
        "skills": checks.check(
            _codes, row.get("skills", ""), {c: n for c, (n, _g) in SKILLS.items()}, "skills"
        )
        or [],
        "min_education": checks.check(_education, row.get("education", "")),
        "wage_min": checks.check(_number, row.get("wage_min", ""), field_name="wage_min"),
        "wage_max": checks.check(_number, row.get("wage_max", ""), field_name="wage_max"),
        "shifts": checks.check(_codes, row.get("shifts", ""), _shift_names(), "shifts") or [],
        "headcount": checks.check(_number, row.get("headcount", ""), required=False, field_name="headcount")
        or 1,
        "heavy_manual": checks.check(_yes_no, row.get("heavy", ""), "heavy"),
        "training_offered": checks.check(_yes_no, row.get("training", ""), "training"),
        "min_age": checks.check(_number, row.get("min_age", ""), required=False, field_name="min_age") or 16,
        "max_age": checks.check(_number, row.get("max_age", ""), required=False, field_name="max_age"),
        "requirements": row.get("requirements", ""),
    }
    if not row.get("title", "").strip():
        checks.errors.append(DomainError(_("Give the job a title."), field="title"))
    checks.raise_if_any()
    return arguments


SIGN_KINDS = {
    "医保报销": "medical",
    "医保": "medical",
    "银行": "bank",
    "社保卡": "card",
    "medical": "medical",
    "bank": "bank",
    "card": "card",
}
SIGN_COLUMNS = [
    Column(
        "id_number",
        _("ID number"),
        True,
        _("A resident already registered."),
        "500222193803091527",
        ("resident_id",),
        ID_ALIASES,
        spaces="none",
    ),
    Column(
        "kind",
        _("Kind of sign"),
        True,
        _(
            "医保报销, 银行 or 社保卡: a medical reimbursement, a bank account event, a social security card event."
        ),
        "医保报销",
        ("kind",),
        ("迹象类型", "类型"),
        spaces="none",
    ),
    Column(
        "date",
        _("Date"),
        True,
        _("The day of the event, as 2026-05-03; not after today."),
        "2026-05-03",
        ("date",),
        ("日期", "发生日期"),
        spaces="none",
    ),
    Column(
        "source",
        _("Source"),
        False,
        _("The system or file it comes from, up to 100 characters (医保结算系统 2026-11)."),
        "医保结算系统",
        ("source_note",),
        ("来源",),
    ),
]


def _date(text: str, field_name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        raise DomainError(_("Write the date as 2026-05-03."), field=field_name) from None


def _sign_arguments(actor: User, row: dict[str, str], raw: dict[str, Any]) -> dict:
    resident = (
        Resident.objects.visible_to(actor)
        .filter(id_number=row.get("id_number", "").upper())
        .values_list("pk", flat=True)
        .first()
    )
    checks = ErrorCollector()
    if resident is None:
        checks.errors.append(
            DomainError(
                _("No resident with this ID number in the towns you serve; import or register them first."),
                field="resident_id",
            )
        )
    kind = SIGN_KINDS.get(row.get("kind", "").strip().lower())
    if kind is None:
        checks.errors.append(
            DomainError(
                _("Choose the kind of sign: medical reimbursement, bank or social security card."),
                field="kind",
            )
        )
    day = checks.check(_date, row.get("date", ""), "date")
    checks.raise_if_any()
    return {
        "actor": actor,
        "resident_id": resident,
        "kind": kind,
        "date": day,
        "source_note": row.get("source", ""),
    }


KINDS = {
    "seekers": Kind(SEEKER_COLUMNS, _seeker_arguments, seeker_register),
    "vacancies": Kind(VACANCY_COLUMNS, _vacancy_arguments, vacancy_post),
    "signs": Kind(SIGN_COLUMNS, _sign_arguments, sign_of_life_record),
}


def columns_for(kind: str) -> list[Column]:
    return RESIDENT_COLUMNS if kind == "residents" else KINDS[kind].columns


# Errors -------------------------------------------------------------------------------------------


def _row_errors(
    number: int, error: DomainError, columns: list[Column], row: dict[str, str]
) -> list[RowError]:
    parts = error.errors if isinstance(error, InvalidInput) else [error]
    out = []
    for part in parts:
        column = next(
            (c for c in columns if part.field and (part.field in c.fields or part.field == c.key)), None
        )
        out.append(
            RowError(
                number,
                str(column.label) if column else "",
                row.get(column.key, "") if column else "",
                part.text(),
            )
        )
    return out


# Checking and writing -----------------------------------------------------------------------------


@dataclass
class Outcome:
    errors: RowErrors
    good_rows: list  # what the writer needs, per good row
    total: int


def check_generic(kind: str, actor: User, content: bytes, progress: Callable[[int], None]) -> Outcome:
    """Seekers and vacancies: each row through the very service that records one, in a transaction
    rolled back after each batch: the checks are the service's own, and nothing stays written."""
    spec = KINDS[kind]
    errors = RowErrors()
    good: list = []
    batch: list = []

    def flush() -> None:
        with transaction.atomic():
            for number, row, arguments in batch:
                try:
                    with transaction.atomic():
                        spec.record(**arguments)
                    good.append((number, row, arguments))
                except DomainError as error:
                    errors.extend(_row_errors(number, error, spec.columns, row))
            transaction.set_rollback(True)
        batch.clear()

    total = 0
    for number, row, raw in read_rows(content, spec.columns):
        total += 1
        try:
            batch.append((number, row, spec.arguments(actor, row, raw)))
        except DomainError as error:
            errors.extend(_row_errors(number, error, spec.columns, row))
        if len(batch) >= BATCH // 4:
            flush()
            progress(total)
    flush()
    progress(total)
    return Outcome(errors, good, total)


def write_generic(kind: str, good_rows: list, progress: Callable[[int], None]) -> RowErrors:
    """Write every good row in the caller's transaction; errors only the write could see (the same
    person twice in one file) are returned so the caller can roll everything back."""
    spec = KINDS[kind]
    errors = RowErrors()
    for index, (number, row, arguments) in enumerate(good_rows, start=1):
        try:
            with transaction.atomic():
                spec.record(**arguments)
        except DomainError as error:
            errors.extend(_row_errors(number, error, spec.columns, row))
        if index % 500 == 0:
            progress(index)
    return errors


def check_residents(actor: User, content: bytes, progress: Callable[[int], None]) -> Outcome:
    """Residents in bulk: the same checks as the registration form (resident_build), with the
    villages, households and already-registered ID numbers looked up once per batch, not per row."""
    villages = list(Village.objects.select_related("town").visible_to(actor))
    by_code = {v.code: v for v in villages}
    by_town_name = {(v.town.name, v.name): v for v in villages}
    by_name: dict[str, list[Village]] = {}
    for v in villages:
        by_name.setdefault(v.name, []).append(v)
    seen: dict[str, int] = {}
    errors = RowErrors()
    good: list = []
    pending: list = []
    total = 0

    def flush() -> None:
        refusals = registration_refusals([resident for _n, _r, resident in pending])
        for position, (number, row, resident) in enumerate(pending):
            if position in refusals:
                errors.append(
                    RowError(
                        number, str(RESIDENT_COLUMNS[1].label), row["id_number"], refusals[position].text()
                    )
                )
            else:
                good.append((number, row, resident))
        pending.clear()

    for number, row, raw in read_rows(content, RESIDENT_COLUMNS):
        total += 1
        if isinstance(raw.get("id_number"), (int, float)) and not isinstance(raw.get("id_number"), bool):
            errors.append(
                RowError(
                    number,
                    str(RESIDENT_COLUMNS[1].label),
                    row["id_number"],
                    str(
                        _(
                            "Excel stored this ID number as a number and kept only 15 digits. Format the column as text and type it again."
                        )
                    ),
                )
            )
            continue
        name = row.get("village", "")
        village = by_code.get(name) or by_town_name.get((row.get("town", ""), name))
        if village is None and len(by_name.get(name, [])) == 1 and not row.get("town"):
            village = by_name[name][0]
        checks = ErrorCollector()
        if village is None and len(by_name.get(name, [])) > 1 and not row.get("town"):
            checks.errors.append(
                DomainError(
                    _("Several towns have a village of this name: fill in the town."), field="village_code"
                )
            )
            village = by_name[name][0]  # only to check the other fields; the row stays bad
        resident = resident_build(
            name=row.get("name", ""),
            id_number=row.get("id_number", ""),
            phone=row.get("phone", ""),
            village=village,
            checks=checks,
        )
        sex = SEXES.get(row.get("sex", "").lower())
        if row.get("sex") and sex is None:
            checks.errors.append(DomainError(_("Write 男 or 女."), field="sex"))
        elif resident is not None and sex is not None and sex != resident.sex:
            checks.errors.append(
                DomainError(
                    _("The sex written (%(sex)s) is not the one the ID number gives: check both."),
                    params={"sex": row["sex"]},
                    field="sex",
                )
            )
        if resident is not None and resident.id_number in seen:
            checks.errors.append(
                DomainError(
                    _("This ID number is also on row %(row)d of this file."),
                    params={"row": seen[resident.id_number]},
                    field="id_number",
                )
            )
        if checks.errors:
            errors.extend(_row_errors(number, InvalidInput(checks.errors), RESIDENT_COLUMNS, row))
            continue
        seen[resident.id_number] = number
        pending.append((number, row, resident))
        if len(pending) >= BATCH:
            flush()
            progress(total)
    flush()
    progress(total)
    return Outcome(errors, good, total)


def write_residents(good_rows: list, progress: Callable[[int], None]) -> RowErrors:
    """Households first (existing ones must be in the same village), then residents in batches:
    people's bulk registration, inside the caller's transaction."""
    errors = RowErrors()
    households = [row.get("household", "") for _n, row, _r in good_rows]
    elsewhere = residents_register_in_bulk(
        residents=[resident for _n, _row, resident in good_rows],
        household_numbers=households,
        how="import",
        batch_size=BATCH,
        progress=progress,
    )
    for position in elsewhere:
        number, household_number = good_rows[position][0], households[position]
        errors.append(
            RowError(
                number,
                str(RESIDENT_COLUMNS[5].label),
                household_number,
                str(_("Household %(number)s belongs to another village.") % {"number": household_number}),
            )
        )
    return errors


# Templates and error sheets ----------------------------------------------------------------------


def template_xlsx(kind: str) -> bytes:
    """The header row, one example row, every column kept as text; a second sheet explains each."""
    columns = columns_for(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Fill in"))
    sheet.append(row_cells(sheet, [str(c.label) for c in columns]))
    sheet.append(row_cells(sheet, [c.example for c in columns]))
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B42318" if column.required else "1F2933")
        cell.fill = PatternFill("solid", fgColor="E3F4EC")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(str(column.label)) * 2 + 4)
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(str(_("How to fill in")))
    notes.append(row_cells(notes, [_("Column"), _("Required"), _("How")]))
    for column in columns:
        notes.append(
            row_cells(notes, [str(column.label), str(_("yes")) if column.required else "", str(column.help)])
        )
    notes.append([])
    notes.append(
        row_cells(notes, [_("Delete the example row before importing. Red headers must be filled in.")])
    )
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 60
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_xlsx(errors: list[dict], count: int | None = None) -> bytes:
    """The rows to correct as a sheet; when more were counted than kept, a last line says so."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Rows to correct")))
    sheet.append(row_cells(sheet, [_("Row"), _("Column"), _("What was there"), _("Why")]))
    for error in errors:  # "what was there" is the uploader's own text: written back as text, never a formula
        sheet.append(row_cells(sheet, [error["row"], error["column"], error["value"], error["message"]]))
    if count and count > len(errors):
        more = _("… and %(count)d more. Correct these and import the file again to see the rest.")
        sheet.append(row_cells(sheet, ["", "", "", str(more) % {"count": count - len(errors)}]))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
