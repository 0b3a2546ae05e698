"""Offers from discovery: each run turns the matches of the rules the bureau offers into offers waiting
for approval, one per resident and item, never a second while one stands or after a no within the quiet
days, none for someone with an unfinished case of the item; and offers a later run no longer matches
are withdrawn quietly, within that run's reach."""

import datetime
from types import SimpleNamespace

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.tests.factories import case_at_counter
from linju.eligibility.matches import RuleMatches as Found
from linju.eligibility.models import EligibilityRule
from linju.eligibility.rules import Column
from linju.eligibility.samples import SAMPLE_RULES
from linju.eligibility.services import discovery_execute, discovery_start
from linju.eligibility.tests.factories import unemployed_facts
from linju.offers.models import Offer, RuleMatches
from linju.offers.services.making import (
    TOKEN_ALPHABET,
    new_tokens,
    offers_bulk_create,
    offers_copy,
    offers_make,
    offers_withdraw_unmatched,
)
from linju.people.tests.factories import ResidentFactory

from .factories import rule_version

TODAY = datetime.date(2026, 11, 26)
UI_002 = next(rule for rule in SAMPLE_RULES if rule[0] == "UI-002")


def _rule(item, **fields) -> EligibilityRule:
    _code, description, expression, plain = UI_002
    return EligibilityRule.objects.create(
        **{
            "item": item,
            "expression": expression,
            "description": description,
            "plain": plain,
            "valid_from": datetime.date(2014, 1, 1),
            "offered": True,
            "offer_zh": "您可能可以领取失业保险金",
            "offer_en": "You may be able to claim unemployment insurance benefit",
            "legal_basis": "statutory_duty",
        }
        | fields
    )


@pytest.fixture
def mw(served):
    """代 of 永新镇 and 周 of 东溪镇 are unemployed as UI-002's rule asks, and the bureau offers it."""
    for resident in (served.dai, served.zhou):
        resident.birth_date = datetime.date(1988, 5, 1)
        resident.save()
        unemployed_facts(resident)
    return SimpleNamespace(**(vars(served) | {"served": served, "rule": _rule(served.ui)}))


def run(actor, **kwargs):
    return discovery_execute(run=discovery_start(actor=actor, **kwargs), today=TODAY)


def test_a_run_makes_one_offer_per_match_waiting_for_approval_with_what_it_was_matched_on(mw):
    done = run(mw.staff)
    offer = Offer.objects.get(resident=mw.dai)
    assert (offer.status, offer.item, offer.village, offer.rule, offer.run, offer.facts_as_of) == (
        Offer.Status.AWAITING,
        mw.ui,
        mw.dai.village,
        mw.rule,
        done,
        TODAY,
    )
    assert offer.rule_version == rule_version(mw.rule)
    assert offer.matched_facts == {
        "age": 38,
        "job_loss_cause": "involuntary",
        "receives_pension": False,
        "registered_unemployed": True,
        "unemployment_contribution_months": 36,
    }  # the facts the rule read, the age for the birth date
    assert Offer.objects.count() == 2 and not Offer.objects.exclude(status=Offer.Status.AWAITING).exists()
    (matches,) = RuleMatches.objects.filter(run=done)
    assert sorted(matches.resident_ids().tolist()) == sorted([mw.dai.pk, mw.zhou.pk])


def test_a_rule_the_bureau_does_not_offer_makes_no_offer(mw):
    EligibilityRule.objects.filter(pk=mw.rule.pk).update(offered=False)
    run(mw.staff)
    assert not Offer.objects.exists() and not RuleMatches.objects.exists()


def test_never_a_second_offer_while_one_stands(mw):
    run(mw.staff)
    Offer.objects.filter(resident=mw.dai).update(status=Offer.Status.OPEN, approved_at=timezone.now())
    run(mw.staff)
    assert Offer.objects.filter(resident=mw.dai).count() == 1
    assert Offer.objects.count() == 2


