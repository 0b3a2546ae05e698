"""Demo facts for residents and households (seeded, bulk, plausible) and the sample rules."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from linju.catalog.models import ServiceItem
from linju.core.pgcopy import insert_objects
from linju.eligibility.models import EligibilityRule, HouseholdFacts, ResidentFacts
from linju.eligibility.plain import step_items
from linju.eligibility.samples import SAMPLE_RULES
from linju.people.models import Household, Resident

BATCH = 5000


def load_rules() -> int:
    """The sample rules with their sentences; an example rule loaded before it had sentences gets
    them (and its grouped expression), once; one loaded before its conditions were marked as steps
    gets its steps (when it still reads as the sample does)."""
    created = 0
    for code, description, expression, plain in SAMPLE_RULES:
        item = ServiceItem.objects.filter(code=code).first()
        if item is None:
            continue
        rule = EligibilityRule.objects.filter(item=item).first()
        if rule is None:
            rule = EligibilityRule(
                item=item,
                expression=expression,
                description=description,
                plain=plain,
                valid_from=datetime.date(2014, 1, 1),
                is_example=True,
            )
            created += 1
        elif rule.is_example and not rule.plain:
            rule.expression, rule.plain = expression, plain
        elif (
            rule.is_example
            and rule.expression == expression
            and not step_items(rule.plain)
            and step_items(plain)
            and len(rule.plain) == len(plain)
        ):
            rule.plain = [
                entry | {"step": sample["step"]} if "step" in sample else entry
                for entry, sample in zip(rule.plain, plain, strict=True)
            ]
        else:
            continue
        rule.full_clean()
        rule.save()
    return created


def _facts(
    resident_id: int, bureau_id: int, birth: datetime.date, today: datetime.date, rng: random.Random
) -> ResidentFacts:
    age = (today - birth).days // 365
    f = ResidentFacts(bureau_id=bureau_id, resident_id=resident_id, is_synthetic=True)
    if age >= 60:
        f.employment_status = "retired" if rng.random() < 0.6 else "farming"
        f.pension_insured = rng.random() < 0.92
        f.pension_contribution_months = rng.randrange(0, 300) if f.pension_insured else 0
        f.receives_pension = bool(
            f.pension_insured and f.pension_contribution_months >= 180 and rng.random() < 0.85
        )
    elif age >= 16:
        f.employment_status = rng.choices(
            ["employed", "flexible", "farming", "unemployed", "student"], [40, 15, 25, 12, 8]
        )[0]
        f.pension_insured = rng.random() < 0.8
        f.pension_contribution_months = rng.randrange(0, 12 * (age - 15)) if f.pension_insured else 0
        f.receives_pension = False
        f.unemployment_insured = f.employment_status in ("employed", "unemployed") and rng.random() < 0.7
        f.unemployment_contribution_months = rng.randrange(0, 120) if f.unemployment_insured else 0
        if f.employment_status == "unemployed":
            f.job_lost_on = today - datetime.timedelta(days=rng.randrange(10, 700))
            f.job_loss_cause = "involuntary" if rng.random() < 0.6 else "voluntary"
            f.registered_unemployed = rng.random() < 0.5
        else:
            f.registered_unemployed = False
    else:
        f.employment_status = "student"
        f.pension_insured = False
        f.receives_pension = False
    f.medical_insured = rng.random() < 0.95
    f.disability_level = rng.choice([1, 2, 3, 4]) if rng.random() < 0.04 else 0
    f.medical_expenses_12m = int(rng.expovariate(1 / 3000)) if rng.random() < 0.6 else 0
    if rng.random() < 0.03:
        f.hardship_on, f.hardship_kind = (
            today - datetime.timedelta(days=rng.randrange(1, 200)),
            rng.choice(["illness", "accident", "disaster"]),
        )
    if rng.random() < 0.05:  # some facts are simply not known
        f.unemployment_contribution_months = None
    return f


@transaction.atomic
def load_facts(*, seed: int, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    rng = random.Random(seed + 31)
    existing = set(ResidentFacts.objects.values_list("resident_id", flat=True))
    batch, created = [], 0
    for resident_id, bureau_id, birth in (
        Resident.objects.order_by("pk")
        .values_list("pk", "bureau_id", "birth_date")
        .iterator(chunk_size=BATCH)
    ):
        facts = _facts(resident_id, bureau_id, birth, today, rng)
        if resident_id in existing:
            continue
        batch.append(facts)
        if len(batch) >= BATCH:
            insert_objects(ResidentFacts, batch)  # binary COPY on PostgreSQL
            created += len(batch)
            batch = []
    insert_objects(ResidentFacts, batch)
    created += len(batch)
    have = set(HouseholdFacts.objects.values_list("household_id", flat=True))
    households = []
    for household_id, bureau_id, size in (
        Household.objects.annotate(n=Count("members")).order_by("pk").values_list("pk", "bureau_id", "n")
    ):
        income = int(rng.lognormvariate(7.3, 0.6))
        if household_id not in have:
            households.append(
                HouseholdFacts(
                    bureau_id=bureau_id,
                    household_id=household_id,
                    household_size=size,
                    income_per_capita=income,
                    subsistence_allowance=income < 700 and rng.random() < 0.6,
                    is_synthetic=True,
                )
            )
    insert_objects(HouseholdFacts, households)
    return created
