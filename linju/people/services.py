"""Writes about residents: registration, opening a full record, unmasking, export. Each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from linju.audit.events import (
    resident_record_viewed_event,
    resident_unmasked_event,
    residents_exported_event,
)
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound, PermissionDenied
from linju.core.request_context import RequestContext
from linju.core.scoping import require_personal_export, scope_to_viewer, viewer_may_unmask
from linju.core.text import has_hidden_characters
from linju.core.xlsx import xlsx_bytes
from linju.geo.models import Village

from .idnumbers import parse_id_number
from .models import Household, Resident
from .names import name_initials, name_pinyin
from .phones import normalize_phone
from .selectors import resident_get_for_viewer, resident_list

if TYPE_CHECKING:
    from linju.accounts.models import User

EXPORT_MAX_ROWS = 50_000


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DomainError(_("Enter the resident's name."), field="name", code="name_required")
    if len(cleaned) > 40:
        raise DomainError(_("A name has at most 40 characters."), field="name", code="name_too_long")
    if has_hidden_characters(cleaned):  # a spreadsheet's cell can hold them too
        raise DomainError(
            _("The text holds hidden control characters. Type it again without them."), field="name"
        )
    return cleaned


def resident_build(
    *,
    name: str,
    id_number: str,
    phone: str = "",
    village: Village | None,
    checks: ErrorCollector | None = None,
) -> Resident | None:
    """An unsaved resident from what a form or a spreadsheet row gives; every bad field is kept in
    `checks` (or raised together when no collector is passed). The village is already resolved."""
    own = checks is None
    checks = checks or ErrorCollector()
    cleaned_name = checks.check(_clean_name, name)
    parsed = checks.check(parse_id_number, id_number)
    cleaned_phone = checks.check(normalize_phone, phone) if phone.strip() else ""
    if village is None:
        checks.errors.append(NotFound(_("No such village among the towns you serve."), field="village_code"))
    if own:
        checks.raise_if_any()
    if checks.errors:
        return None
    return Resident(
        name=cleaned_name,
        name_initials=name_initials(cleaned_name),
        name_pinyin=name_pinyin(cleaned_name),
        id_number=parsed.number,
        id_last4=parsed.last4,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        phone=cleaned_phone,
        village=village,
    )


def resident_register(
    *,
    actor: User,
    name: str,
    id_number: str,
    phone: str = "",
    village_code: str,
    household_number: str = "",
) -> Resident:
    """Record a resident. The village must be in one of the actor's towns. Every bad field is reported."""
    village = (
        scope_to_viewer(Village.objects.select_related("town"), viewer=actor, town_path="town")
        .filter(code=village_code)
        .first()
    )
    resident = resident_build(name=name, id_number=id_number, phone=phone, village=village)
    with transaction.atomic():
        if household_number:
            household, _created = Household.objects.get_or_create(
                number=household_number, defaults={"village": village}
            )
            if household.village_id != village.pk:
                raise DomainError(
                    _("Household %(number)s belongs to another village."),
                    params={"number": household_number},
                    field="household_number",
                )
            resident.household = household
        try:
            with transaction.atomic():
                resident.save()
        except IntegrityError:
            raise Conflict(
                _("A resident with this ID number is already registered."), field="id_number"
            ) from None
    return resident


def resident_record_open(*, viewer: User, resident_id: int, context: RequestContext) -> Resident:
    """Open a resident's full record (masked numbers) and record that it was viewed."""
    resident = resident_get_for_viewer(viewer=viewer, resident_id=resident_id)
    resident_record_viewed_event(actor=viewer, resident=resident, context=context)
    return resident


def resident_unmask(*, viewer: User, resident_id: int, context: RequestContext) -> Resident:
    """Show the whole ID number and phone to a viewer allowed to see them; record it."""
    resident = resident_get_for_viewer(viewer=viewer, resident_id=resident_id)
    if not viewer_may_unmask(viewer):
        raise PermissionDenied(_("Your role may not see whole ID numbers and phone numbers."))
    fields = ["id_number"] + (["phone"] if resident.phone else [])
    resident_unmasked_event(actor=viewer, resident=resident, fields=fields, context=context)
    return resident


def residents_export_xlsx(
    *,
    viewer: User,
    query: str = "",
    town_code: str | None = None,
    village_code: str | None = None,
    context: RequestContext,
) -> tuple[bytes, int]:
    """The search result as an Excel sheet with masked numbers; the export is recorded."""
    require_personal_export(viewer)
    residents = resident_list(viewer=viewer, query=query, town_code=town_code, village_code=village_code)
    content, count = xlsx_bytes(
        sheet=_("Residents"),
        header=(_("Name"), _("ID number"), _("Sex"), _("Birth date"), _("Phone"), _("Town"), _("Village")),
        rows=(
            (
                r.name,
                r.masked_id_number,
                str(r.get_sex_display()),
                r.birth_date.isoformat(),
                r.masked_phone,
                r.village.town.name,
                r.village.name,
            )
            for r in residents[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        ),
    )
    residents_exported_event(
        actor=viewer,
        count=count,
        filters={"q": query, "town": town_code or "", "village": village_code or ""},
        file_format="xlsx",
        context=context,
    )
    return content, count