def test_a_no_keeps_the_item_quiet_for_the_rules_quiet_days_then_it_is_offered_again(mw):
    run(mw.staff)
    Offer.objects.filter(resident=mw.dai).update(
        status=Offer.Status.DECLINED,
        approved_at=timezone.now(),
        answer="no",
        answered_via="sms",
        answered_at=timezone.now() - datetime.timedelta(days=30),
    )
    run(mw.staff)
    assert Offer.objects.filter(resident=mw.dai).count() == 1
    EligibilityRule.objects.filter(pk=mw.rule.pk).update(quiet_days=20)
    run(mw.staff)
    assert Offer.objects.filter(resident=mw.dai, status=Offer.Status.AWAITING).count() == 1


def test_no_offer_for_someone_with_an_unfinished_case_of_the_item(mw):
    case = case_at_counter(mw.served)
    run(mw.staff)
    assert not Offer.objects.filter(resident=mw.dai).exists()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.SUSPENDED, suspended_on=TODAY, remaining_days=5)
    run(mw.staff)
    assert not Offer.objects.filter(resident=mw.dai).exists()
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.FINISHED, closed_at=timezone.now(), outcome="granted"
    )
    run(mw.staff)
    assert Offer.objects.filter(resident=mw.dai).exists()


def test_a_cadres_run_offers_only_in_their_towns(mw):
    run(mw.cadre)
    assert list(Offer.objects.values_list("resident", flat=True)) == [mw.dai.pk]


def test_offers_no_longer_matched_are_withdrawn_quietly_and_a_yes_stays(mw):
    run(mw.staff)
    Offer.objects.filter(resident=mw.zhou).update(status=Offer.Status.OPEN, approved_at=timezone.now())
    for resident in (mw.dai, mw.zhou):
        resident.facts.receives_pension = True  # found a pension: the rule no longer matches
        resident.facts.save()
    later = run(mw.staff)
    assert set(Offer.objects.values_list("status", flat=True)) == {Offer.Status.WITHDRAWN}
    assert not Offer.objects.filter(withdrawn_at__isnull=True).exists()
    assert offers_withdraw_unmatched(later) == 0  # once
    # someone who matches again is offered again: a withdrawal is not a no
    for resident in (mw.dai, mw.zhou):
        resident.facts.receives_pension = False
        resident.facts.save()
    run(mw.staff)
    assert Offer.objects.filter(status=Offer.Status.AWAITING).count() == 2


def test_a_confirmed_offer_and_one_where_a_cadre_comes_are_not_withdrawn(mw):
    run(mw.staff)
    case = case_at_counter(mw.served)
    Offer.objects.filter(resident=mw.dai).update(
        status=Offer.Status.CONFIRMED,
        approved_at=timezone.now(),
        case=case,
        answer="yes",
        answered_via="sms",
        answered_at=timezone.now(),
    )
    Offer.objects.filter(resident=mw.zhou).update(status=Offer.Status.HELP, approved_at=timezone.now())
    mw.dai.facts.receives_pension = True
    mw.dai.facts.save()
    mw.zhou.facts.receives_pension = True
    mw.zhou.facts.save()
    run(mw.staff)
    assert sorted(Offer.objects.values_list("status", flat=True)) == [
        Offer.Status.CONFIRMED,
        Offer.Status.HELP,
    ]


def test_a_run_over_one_town_withdraws_nothing_elsewhere(mw):
    run(mw.staff)
    mw.zhou.facts.receives_pension = True
    mw.zhou.facts.save()
    run(mw.cadre)  # 永新镇 only: 周 of 东溪镇 is not in its reach
    assert not Offer.objects.filter(status=Offer.Status.WITHDRAWN).exists()
    run(mw.staff, town_code=mw.dongxi.code)
    assert Offer.objects.get(resident=mw.zhou).status == Offer.Status.WITHDRAWN


def _found(rule, residents, village) -> list[Found]:
    ids = np.array(sorted(r.pk for r in residents), dtype=np.int64)
    return [
        Found(
            rule=rule,
            resident_ids=ids,
            village_ids=np.full(len(ids), village.pk, dtype=np.int64),
            facts={"receives_pension": Column(np.zeros(len(ids), dtype=bool), np.ones(len(ids), dtype=bool))},
            ages=None,
        )
    ]


