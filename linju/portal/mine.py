"""What a person's own page (我的) shows them, read for the records their texted code opened: their
cases and offers, the authorisations they gave and received, their consents with each answer, and
who looked at their record (the audit log: office, role and purpose, never a name)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.access.roles import CADRE
from linju.audit.models import AuditEvent
from linju.audit.selectors import audit_events_about
from linju.cases.models import Case
from linju.consent.models import Authorisation, ConsentPurpose, ConsentRecord
from linju.consent.services.my_page import MyPagePass
from linju.offers.models import Offer
from linju.people.models import Resident

# why a member of staff opened it, from what the audit event says it was (never who)
PURPOSES = {
    ("resident", AuditEvent.Action.RECORD_VIEWED): _("looked at your record to serve you"),
    ("resident", AuditEvent.Action.UNMASKED): _("read your whole ID number and phone to check them"),
    ("case", AuditEvent.Action.RECORD_VIEWED): _("opened your case to handle it"),
    ("case", AuditEvent.Action.UNMASKED): _("opened a paper of your case (a photo or the decision)"),
    ("resident_list", AuditEvent.Action.RECORD_VIEWED): _("saw your name on a work list"),
    ("resident", AuditEvent.Action.EXPORTED): _("exported a list of your village or town"),
}
LISTS = {
    "offer_sample": _("the offers to approve (免申即享)"),
    "offer_list": _("the offers to bring (免申即享)"),
    "retirement_roster": _("who retires soon"),
}


@dataclass(frozen=True)
class Look:
    """One look at the person's record: when, what, by which office and role, and why."""

    at: object
    action: str
    office: str
    role: str
    purpose: str
    event_id: int


@dataclass(frozen=True)
class Consent:
    purpose: str
    label: str
    now: str  # granted, refused, withdrawn
    resident_id: int  # the record whose latest answer it is
    history: list[ConsentRecord]


@dataclass(frozen=True)
class MyPage:
    residents: list[Resident]
    cases: list[Case]
    offers: list[Offer]
    given: list[Authorisation]
    received: list[Authorisation]
    consents: list[Consent]
    looks: list[Look]


def _office(actor) -> str:
    """The office of a member of staff as the person may know it: a cadre's towns, else the bureau."""
    if actor.role == CADRE and actor.towns.all():
        return "、".join(town.name for town in actor.towns.all())
    return actor.bureau.name if actor.bureau_id else str(_("the platform's administration"))


def _look(event: AuditEvent) -> Look:
    purpose = str(PURPOSES.get((event.object_type, event.action), event.get_action_display()))
    what = (event.detail or {}).get("what", "")
    if event.object_type == "resident_list" and what in LISTS:
        purpose = f"{purpose}: {LISTS[what]}"
    elif event.object_type == "case":
        purpose = f"{purpose} {event.object_id}"
    return Look(
        at=event.created_at,
        action=event.get_action_display(),
        office=_office(event.actor),
        role=event.actor.get_role_display() if not event.actor.is_superuser else str(_("administrator")),
        purpose=purpose,
        event_id=event.pk,
    )


def my_page_read(*, opened: MyPagePass) -> MyPage:
    """Everything the page shows, for the records the code opened (and nobody else's)."""
    ids = list(opened.resident_ids)
    residents = list(Resident.objects.filter(pk__in=ids).select_related("village__town"))
    cases = list(
        Case.objects.filter(applicant_id__in=ids)
        .select_related("item", "town")
        .order_by("-accepted_at", "-id")[:100]
    )
    offers = list(
        Offer.objects.filter(resident_id__in=ids)
        .select_related("item", "rule", "case")
        .order_by("-created_at", "-id")[:100]
    )
    authorisations = list(
        Authorisation.objects.filter(Q(principal_id__in=ids) | Q(agent_resident_id__in=ids))
        .select_related("principal")
        .prefetch_related("items")
        .order_by("-created_at", "-id")
    )
    records = list(ConsentRecord.objects.filter(resident_id__in=ids).order_by("-recorded_at", "-id"))
    # one card a record and purpose: each bureau holding the person keeps its own consent, and a
    # withdrawal is of that one (the card says whose when there are several)
    consents = []
    town_of = {r.pk: r.village.town.name for r in residents}
    for resident_id in sorted({r.resident_id for r in records}):
        for purpose, label in ConsentPurpose.choices:
            history = [r for r in records if r.purpose == purpose and r.resident_id == resident_id]
            if history:
                named = f"{label}({town_of.get(resident_id, '')})" if len(town_of) > 1 else str(label)
                consents.append(
                    Consent(
                        purpose=purpose,
                        label=named,
                        now=history[0].decision,
                        resident_id=resident_id,
                        history=history,
                    )
                )
    events = audit_events_about(
        resident_ids=ids,
        case_numbers=[case.number for case in cases],
        village_codes=sorted({r.village.code for r in residents}),
        town_codes=sorted({r.village.town.code for r in residents}),
    )
    return MyPage(
        residents=residents,
        cases=cases,
        offers=offers,
        given=[a for a in authorisations if a.principal_id in ids],
        received=[a for a in authorisations if a.agent_resident_id in ids],
        consents=consents,
        looks=[_look(event) for event in events],
    )
