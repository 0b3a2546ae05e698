"""The demo's offers (免申即享): some example rules marked as offered by the bureau, in plain words, on
its statutory duty; one discovery run a bureau makes their offers, and 永新镇's are approved, so the
approval page has both offers waiting and offers sent. Example configuration, not policy: the rules
stay `is_example`. Run once: a demo that already holds offers is left as it is."""

from __future__ import annotations

from linju.accounts.models import User
from linju.eligibility.models import EligibilityRule, LegalBasis
from linju.eligibility.services import discovery_execute, discovery_fan_out
from linju.offers.models import Offer
from linju.offers.services.approval import offers_approve

# item code: (the offer in Chinese, in English)
OFFERED = {
    "UI-002": (
        "您可能符合领取失业保险金的条件,确认后即可办理,不用跑腿。",
        "You may qualify for unemployment insurance benefit: confirm and it is done, no trip needed.",
    ),
    "PE-001": (
        "您可能已可以按月领取城乡居民养老金,确认后即可办理。",
        "You may now draw the residents' monthly pension: confirm and it is done.",
    ),
    "MD-006": (
        "您近一年医疗费用较高,可能符合医疗救助条件,确认后即可办理。",
        "Your medical costs of the last year were high: you may qualify for medical assistance.",
    ),
}
APPROVED_TOWN = "500110113000"  # 永新镇: approved by district staff; the other towns' wait


def load_offers() -> dict[str, int]:
    marked = 0
    for code, (zh, en) in OFFERED.items():
        marked += EligibilityRule.objects.filter(item__code=code, is_example=True, offered=False).update(
            offered=True, offer_zh=zh, offer_en=en, legal_basis=LegalBasis.STATUTORY_DUTY
        )
    if Offer.objects.exists():
        return {"rules offered": marked, "offers": 0, "approved": 0}
    for run in discovery_fan_out():
        discovery_execute(run=run)
    staff = User.objects.filter(username="qj_staff").first()
    approved = offers_approve(actor=staff, town_code=APPROVED_TOWN) if staff else 0
    return {"rules offered": marked, "offers": Offer.objects.count(), "approved": approved}