def test_making_offers_costs_the_same_statements_for_many_matches_as_for_few(mw, max_queries):
    """Per rule: its matches kept, its history row, three look-ups of who is left out, the insert and
    a count — never a statement per person. On PostgreSQL the insert is three: the COPY's temporary
    table made, the INSERT … SELECT from it, the table dropped (the COPY itself is not counted)."""
    limit = 9 if connection.vendor == "postgresql" else 7
    few = [ResidentFactory(village=mw.jingshan) for _ in range(3)]
    many = [ResidentFactory(village=mw.jingshan) for _ in range(30)]
    first, second = discovery_start(actor=mw.staff), discovery_start(actor=mw.staff)
    with max_queries(limit):
        assert (
            offers_make(
                run=first,
                found=_found(mw.rule, few, mw.jingshan),
                today=TODAY,
            )
            == 3
        )
    with max_queries(limit):
        assert (
            offers_make(
                run=second,
                found=_found(mw.rule, many, mw.jingshan),
                today=TODAY,
            )
            == 30
        )
    assert Offer.objects.filter(resident=many[0]).get().matched_facts == {"receives_pension": False}


def test_two_offered_rules_of_one_item_make_one_offer_a_person(mw):
    other = _rule(mw.ui, description="另一条规则")
    done = discovery_start(actor=mw.staff)
    people = [mw.dai, mw.zhou]
    found = _found(mw.rule, people[:1], mw.jingshan) + _found(other, people, mw.jingshan)
    assert offers_make(run=done, found=found, today=TODAY) == 2
    assert Offer.objects.get(resident=mw.dai).rule == mw.rule
    assert Offer.objects.get(resident=mw.zhou).rule == other


def test_short_link_keys_are_made_together_from_the_alphabet():
    tokens = new_tokens(2000)
    alphabet = set(TOKEN_ALPHABET.tobytes().decode())
    assert len(tokens) == 2000 and len(set(tokens)) == 2000
    assert all(len(token) == 10 and set(token) <= alphabet for token in tokens)
    assert set("".join(tokens)) == alphabet  # every letter drawn somewhere


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_offers_written_by_copy_are_those_bulk_create_writes(mw):
    """PostgreSQL writes a run's offers by COPY, SQLite by bulk_create: the same rows either way, the
    model's defaults included, and a resident with a standing offer turned away by both."""
    done = discovery_start(actor=mw.staff)
    now = timezone.now()
    shared = Offer(
        bureau_id=mw.dai.bureau_id,
        item_id=mw.ui.pk,
        rule_id=mw.rule.pk,
        rule_version=rule_version(mw.rule),
        run_id=done.pk,
        facts_as_of=TODAY,
        created_at=now,
        updated_at=now,
    )
    standing = ResidentFactory(village=mw.jingshan)
    offers_bulk_create(shared, [(standing.pk, mw.jingshan.pk, {"age": 50}, "standing01")])
    by_bulk = [ResidentFactory(village=mw.jingshan) for _ in range(2)]
    by_copy = [ResidentFactory(village=mw.jingshan) for _ in range(2)]

    def rows(residents, prefix):
        return [
            (r.pk, r.village_id, {"age": 30 + n, "registered_unemployed": True}, f"{prefix}{n:05d}")
            for n, r in enumerate(residents)
        ] + [(standing.pk, mw.jingshan.pk, {}, f"{prefix}twice")]

    offers_bulk_create(shared, rows(by_bulk, "bulkx"))
    offers_copy(shared, rows(by_copy, "copyx"))
    assert not Offer.objects.filter(token__endswith="twice").exists()
    varying = {"id", "resident_id", "token", "created_at", "updated_at"}  # the time of writing
    fields = [f.attname for f in Offer._meta.concrete_fields if f.attname not in varying]
    made = {o.token: o for o in Offer.objects.exclude(resident=standing)}
    assert sorted(made) == ["bulkx00000", "bulkx00001", "copyx00000", "copyx00001"]
    for n in range(2):
        bulk, copied = made[f"bulkx{n:05d}"], made[f"copyx{n:05d}"]
        assert {f: getattr(bulk, f) for f in fields} == {f: getattr(copied, f) for f in fields}
        assert (bulk.resident_id, copied.resident_id) == (by_bulk[n].pk, by_copy[n].pk)
        assert copied.matched_facts == {"age": 30 + n, "registered_unemployed": True}
        assert copied.status == Offer.Status.AWAITING and copied.reach == "" and copied.answer == ""
        assert now <= copied.created_at <= copied.updated_at <= timezone.now()
