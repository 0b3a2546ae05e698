"""Reads of residents, always through the viewer's towns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import NotFound
from linju.geo.models import Village

from .idnumbers import normalize
from .models import Resident
from .phones import InvalidPhone, normalize_phone

if TYPE_CHECKING:
    from linju.accounts.models import User

LAST4_RE = re.compile(r"^\d{3}[\dX]$")
FULL_ID_RE = re.compile(r"^\d{17}[\dX]$")
PHONE_RE = re.compile(r"^[\d\-+ ]{5,}$")
INITIALS_RE = re.compile(r"^[a-z]+$")


def resident_search_filter(queryset: QuerySet[Resident], query: str) -> QuerySet[Resident]:
    """One box for everything a cadre may type: 周开明, zkm or zhoukaiming, 1234 (last four of the ID),
    a whole phone number."""
    text = query.strip()
    if not text:
        return queryset
    compact = normalize(text)
    if FULL_ID_RE.match(compact):
        return queryset.filter(id_number=compact)
    if LAST4_RE.match(compact):
        return queryset.filter(id_last4=compact)
    if PHONE_RE.match(text):
        # phones are kept encrypted and found by their whole number (its blind index): a mobile, a
        # landline with its area code, or a local number of 綦江's area (023)
        digits = re.sub(r"\D", "", text)
        for candidate in (text, f"023{digits}") if len(digits) == 8 else (text,):
            try:
                return queryset.filter(phone=normalize_phone(candidate))
            except InvalidPhone:
                continue
    lowered = text.lower().replace(" ", "")
    if INITIALS_RE.match(lowered):
        return queryset.filter(Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered))
    return queryset.filter(name__contains=text)


def resident_list(
    *,
    viewer: User | None,
    query: str = "",
    town_code: str | None = None,
    village_code: str | None = None,
) -> QuerySet[Resident]:
    queryset = Resident.objects.visible_to(viewer)
    if town_code:
        queryset = queryset.filter(village__town__code=town_code)
    if village_code:
        queryset = queryset.filter(village__code=village_code)
    queryset = resident_search_filter(queryset, query)
    return queryset.select_related("village__town").order_by("name_initials", "id")


def resident_lookup(
    *,
    viewer: User,
    query: str = "",
    town_code: str | None = None,
    village_code: str | None = None,
) -> QuerySet[Resident]:
    """Looking people up (the search page and the API): staff's work. Leaders read figures; a look-up
    by a whole ID number or phone would tell them who holds it."""
    require(viewer, "resident.look_up")
    return resident_list(viewer=viewer, query=query, town_code=town_code, village_code=village_code)


def resident_get_for_viewer(*, viewer: User | None, resident_id: int) -> Resident:
    """The resident if the viewer serves their town; the same NotFound whether missing or not theirs.
    A person's record is staff's to open; leaders read figures (refused before any look-up)."""
    require(viewer, "person.read")
    resident = (
        Resident.objects.visible_to(viewer)
        .select_related("village__town", "household")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise NotFound(_("No such resident."))
    return resident


def villages_to_register_in(*, viewer: User) -> QuerySet[Village]:
    """The villages of the viewer's towns, for the form that registers a resident: only for a role
    that registers residents (a leader is refused the form, as the registering itself)."""
    require(viewer, "resident.register")
    return Village.objects.select_related("town").order_by("code").visible_to(viewer)


def resident_holding(*, bureau_id: int, id_number: str) -> Resident | None:
    """The bureau's resident who holds a whole (normalised) ID number, for a service that already
    checked its caller may act (an authorisation naming its agent); None when nobody does."""
    return Resident.objects.filter(bureau_id=bureau_id, id_number=id_number).first()


def residents_by_phone_and_id_last4(*, phone: str, last4: str) -> list[Resident]:
    """The records, in every bureau, of whoever the bureau holds under this phone and the last four
    characters of this ID number: a person proving it is them by a code texted to that phone."""
    return list(Resident.objects.filter(phone=phone, id_last4=last4).order_by("pk")[:10])
