"""Pension certification by data (免申即享): a pensioner with a sign of life in the period counts as
certified for the year without doing anything; only the rest are left to the roster and home visits.

The rule, as the roster says it: at least one sign of life dated inside the period (the year, 1
January to 31 December, unless a shorter period is given). A sign is an imported fact (a medical
reimbursement, a bank or social-security-card event) or a meeting recorded in Linju itself with the
person there: a home task done at their house, a question they asked at a market-day booth, a need
they raised on a village visit. Linju's own records are read where they are, not copied.

One run certifies every pensioner of the actor's towns (the nightly job: of every bureau) not yet
certified for the year and with a sign; the certification names the sign it rests on (kind, day,
source, synthetic or not) and the run (who started it, when). Run twice, the second finds nothing
left to do; a pensioner already certified in person keeps that certification. Their open home
visits for the year are cancelled: nobody goes to a house for a fingerprint the data already gave.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.consent.models import ConsentPurpose, ConsentRecord
from linju.core.errors import DomainError

from ..models import Certification, CertificationRun, Consultation, HomeTask, Pensioner, SignOfLife, VisitNeed

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_PERIOD_DAYS = 366
RECORD_LANGUAGE = "zh-hans"  # the words stored on a certification about Linju's own records


@dataclass(frozen=True, order=True)
class Sign:
    """One sign of life, as a run reads it. Ordered so that the latest wins, and on one day a meeting
    in person comes before an imported fact."""

    date: datetime.date
    in_person: bool
    kind: str
    source: str
    is_synthetic: bool


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _period(year: int, start: datetime.date | None, end: datetime.date | None):
    first, last = year_period(year)
    start, end = start or first, end or last
    if start > end or (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError(_("Choose a period of at most a year, its start before its end."), field="period")
    return start, end


def latest_signs(pending: QuerySet[Pensioner], start: datetime.date, end: datetime.date) -> dict[int, Sign]:
    """The latest sign of life inside the period of each pensioner of `pending`, by resident; five
    queries however many pensioners (the caller has scoped `pending`). A medical reimbursement is read
    only of those who have not refused or withdrawn their consent to it (consent receipts)."""
    residents = pending.values("resident_id")
    best: dict[int, Sign] = {}
    answers: dict[int, str] = {}
    for resident_id, decision in (
        ConsentRecord.objects.filter(resident__in=residents, purpose=ConsentPurpose.MEDICAL_REIMBURSEMENT)
        .order_by("recorded_at", "id")
        .values_list("resident_id", "decision")
    ):
        answers[resident_id] = decision  # the latest answer stays
    no_medical = {r for r, decision in answers.items() if decision != ConsentRecord.Decision.GRANTED}

    def keep(resident_id: int, sign: Sign) -> None:
        if resident_id not in best or best[resident_id] < sign:
            best[resident_id] = sign

    visit = SignOfLife.Kind.VISIT
    with translation.override(RECORD_LANGUAGE):
        imported = str(SignOfLife.Source.IMPORT.label)
        for resident_id, kind, day, note, synthetic in SignOfLife.objects.filter(
            resident__in=residents, date__range=(start, end)
        ).values_list("resident_id", "kind", "date", "source_note", "is_synthetic"):
            if kind == SignOfLife.Kind.MEDICAL and resident_id in no_medical:
                continue
            keep(resident_id, Sign(day, False, kind, note[:120] or imported, synthetic))
        for resident_id, day, task_id in HomeTask.objects.filter(
            resident__in=residents, status=HomeTask.Status.DONE, done_on__range=(start, end)
        ).values_list("resident_id", "done_on", "pk"):
            keep(
                resident_id, Sign(day, True, visit, str(_("Home task %(id)s done")) % {"id": task_id}, False)
            )
        for resident_id, day, market in Consultation.objects.filter(
            resident__in=residents, booth__date__range=(start, end)
        ).values_list("resident_id", "booth__date", "booth__market__name"):
            keep(
                resident_id,
                Sign(day, True, visit, str(_("Asked at the %(market)s booth")) % {"market": market}, False),
            )
        for resident_id, moment, place in Consultation.objects.filter(
            resident__in=residents, service_point__isnull=False, created_at__date__range=(start, end)
        ).values_list("resident_id", "created_at", "service_point__name"):
            keep(
                resident_id,
                Sign(
                    timezone.localdate(moment),
                    True,
                    visit,
                    str(_("Asked at the counter of %(place)s")) % {"place": place},
                    False,
                ),
            )
        for resident_id, day, village in VisitNeed.objects.filter(
            resident__in=residents, visit__date__range=(start, end)
        ).values_list("resident_id", "visit__date", "visit__village__name"):
            keep(
                resident_id,
                Sign(
                    day, True, visit, str(_("Met on the visit to %(village)s")) % {"village": village}, False
                ),
            )
    return best


@transaction.atomic(durable=True)
def certification_by_data_run(
    *,
    actor: User | None,
    year: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> CertificationRun:
    """Certify by data every pensioner of the actor's towns not yet certified for the year who has a
    sign of life in the period. `actor` None is the nightly job, over every bureau."""
    if actor is not None:
        require(actor, "outreach.certify_by_data")
    start, end = _period(year, start, end)
    today = today or timezone.localdate()
    pensioners = Pensioner.objects.visible_to(actor) if actor is not None else Pensioner.objects.all()
    pending = pensioners.exclude(certifications__year=year)
    run = CertificationRun.objects.create(
        bureau_id=actor.bureau_id if actor is not None else None,
        year=year,
        period_start=start,
        period_end=end,
        started_by=actor,
    )
    checked = pending.count()
    signs = latest_signs(pending, start, min(end, today)) if start <= today else {}  # none from the future
    found = [  # read whole and sifted here: no list of ids in the query, however many have a sign
        row
        for row in pending.values_list("pk", "bureau_id", "resident_id").iterator(chunk_size=10_000)
        if row[2] in signs
    ]
    Certification.objects.bulk_create(
        [
            Certification(
                bureau_id=bureau_id,
                pensioner_id=pensioner_id,
                year=year,
                method=Certification.Method.DATA,
                certified_on=today,
                certified_by=actor,
                run=run,
                sign_kind=signs[resident_id].kind,
                sign_on=signs[resident_id].date,
                sign_source=signs[resident_id].source,
                sign_synthetic=signs[resident_id].is_synthetic,
            )
            for pensioner_id, bureau_id, resident_id in found
        ],
        batch_size=5_000,
        ignore_conflicts=True,  # a certification made meanwhile (at the station) is kept
    )
    certified = Certification.objects.filter(run=run).values("pensioner__resident_id")
    with translation.override(RECORD_LANGUAGE):
        HomeTask.objects.filter(
            certification_year=year, status=HomeTask.Status.OPEN, resident__in=certified
        ).update(
            status=HomeTask.Status.CANCELLED,
            result=str(_("Not needed: certified by data (a sign of life in the period).")),
            updated_at=timezone.now(),
        )
    run.pensioners_checked = checked
    run.certified = Certification.objects.filter(run=run).count()
    run.save(update_fields=["pensioners_checked", "certified", "updated_at"])
    return run
