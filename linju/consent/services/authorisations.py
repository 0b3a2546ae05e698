"""Authorisations (委托): given at a counter, booth or visit, or on the spot when an agent applies;
checked when an agent's case is taken; withdrawn when the person (or the agent) says so."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.catalog.selectors import item_by_code
from linju.core.errors import Conflict, DomainError, NotFound
from linju.core.photos import photo_kind
from linju.people.idnumbers import parse_id_number
from linju.people.masking import mask_name
from linju.people.models import Resident
from linju.people.phones import normalize_phone
from linju.people.selectors import resident_get_for_viewer, resident_holding

from ..models import FAMILY_PLACES, Authorisation, VillageHelper

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_ITEMS = 50


@dataclass
class AuthorisationIn:
    """What the principal asked for: who acts, for what, from when until when."""

    agent_kind: str
    agent_name: str = ""
    agent_id_number: str = ""
    relation: str = ""
    agent_phone: str = ""
    all_items: bool = False
    item_codes: list[str] = field(default_factory=list)
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    helper_id: int | None = None  # the village's helper (代办员), from the register


def authorisation_in_force(
    *,
    principal_id: int,
    agent_id_number: str,
    item_ids: list[int],
    on: datetime.date,
    authorisation_id: int | None = None,
) -> int | None:
    """The authorisation (its id) under which the agent may act for the principal on every one of
    these items on that day, or None. One query: an intake with an agent pays no more."""
    rows = Authorisation.objects.filter(
        principal_id=principal_id,
        agent_id_number=agent_id_number,
        status=Authorisation.Status.ACTIVE,
        valid_from__lte=on,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    if authorisation_id is not None:
        rows = rows.filter(pk=authorisation_id)
    covers: dict[int, set[int] | None] = {}
    for pk, all_items, item_id in rows.values_list("pk", "all_items", "items").order_by("pk"):
        if all_items:
            covers[pk] = None
        elif covers.get(pk, set()) is not None:
            covers.setdefault(pk, set()).add(item_id)
    wanted = set(item_ids)
    return next((pk for pk, items in covers.items() if items is None or wanted <= items), None)


def not_authorised(*, agent_name: str, principal_name: str, item_names: list[str]) -> DomainError:
    """The refusal of an agent's case without an authorisation, in words."""
    return DomainError(
        _(
            "%(agent)s has no authorisation in force from %(person)s for “%(items)s”. Record the "
            "person's signed authorisation (委托书) now, or let the person apply themselves."
        ),
        params={
            "agent": mask_name(agent_name),
            "person": mask_name(principal_name),
            "items": "、".join(item_names),
        },
        code="agent_not_authorised",
        field="agent.authorise",
    )


