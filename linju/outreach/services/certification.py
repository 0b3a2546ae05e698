"""Pension certification: the pensioner confirmed alive this year, from the roster or at home;
the year's home visits for those who cannot travel."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import cadres_serving
from linju.consent.models import ConsentPurpose, ConsentRecord
from linju.consent.services import consent_now, consent_record_within
from linju.core.errors import DomainError

from ..models import Certification, HomeTask, Pensioner
from ..selectors import due_by_birth_month
from .staff import _pensioner_of

if TYPE_CHECKING:
    from linju.accounts.models import User

CERTIFICATION_NOTICE_DAYS = 30


@transaction.atomic(durable=True)
def pensioner_certify(*, actor: User, pensioner_id: int, year: int, method: str) -> Certification:
    """From the roster: the pensioner of one of the actor's towns confirmed they are alive this year
    (it keeps their pension paid), so only those who may certify record it."""
    require(actor, "outreach.certify")
    pensioner = _pensioner_of(actor, pensioner_id)
    return _certification_record(
        actor=actor, pensioner=pensioner, year=year, method=method, on=timezone.localdate()
    )


@transaction.atomic(durable=True)
def certification_record(
    *, actor: User, pensioner: Pensioner, year: int, method: str, on: datetime.date
) -> Certification:
    """This year's certification; recording it twice keeps the first. Its own transaction (the
    roster and a home visit record it inside theirs, by `_certification_record`)."""
    return _certification_record(actor=actor, pensioner=pensioner, year=year, method=method, on=on)


# a fingerprint or a face: sensitive data, used only with the person's separate consent (PIPL art. 29)
BIOMETRIC = frozenset({Certification.Method.HOME_VISIT, Certification.Method.REMOTE})


def _biometric_consent(actor: User, pensioner: Pensioner, method: str) -> None:
    """A certification by fingerprint or face stands on the person's separate consent: asked before
    the first one and kept as a receipt (granted, by whom, how); a person who refused or withdrew it
    is certified another way (at the station with their card, or by data), never by their body."""
    answer = consent_now(resident_id=pensioner.resident_id, purpose=ConsentPurpose.BIOMETRIC_CERTIFICATION)
    if answer in (ConsentRecord.Decision.REFUSED, ConsentRecord.Decision.WITHDRAWN):
        raise DomainError(
            _(
                "The person has refused or withdrawn their consent to fingerprint or face certification: "
                "certify them at the station with their card, or by data."
            ),
            code="no_biometric_consent",
            field="method",
        )
    if answer is None:
        consent_record_within(
            actor=actor,
            resident=pensioner.resident,
            purpose=ConsentPurpose.BIOMETRIC_CERTIFICATION,
            decision=ConsentRecord.Decision.GRANTED,
            method=method,
            note="asked before the first certification by fingerprint or face",
        )


def _certification_record(  # inside the caller's transaction
    *,
    actor: User,
    pensioner: Pensioner,
    year: int,
    method: str,
    on: datetime.date,
    consent_method: str = ConsentRecord.Method.SPOKEN,
) -> Certification:
    """This year's certification; recording it twice keeps the first. Every way in (the roster, a
    home visit) passes here, and is refused to whoever may not certify."""
    require(actor, "outreach.certify")
    if method not in Certification.Method.values:
        raise DomainError(_("Choose how the pensioner was certified."), field="method")
    if method in BIOMETRIC:
        _biometric_consent(actor, pensioner, consent_method)
    certification, _created = Certification.objects.get_or_create(
        pensioner=pensioner,
        year=year,
        defaults={
            "bureau_id": pensioner.bureau_id,
            "method": method,
            "certified_on": on,
            "certified_by": actor,
        },
    )
    certification.pensioner = pensioner  # as read (with its village), for the caller
    return certification


@transaction.atomic(durable=True)
def certification_home_tasks(*, year: int, today: datetime.date | None = None) -> int:
    """For pensioners who cannot travel and are not yet certified this year, a fingerprint visit at
    home: from a month before their due date, once a year, to a cadre of their town.

    In bulk (a district has tens of thousands of such pensioners): the cadres of every town, the
    tasks already made and the pensioners are read once each, the new tasks written together; the
    unique (resident, year) key keeps a task from being made twice by two runs at once."""

    today = today or timezone.localdate()
    cadre_of: dict[int, int] = {}
    for town_id, user_id in cadres_serving().values_list("towns", "pk"):
        cadre_of.setdefault(town_id, user_id)
    already = set(HomeTask.objects.filter(certification_year=year).values_list("resident_id", flat=True))
    done = Certification.objects.filter(year=year).values("pensioner")
    tasks = []
    for resident_id, birth_date, town_id, bureau_id in (
        Pensioner.objects.filter(cannot_travel=True)
        .exclude(pk__in=done)
        .values_list("resident_id", "resident__birth_date", "resident__village__town_id", "bureau_id")
        .iterator(chunk_size=10_000)
    ):
        due_by = due_by_birth_month(birth_date, year)
        if resident_id in already or due_by - datetime.timedelta(days=CERTIFICATION_NOTICE_DAYS) > today:
            continue
        tasks.append(
            HomeTask(
                bureau_id=bureau_id,
                kind=HomeTask.Kind.CERTIFICATION,
                asked_via=HomeTask.AskedVia.ROSTER,
                resident_id=resident_id,
                certification_year=year,
                due_date=max(due_by, today),
                assigned_to_id=cadre_of.get(town_id),
            )
        )
    HomeTask.objects.bulk_create(tasks, batch_size=5_000, ignore_conflicts=True)
    return len(tasks)
