"""Offers as discovery makes them: a rule the bureau offers (UI-002 to the unemployed, in plain words,
on its statutory duty) and an offer of it to one resident, waiting for approval unless told otherwise.
`open_offer` is one approved and sent (status open, by text, open ten working days)."""

import datetime

from django.utils import timezone

from linju.eligibility.models import EligibilityRule, LegalBasis
from linju.offers.models import Offer

FACTS_AS_OF = datetime.date(2026, 11, 26)


def offered_rule(item, **fields) -> EligibilityRule:
    return EligibilityRule.objects.create(
        **{
            "item": item,
            "expression": "age() >= 16",
            "description": "年满16周岁",
            "valid_from": datetime.date(2014, 1, 1),
            "offered": True,
            "offer_zh": "您可能可以领取失业保险金",
            "offer_en": "You may be able to claim unemployment insurance benefit",
            "legal_basis": LegalBasis.STATUTORY_DUTY,
        }
        | fields
    )


def rule_version(rule: EligibilityRule) -> int:
    return rule.history.order_by("-history_id").values_list("history_id", flat=True).first()


def make_offer(resident, rule, **fields) -> Offer:
    return Offer.objects.create(
        **{
            "bureau_id": resident.bureau_id,
            "resident": resident,
            "item": rule.item,
            "village_id": resident.village_id,
            "rule": rule,
            "rule_version": rule_version(rule),
            "matched_facts": {"age": 38},
            "facts_as_of": FACTS_AS_OF,
        }
        | fields
    )


def open_offer(resident, rule, approver, **fields) -> Offer:
    return make_offer(
        resident,
        rule,
        **{
            "status": Offer.Status.OPEN,
            "reach": Offer.Reach.TEXT,
            "approved_by": approver,
            "approved_at": timezone.now(),
            "expires_on": timezone.localdate() + datetime.timedelta(days=14),
        }
        | fields,
    )
