"""The demo's example of an item granted on the data alone (免申即享, 无需申请): the residents'
pension (PE-001), which a resident who turns 60 with 15 years paid in would otherwise apply for.
Its sample rule is offered on the bureau's statutory duty; discovery's matches become cases decided
granted once staff approve them, and the people are told how to object. Example configuration, not
official policy: the item and the rule stay marked as examples."""

from __future__ import annotations

from django.db import transaction

from linju.catalog.models import ServiceItem
from linju.eligibility.models import EligibilityRule, LegalBasis

ITEM = "PE-001"
OBJECTION_DAYS = 15


def load_granted_example() -> int:
    """Mark the example item granted on the data and its example rule offered (once; a rule or an
    item that is not an example is left alone). How many rows changed."""
    changed = 0
    # a loader's step: the demo loader's own phase, run once at set-up (not a user's action)
    with transaction.atomic():
        item = ServiceItem.objects.filter(code=ITEM, is_example=True).first()
        if item is None:
            return 0
        if not item.granted_on_data:
            item.granted_on_data, item.objection_days = True, OBJECTION_DAYS
            item.full_clean()
            item.save()
            changed += 1
        rule = EligibilityRule.objects.filter(item=item, is_example=True).first()
        if rule is not None and not rule.offered:
            rule.offered = True
            rule.offer_zh = "您已年满60岁、缴费满15年,城乡居民养老金按月发放,无需申请"
            rule.offer_en = "You are 60 and have paid in for 15 years: your residents' pension is paid monthly, with no application"
            rule.legal_basis = LegalBasis.STATUTORY_DUTY
            rule.full_clean()
            rule.save()
            changed += 1
    return changed