def _clean(given: AuthorisationIn, principal: Resident, today: datetime.date) -> dict:
    """The authorisation's fields, or the first thing wrong with them, in plain words."""
    if given.agent_kind not in Authorisation.AgentKind.values:
        raise DomainError(
            _("Say who the agent is: family, the village's helper, or a cadre."), field="agent_kind"
        )
    values: dict = {"agent_kind": given.agent_kind}
    if given.agent_kind == Authorisation.AgentKind.HELPER:
        helper = (
            VillageHelper.objects.filter(
                pk=given.helper_id or 0, village_id=principal.village_id, active=True
            ).first()
            if given.helper_id
            else None
        )
        if helper is None and given.agent_id_number:
            helper = VillageHelper.objects.filter(
                village_id=principal.village_id,
                active=True,
                id_number=parse_id_number(given.agent_id_number).number,
            ).first()
        if helper is None:
            raise DomainError(
                _("The agent is not on the register of helpers (代办员) of the person's village."),
                field="helper_id",
            )
        values |= {"helper": helper, "agent_name": helper.name, "agent_id_number": helper.id_number}
        values["agent_phone"] = helper.phone
        values["relation"] = str(Authorisation.AgentKind.HELPER.label)[:40]
    else:
        name = " ".join(given.agent_name.split())
        if not name or len(name) > 40:
            raise DomainError(_("Write the agent's name (at most 40 characters)."), field="agent_name")
        try:
            number = parse_id_number(given.agent_id_number).number
        except DomainError as error:
            error.field = "agent_id_number"
            raise
        phone = ""
        if given.agent_phone.strip():
            try:
                phone = normalize_phone(given.agent_phone)
            except DomainError as error:
                error.field = "agent_phone"
                raise
        values |= {"agent_name": name, "agent_id_number": number, "agent_phone": phone}
        values["relation"] = " ".join(given.relation.split())[:40]
    if values["agent_id_number"] == principal.id_number:
        raise DomainError(_("A person does not authorise themselves."), field="agent_id_number")
    valid_from = given.valid_from or today
    if given.valid_until is not None and given.valid_until < valid_from:
        raise DomainError(_("The last day comes before the first."), field="valid_until")
    if given.valid_until is not None and given.valid_until < today:
        raise DomainError(_("The last day has passed."), field="valid_until")
    if given.valid_from is not None and abs((given.valid_from - today).days) > 366:
        raise DomainError(_("The first day is more than a year away."), field="valid_from")
    values |= {"valid_from": valid_from, "valid_until": given.valid_until, "all_items": bool(given.all_items)}
    codes = list(dict.fromkeys(code.strip() for code in given.item_codes if code.strip()))
    if not given.all_items and not codes:
        raise DomainError(_("Choose the items the agent may apply for, or all items."), field="item_codes")
    if len(codes) > MAX_ITEMS:
        raise DomainError(
            _("At most %(n)s items: choose all items instead."), params={"n": MAX_ITEMS}, field="item_codes"
        )
    items = []
    for code in [] if given.all_items else codes:
        try:
            items.append(item_by_code(code=code))
        except NotFound:
            raise NotFound(
                _("No service item with code %(code)s."), params={"code": code}, field="item_codes"
            ) from None
    values["items"] = items
    return values


def _lapse_past(
    agent_id_number: str, principal_id: int, today: datetime.date, now: datetime.datetime
) -> None:
    """Authorisations past their last day end now: they give back their relative's place and let
    the same two people make another."""
    Authorisation.objects.filter(
        Q(agent_id_number=agent_id_number) | Q(principal_id=principal_id),
        status=Authorisation.Status.ACTIVE,
        valid_until__lt=today,
    ).update(status=Authorisation.Status.LAPSED, ended_at=now, family_place=None, updated_at=now)


def authorisation_grant_within(
    *,
    actor: User,
    principal: Resident,
    given: AuthorisationIn,
    via: str,
    evidence: File | None = None,
    now: datetime.datetime | None = None,
) -> Authorisation:
    """Record an authorisation inside the caller's transaction (an intake taking one on the spot, or
    `authorisation_grant`). A family member takes one of their FAMILY_PLACES places among the
    relatives they act for, held by a unique key: two grants at once never both take the last."""
    require(actor, "authorisation.grant")
    now = now or timezone.now()
    today = timezone.localdate(now)
    values = _clean(given, principal, today)
    items = values.pop("items")
    kind = photo_kind(evidence, field="evidence") if evidence is not None else None
    _lapse_past(values["agent_id_number"], principal.pk, today, now)
    if Authorisation.objects.filter(
        principal=principal, agent_id_number=values["agent_id_number"], status=Authorisation.Status.ACTIVE
    ).exists():
        raise Conflict(
            _("This agent already holds an authorisation from this person: withdraw it to give another."),
            code="authorisation_exists",
            field="agent_id_number",
        )
    place = None
    if values["agent_kind"] == Authorisation.AgentKind.FAMILY:
        taken = set(
            Authorisation.objects.filter(
                agent_id_number=values["agent_id_number"], family_place__isnull=False
            ).values_list("family_place", flat=True)
        )
        place = next((p for p in range(1, FAMILY_PLACES + 1) if p not in taken), None)
        if place is None:
            raise DomainError(
                _("%(agent)s already acts for %(n)s relatives, as many as family service (亲情服务) allows."),
                params={"agent": mask_name(values["agent_name"]), "n": FAMILY_PLACES},
                code="family_places_full",
                field="agent_id_number",
            )
    if values["agent_kind"] == Authorisation.AgentKind.CADRE:
        values["cadre"] = actor
    authorisation = Authorisation(
        bureau_id=principal.bureau_id,
        principal=principal,
        agent_resident=resident_holding(bureau_id=principal.bureau_id, id_number=values["agent_id_number"]),
        via=via,
        taken_by=actor,
        family_place=place,
        **values,
    )
    authorisation.full_clean(
        exclude=["evidence", "principal", "agent_resident", "helper", "cadre", "taken_by"]
    )
    if evidence is not None:
        authorisation.evidence.save(f"{uuid.uuid4().hex}.{kind}", evidence, save=False)
    try:
        with transaction.atomic():
            authorisation.save()
    except IntegrityError:
        if authorisation.evidence:
            authorisation.evidence.delete(save=False)
        raise Conflict(
            _(
                "Another authorisation for this agent was being recorded at the same moment; please send it again."
            ),
            code="send_again",
        ) from None
    if items:
        authorisation.items.set(items)
    return authorisation


