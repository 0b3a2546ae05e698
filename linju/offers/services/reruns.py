"""The night after an offered rule was edited: discovery runs again for the bureaus the rule reached,
and the offers it no longer supports are withdrawn, quietly (no text, no task: nobody is told they
lost what they were never asked about, and an offer someone said yes to keeps its case).

The rule is marked as it is saved (linju/eligibility/reruns.py). Each bureau's run is an ordinary
discovery run (its new matches become offers waiting for the second look, as every run's do), and
`offers_withdraw_unmatched` then takes back the unanswered offers of the rules it ran that it no
longer matched. A marked rule no longer in force is not run at all: its unanswered offers in the
bureau are withdrawn the same way. The marks are cleared before the runs, and put back if one fails,
so an edit made while the runs go is run again the next night."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from linju.eligibility.models import DiscoveryRun, EligibilityRule
from linju.eligibility.reruns import rules_due_rerun
from linju.eligibility.selectors import rules_in_force
from linju.eligibility.services import discovery_execute

from ..models import Offer, RuleMatches
from .making import offers_withdraw_unmatched


@dataclass(frozen=True)
class Rerun:
    rules: int  # marked rules run again
    runs: int  # discovery runs, one a bureau
    withdrawn: int  # offers withdrawn as no longer matched


def offers_rerun_edited_rules(*, today: datetime.date | None = None) -> Rerun:
    """Run discovery again for every bureau an edited offered rule reached (where it matched in a run,
    or has offers), then withdraw the offers no longer matched. What was done."""
    today = today or timezone.localdate()
    marked = list(rules_due_rerun().values_list("pk", flat=True))
    if not marked:
        return Rerun(0, 0, 0)
    bureaus = sorted(
        set(RuleMatches.objects.filter(rule_id__in=marked).values_list("bureau_id", flat=True).distinct())
        | set(Offer.objects.filter(rule_id__in=marked).values_list("bureau_id", flat=True).distinct())
    )
    rules_due_rerun().filter(pk__in=marked).update(rerun_due=False)
    in_force = set(rules_in_force(today).filter(pk__in=marked).values_list("pk", flat=True))
    started = timezone.now()
    try:
        for bureau_id in bureaus:
            run = DiscoveryRun.objects.create(bureau_id=bureau_id, rules_total=rules_in_force(today).count())
            # the run hands its matches to the offers, which withdraw there what it no longer matched;
            # asked again here, so that a run whose consumer changes still withdraws (then none are left)
            offers_withdraw_unmatched(discovery_execute(run=run, today=today))
            _withdraw_out_of_force(bureau_id, set(marked) - in_force)
    except Exception:
        EligibilityRule.objects.filter(pk__in=marked).update(rerun_due=True)
        raise
    withdrawn = Offer.objects.filter(
        bureau_id__in=bureaus, status=Offer.Status.WITHDRAWN, withdrawn_at__gte=started
    ).count()
    return Rerun(len(marked), len(bureaus), withdrawn)


def _withdraw_out_of_force(bureau_id: int, rule_ids: set[int]) -> int:
    """Unanswered offers of rules no longer in force (their dates edited), withdrawn quietly."""
    if not rule_ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        return Offer.objects.filter(
            bureau_id=bureau_id,
            rule_id__in=rule_ids,
            status__in=(Offer.Status.AWAITING, Offer.Status.HELD, Offer.Status.OPEN),
        ).update(status=Offer.Status.WITHDRAWN, withdrawn_at=now, updated_at=now)
