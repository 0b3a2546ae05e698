"""An offered rule edited runs again that night.

The offers a rule made stand on what it matched. When the expression or the dates in force of a rule
the bureau offers change, the rule is marked here as it is saved (the administration site calls
`rule_mark_if_changed` before saving); the offers' nightly job (linju/offers/services/reruns.py) runs
discovery again for the bureaus the rule reached, which withdraws the offers no longer matched, and
clears the mark. A rule not offered needs no mark: its lists are only read at the next run anyway."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import EligibilityRule

# what decides whom a rule matches (its words and the offer's wording change no one's match)
MATCH_FIELDS = ("expression", "valid_from", "valid_to")


def rule_mark_if_changed(*, rule: EligibilityRule) -> bool:
    """Mark an offered rule for tonight's run when what decides its matches differs from the row
    stored (before it is saved). A new rule has no offers yet and needs no mark. Whether it was marked."""
    if rule.pk is None or not rule.offered:
        return False
    stored = EligibilityRule.objects.filter(pk=rule.pk).values(*MATCH_FIELDS).first()
    if stored is None or all(stored[name] == getattr(rule, name) for name in MATCH_FIELDS):
        return False
    rule.rerun_due = True
    return True


def rules_due_rerun() -> QuerySet[EligibilityRule]:
    return EligibilityRule.objects.filter(rerun_due=True)
