"""How the demo's first cases at a counter or a booth were identified: a few in each bureau, recorded
through the identity service as a cadre records them (by hand, papers looked at, with the reason;
the reader and e-card checks need a device, which the demo's stand-ins answer at intake)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from linju.cases.models import Case
from linju.geo.models import Bureau
from linju.identity.models import Identification, Method, Result
from linju.identity.services import Identified, identification_record_within

PER_BUREAU = 3


@transaction.atomic
def load_identifications() -> int:
    """Once: none is made when the demo holds any."""
    if Identification.objects.exists():
        return 0
    made = 0
    for bureau in Bureau.objects.order_by("pk"):
        cases = (
            Case.objects.filter(bureau=bureau, channel__in=["counter", "booth"], taken_by__isnull=False)
            .select_related("applicant", "taken_by")
            .order_by("number")[:PER_BUREAU]
        )
        for case in cases:
            identification_record_within(
                actor=case.taken_by,
                resident=case.applicant,
                identified=Identified(
                    method=Method.BY_HAND,
                    result=Result.NOT_CHECKED,
                    terminal="",
                    reason="读卡器未带(演示):核对了身份证原件",
                    verified_at=case.accepted_at or timezone.now(),
                    person="",
                ),
                reference=case.number,
            )
            made += 1
    return made
