"""An offered rule edited runs again that night: saving a changed expression or changed dates marks
it, the nightly job runs discovery for the bureaus it reached, the offers no longer matched are
withdrawn without a word to anyone, an offer someone said yes to keeps its case, and the mark is
cleared (a second night does nothing)."""

import dataclasses
import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from linju.cases.tests.factories import case_at_counter
from linju.conftest_world import ServedTowns
from linju.eligibility.models import DiscoveryRun, EligibilityRule
from linju.eligibility.reruns import rule_mark_if_changed
from linju.eligibility.services import discovery_execute, discovery_start
from linju.notify.models import OutboxMessage
from linju.offers.models import Offer
from linju.offers.services.reruns import Rerun, offers_rerun_edited_rules

from .factories import offered_rule

TODAY = datetime.date(2026, 11, 26)


@dataclasses.dataclass(frozen=True)
class Offered(ServedTowns):
    rule: EligibilityRule


@pytest.fixture
def offered(served):
    """代 (永新镇) and 周 (东溪镇), both 38, offered UI-002 by the rule "age() >= 16": 代 said yes (a
    case), 周's offer is open."""
    for resident in (served.dai, served.zhou):
        resident.birth_date = datetime.date(1988, 5, 1)
        resident.save()
    rule = offered_rule(served.ui)
    discovery_execute(run=discovery_start(actor=served.staff), today=TODAY)
    now = timezone.now()
    Offer.objects.update(status=Offer.Status.OPEN, approved_at=now, approved_by=served.staff)
    Offer.objects.filter(resident=served.dai).update(
        status=Offer.Status.CONFIRMED,
        case=case_at_counter(served),
        answer="yes",
        answered_via="sms",
        answered_at=now,
    )
    return served.grown(Offered, rule=rule)


def _edit(rule: EligibilityRule, **fields) -> bool:
    for name, value in fields.items():
        setattr(rule, name, value)
    marked = rule_mark_if_changed(rule=rule)
    rule.save()
    return marked


@pytest.mark.parametrize(
    ("fields", "marked"),
    [
        ({"expression": "age() >= 60"}, True),
        ({"valid_to": datetime.date(2026, 1, 1)}, True),
        ({"valid_from": datetime.date(2020, 1, 1)}, True),
        ({"description": "年满十六周岁", "offer_zh": "您可能可以领失业保险金"}, False),  # words match no one
        ({"expression": "age() >= 16"}, False),  # saved as it was
    ],
)
def test_an_offered_rule_is_marked_when_what_decides_its_matches_changes(offered, fields, marked):
    rule = offered.rule
    assert _edit(rule, **fields) is marked
    rule.refresh_from_db()
    assert rule.rerun_due is marked


def test_a_rule_not_offered_or_new_is_not_marked(served):
    rule = offered_rule(served.ui, offered=False, offer_zh="", offer_en="", legal_basis="")
    assert not _edit(rule, expression="age() >= 60")
    assert not rule_mark_if_changed(rule=EligibilityRule(item=served.ui, expression="age() >= 1"))


def test_the_administration_site_marks_the_rule_it_saves(offered):
    rule = offered.rule
    request = RequestFactory().post("/")
    request.user = offered.admin
    rule.expression = "age() >= 60"
    site._registry[EligibilityRule].save_model(request, rule, form=None, change=True)
    rule.refresh_from_db()
    assert rule.rerun_due


def test_the_night_withdraws_the_offers_no_longer_matched_quietly_and_a_yes_keeps_its_case(offered):
    w = offered
    _edit(w.rule, expression="age() >= 60")  # neither is 60
    texts = OutboxMessage.objects.count()
    assert offers_rerun_edited_rules(today=TODAY) == Rerun(rules=1, runs=1, withdrawn=1)
    zhou, dai = Offer.objects.get(resident=w.zhou), Offer.objects.get(resident=w.dai)
    assert (zhou.status, zhou.withdrawn_at is not None) == (Offer.Status.WITHDRAWN, True)
    assert (dai.status, dai.case.status) == (Offer.Status.CONFIRMED, "accepted")
    assert OutboxMessage.objects.count() == texts  # nobody told
    w.rule.refresh_from_db()
    assert not w.rule.rerun_due
    runs = DiscoveryRun.objects.count()
    assert offers_rerun_edited_rules(today=TODAY) == Rerun(0, 0, 0)  # the next night: nothing marked
    assert DiscoveryRun.objects.count() == runs


def test_a_rule_edited_out_of_force_has_its_unanswered_offers_withdrawn(offered):
    w = offered
    _edit(w.rule, valid_to=TODAY - datetime.timedelta(days=1))
    assert offers_rerun_edited_rules(today=TODAY).withdrawn == 1
    assert sorted(Offer.objects.values_list("status", flat=True)) == [
        Offer.Status.CONFIRMED,
        Offer.Status.WITHDRAWN,
    ]


def test_a_rule_still_matching_them_withdraws_nothing(offered):
    _edit(offered.rule, expression="age() >= 30")
    assert offers_rerun_edited_rules(today=TODAY).withdrawn == 0
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() == 1


def test_a_failed_run_keeps_the_mark_for_the_next_night(offered, monkeypatch):
    _edit(offered.rule, expression="age() >= 60")

    def broken(**kwargs):
        raise RuntimeError("the registry could not be read")

    monkeypatch.setattr("linju.offers.services.reruns.discovery_execute", broken)
    with pytest.raises(RuntimeError):
        offers_rerun_edited_rules(today=TODAY)
    offered.rule.refresh_from_db()
    assert offered.rule.rerun_due
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() == 1
