"""An agent (代办人) applies for a person only under the person's authorisation (委托): the one in
force for the case's items, or one the person gives on the spot; and the person is told."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import ServiceItem
from linju.consent.services import (
    AuthorisationIn,
    authorisation_grant_within,
    authorisation_in_force,
    not_authorised,
)
from linju.core.errors import DomainError
from linju.notify.sms import send_sms
from linju.people.masking import mask_name
from linju.people.models import Resident

from ..models import Case

if TYPE_CHECKING:
    from linju.accounts.models import User

    from .intake import Agent, AuthoriseNow


FAMILY_RELATIONS = frozenset({"child", "spouse", "parent", "sibling", "relative"})


def agent_authorisation(
    actor: User,
    given: Agent,
    agent: dict,
    applicant: Resident,
    items: list[ServiceItem],
    now: datetime.datetime,
) -> None:
    """The authorisation the agent acts under, set on the case's fields (`agent`): the one in force
    for every item (one query), or the one the person gives now; without either, the case is refused
    in words. Nothing is read when the person applies themselves."""
    found = authorisation_in_force(
        principal_id=applicant.pk,
        agent_id_number=agent["agent_id_number"],
        item_ids=[item.pk for item in items],
        on=now.date(),
        authorisation_id=given.authorisation_id,
    )
    if found is None and given.authorise is None:
        raise not_authorised(
            agent_name=agent["agent_name"], principal_name=applicant.name, item_names=[i.name for i in items]
        )
    if found is None:
        try:
            authorisation = _grant_on_the_spot(actor, given.authorise, agent, applicant, items, now)
        except DomainError as error:  # named as the intake's fields are
            error.field = SPOT_FIELDS.get(error.field or "", "agent.authorise")
            raise
        found = authorisation.pk
    agent["authorisation_id"] = found


SPOT_FIELDS = {
    "evidence": "agent.authorise_photo",
    "valid_until": "agent.authorise_until",
    "helper_id": "agent.relation",
}


def _grant_on_the_spot(
    actor: User, spot: AuthoriseNow, agent: dict, applicant: Resident, items: list[ServiceItem], now
):
    """The person's authorisation given with the case: the agent's kind from their relation (a
    village helper, or family) unless said."""
    kind = spot.kind or (
        "helper"
        if agent["agent_relation"] == "helper"
        else "family"
        if agent["agent_relation"] in FAMILY_RELATIONS
        else ""
    )
    return authorisation_grant_within(
        actor=actor,
        principal=applicant,
        given=AuthorisationIn(
            agent_kind=kind,
            agent_name=agent["agent_name"],
            agent_id_number=agent["agent_id_number"],
            relation=str(Case.Relation(agent["agent_relation"]).label),
            agent_phone=agent["agent_phone"],
            all_items=spot.all_items,
            item_codes=[] if spot.all_items else [item.code for item in items],
            valid_until=spot.until,
            helper_id=spot.helper_id,
        ),
        via="intake",
        evidence=spot.evidence,
        now=now,
    )


def tell_the_principal(case: Case, phone: str, item_name: str) -> None:
    """An agent applied for the person: the person is told, on the phone the bureau holds for them,
    whatever texts the case itself sends (queued for after the commit)."""
    if not phone:
        return
    values = {"number": case.number, "item": item_name, "agent": mask_name(case.agent_name)}
    bureau_id, reference = case.bureau_id, f"{case.number}@agent"

    def send() -> None:
        with translation.override("zh-hans"):
            text = str(AGENT_FILED_TEXT) % values
        send_sms(
            bureau_id=bureau_id,
            phone=phone,
            text=text,
            purpose="agent_filed",
            reference=reference,
            params=values,
        )

    transaction.on_commit(send, robust=True)


AGENT_FILED_TEXT = _(
    "[Qijiang HRSS] %(agent)s applied for you for “%(item)s”, number %(number)s, under your "
    "authorisation. If you did not ask them to, call your station or withdraw it on your own page."
)
