"""A few bundle cases (一件事) in the demo: each bureau's 失业一件事 taken at the station of its first
towns, through the bundle intake as a cadre takes it, so the bundle pages, the status look-up and
the staff lists have something to show. Synthetic people of the demo registry; idempotent (each
case under an idempotency key of its own)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linju.cases.models import BundleCase
from linju.cases.services import Intake
from linju.cases.services.bundles import bundle_accept_once
from linju.catalog.bundles import bundle_get
from linju.core.errors import DomainError
from linju.geo.models import Bureau, Town
from linju.people.models import Resident

from .cases import _staff_for

PER_BUREAU = 2
BUNDLE = "JOBLOSS"  # each bureau's 失业一件事: <bureau code>-JOBLOSS


def load_bundle_cases(*, today: datetime.date | None = None) -> int:
    """Each bureau's 失业一件事 for `PER_BUREAU` residents of its first towns, where missing."""
    today = today or timezone.localdate()
    created = 0
    for bureau in Bureau.objects.order_by("code"):
        code = f"{bureau.code}-{BUNDLE}"
        try:
            offered = bundle_get(code=code, on_date=today)
        except DomainError:
            continue  # the bureau offers no such bundle today
        papers = [material.name for material in offered.held.materials if material.required]
        towns = Town.objects.filter(bureau=bureau).order_by("code")[:PER_BUREAU]
        for index, town in enumerate(towns):
            key = f"demo-bundle-{code}-{index}"
            if BundleCase.objects.filter(bureau=bureau, idempotency_key=key).exists():
                continue
            taker, _district = _staff_for(town)
            applicant = Resident.objects.filter(village__town=town).order_by("pk").first()
            if taker is None or applicant is None:
                continue
            intake = Intake(
                item_code="",
                channel="counter",
                applicant_id=applicant.pk,
                service_point_code=f"station-{town.code}",
                materials_received=papers,
                idempotency_key=key,
            )
            try:
                accepted = bundle_accept_once(actor=taker, code=code, intake=intake)
            except DomainError:
                continue  # the place does not take it, or the person cannot apply: none made
            created += int(accepted.created)
    return created
