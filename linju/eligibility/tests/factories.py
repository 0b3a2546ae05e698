"""Facts of a resident who lost their job in September 2026 through no fault of their own, insured
for three years and drawing no pension: the person the unemployment rules are about. Any fact can
be given to change it (`registered_unemployed=False`: one who has not registered yet)."""

import datetime

from linju.eligibility.models import ResidentFacts


def unemployed_facts(resident, **facts) -> ResidentFacts:
    return ResidentFacts.objects.create(
        bureau=resident.bureau,
        resident=resident,
        **{
            "employment_status": "unemployed",
            "job_lost_on": datetime.date(2026, 9, 20),
            "job_loss_cause": "involuntary",
            "registered_unemployed": True,
            "unemployment_insured": True,
            "unemployment_contribution_months": 36,
            "receives_pension": False,
        }
        | facts,
    )
