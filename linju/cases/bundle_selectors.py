"""Reads of bundle cases (一件事), always through the viewer's towns, and for the public status page
by number and phone: the bundle first, then its parts, each with the office that finishes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.catalog.bundles import bundle_get
from linju.catalog.selectors import item_by_id
from linju.core.errors import NotFound
from linju.people.phones import phone_ends_with

from .models import BundleCase, Case

if TYPE_CHECKING:
    from linju.accounts.models import User


def bundle_case_get_for_viewer(*, viewer: User | None, number: str) -> BundleCase:
    """A bundle case in the viewer's towns, or the same NotFound for "missing" and "not yours"."""
    bundle_case = (
        BundleCase.objects.select_related("bundle", "applicant", "town")
        .visible_to(viewer)
        .filter(number=str(number).strip()[:20])
        .first()
    )
    if bundle_case is None:
        raise NotFound(_("No such case."))
    return bundle_case


def _partners(bundle_case: BundleCase) -> dict[int, object]:
    """{item id: partner office or None} of the version the bundle case was taken under (held: no
    query while the bundle is offered; else read)."""
    day = timezone.localtime(bundle_case.accepted_at).date()
    try:
        held = bundle_get(code=bundle_case.bundle.code, on_date=day).held
    except NotFound:
        held = None
    if held is not None and held.version.pk == bundle_case.version_id:
        return {part.item_id: part.partner for part in held.parts}
    return {
        part.item_id: part.partner
        for part in bundle_case.version.parts.select_related("partner")  # a version no longer held
    }


def with_parts(bundle_case: BundleCase, *, parts: list[Case] | None = None) -> BundleCase:
    """The bundle case with `part_list`: its parts in order, each with its item, town, its dispatch
    to a partner office (or None) and `office`, the name of the office that finishes it. One query
    for the parts (their dispatches joined), none when the caller has just written them (`parts`,
    with their dispatches); items, towns and offices are held in the process."""
    # here, not at the top: services import this module's package siblings (selectors <-> services)
    from .services.common import finishing_office_name

    partners = _partners(bundle_case)
    if parts is None:
        parts = list(Case.objects.filter(bundle_id=bundle_case.pk).select_related("dispatch").order_by("id"))
    for part in parts:
        part.item, part.town = item_by_id(item_id=part.item_id), bundle_case.town
        part.bundle = bundle_case
        partner = partners.get(part.item_id)
        part.partner = partner
        part.office = partner.name if partner is not None else finishing_office_name(part)
        part.sent = getattr(part, "dispatch", None)
        if part.sent is not None and partner is not None:
            part.sent.partner = partner  # the office as held: the same row
    bundle_case.part_list = parts
    return bundle_case


def bundle_public_status(*, number: str, phone_last4: str) -> BundleCase:
    """For the public status page: the bundle case whose number and the ending of the phone given
    for it (or the agent's) match; the same NotFound for a wrong number and a wrong phone. The
    phones are encrypted: the bundle case is read by its number (unique), the endings compared here."""
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    bundle_case = (
        BundleCase.objects.select_related("bundle", "town").filter(number=number.strip()).first()
        if len(digits) == 4
        else None
    )
    if bundle_case is None or not phone_ends_with(
        digits, bundle_case.applicant_phone, bundle_case.agent_phone
    ):
        raise NotFound(_("No case matches this number and phone."), code="status_not_found")
    return with_parts(bundle_case)