@transaction.atomic(durable=True)
def authorisation_grant(
    *, actor: User, principal_id: int, given: AuthorisationIn, evidence: File | None = None
) -> Authorisation:
    """The person authorises an agent, at a counter, booth or visit: one of the actor's towns'
    residents (the same 404 as any stranger otherwise)."""
    require(actor, "authorisation.grant")
    principal = resident_get_for_viewer(viewer=actor, resident_id=principal_id)
    return authorisation_grant_within(
        actor=actor, principal=principal, given=given, via=Authorisation.Via.COUNTER, evidence=evidence
    )


def _end(authorisation: Authorisation, *, via: str, by: User | None, now: datetime.datetime) -> Authorisation:
    if authorisation.status != Authorisation.Status.ACTIVE:
        raise Conflict(_("This authorisation has already ended."), code="authorisation_ended")
    authorisation.status = Authorisation.Status.WITHDRAWN
    authorisation.ended_at = now
    authorisation.family_place = None
    authorisation.withdrawn_via = via
    authorisation.withdrawn_by = by
    authorisation.save(
        update_fields=["status", "ended_at", "family_place", "withdrawn_via", "withdrawn_by", "updated_at"]
    )
    return authorisation


@transaction.atomic(durable=True)
def authorisation_withdraw(*, actor: User, authorisation_id: int) -> Authorisation:
    """The person (or the agent) says it ends: recorded by staff of the person's towns."""
    require(actor, "authorisation.withdraw")
    authorisation = (
        Authorisation.objects.visible_to(actor).select_for_update().filter(pk=authorisation_id).first()
    )
    if authorisation is None:
        raise NotFound(_("No such authorisation."))
    return _end(authorisation, via=Authorisation.Via.COUNTER, by=actor, now=timezone.now())


@transaction.atomic(durable=True)
def authorisation_withdraw_by_person(*, resident_ids: list[int], authorisation_id: int) -> Authorisation:
    """The person withdraws, on their own page, an authorisation they gave or one they received
    (the agent steps down); anyone else's is the same NotFound as a missing one."""
    authorisation = (
        Authorisation.objects.select_for_update()
        .filter(Q(principal_id__in=resident_ids) | Q(agent_resident_id__in=resident_ids), pk=authorisation_id)
        .first()
    )
    if authorisation is None:
        raise NotFound(_("No such authorisation."))
    return _end(authorisation, via=Authorisation.Via.MY_PAGE, by=None, now=timezone.now())


@transaction.atomic(durable=True)
def authorisation_evidence_add(*, actor: User, authorisation_id: int, evidence: File) -> Authorisation:
    """The photo of the signed form, sent after the authorisation (the field app sends photos after
    their case): stored once; a second photo replaces none."""
    require(actor, "authorisation.grant")
    authorisation = (
        Authorisation.objects.visible_to(actor).select_for_update().filter(pk=authorisation_id).first()
    )
    if authorisation is None:
        raise NotFound(_("No such authorisation."))
    kind = photo_kind(evidence, field="evidence")
    if authorisation.evidence:
        raise Conflict(_("This authorisation already has its photo."), code="evidence_exists")
    authorisation.evidence.save(f"{uuid.uuid4().hex}.{kind}", evidence, save=False)
    authorisation.save(update_fields=["evidence", "updated_at"])
    return authorisation
