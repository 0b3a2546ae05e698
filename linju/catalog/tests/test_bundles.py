"""Bundles (一件事): their invariants, the merged form and papers, their dated versions, the rule of
where they are taken, and their search."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from linju.catalog.acceptance import (
    ITEM_CHANNELS,
    PlaceKind,
    Verdict,
    bundle_verdict,
    bundles_taken,
    verdict,
)
from linju.catalog.bundles import bundle_get, bundle_list, bundle_search, bundles_changed, bundles_with_items
from linju.catalog.models import BundlePart, BundleVersion, PartnerOffice
from linju.catalog.selectors import catalogue_changed
from linju.catalog.tests.factories import (
    BundlePartFactory,
    BundleVersionFactory,
    FormQuestionFactory,
    ItemQuestionFactory,
    MaterialFactory,
    PartnerOfficeFactory,
)
from linju.core.errors import NotFound

DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def retirement(bundled):
    return bundled


def test_the_merged_form_asks_each_question_once_naming_the_items_that_need_it(retirement):
    bank = FormQuestionFactory(code="bank-account")
    left = FormQuestionFactory(code="left-work-on", text="离职日期", text_en="Date you left", kind="date")
    ItemQuestionFactory(item=retirement.ui, question=bank, required=False)
    ItemQuestionFactory(item=retirement.ui, question=left)
    ItemQuestionFactory(item=retirement.fund_item, question=bank, required=True)
    questions = bundle_get(code="QJ-RETIRE", on_date=DAY).held.questions
    assert [q.question.code for q in questions] == ["bank-account", "left-work-on"]
    assert questions[0].items == (retirement.ui, retirement.fund_item)
    assert questions[0].required  # one item requires an answer
    assert questions[1].items == (retirement.ui,)


def test_the_merged_papers_ask_each_paper_once_even_written_differently(retirement):
    MaterialFactory(item=retirement.ui, name="居民身份证", required=False)
    MaterialFactory(item=retirement.md, name="居民 身份证", note="原件")
    MaterialFactory(item=retirement.fund_item, name="居民身份证。", note="原件")
    MaterialFactory(item=retirement.fund_item, name="银行卡", required=False)
    materials = bundle_get(code="QJ-RETIRE", on_date=DAY).held.materials
    assert [m.name for m in materials] == ["居民身份证", "银行卡"]
    paper = materials[0]
    assert paper.items == (retirement.ui, retirement.md, retirement.fund_item)
    assert paper.required and paper.notes == ("原件",)
    assert not materials[1].required and materials[1].items == (retirement.fund_item,)


def test_a_version_has_one_lead_at_most_and_each_item_once(retirement):
    with pytest.raises(IntegrityError), transaction.atomic():
        BundlePart.objects.create(version=retirement.version, item=retirement.lr, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        BundlePart.objects.create(version=retirement.version, item=retirement.md)


def test_a_version_ends_after_it_begins_and_never_overlaps_another(retirement):
    with pytest.raises(IntegrityError), transaction.atomic():
        BundleVersion.objects.create(
            bundle=retirement.bundle, valid_from=datetime.date(2027, 1, 1), valid_to=datetime.date(2026, 1, 1)
        )
    overlapping = BundleVersion(bundle=retirement.bundle, valid_from=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="已有一个版本"):
        overlapping.full_clean()
    retirement.version.valid_to = datetime.date(2026, 12, 31)
    retirement.version.save()
    BundleVersion(bundle=retirement.bundle, valid_from=datetime.date(2027, 1, 1)).full_clean()


def test_a_partner_office_sent_papers_by_post_or_messenger_has_an_address(retirement):
    for delivery in (PartnerOffice.Delivery.POST, PartnerOffice.Delivery.COURIER):
        with pytest.raises(IntegrityError), transaction.atomic():
            PartnerOfficeFactory(bureau=retirement.fund.bureau, delivery=delivery, delivery_address="")
    PartnerOfficeFactory(delivery=PartnerOffice.Delivery.POST, delivery_address="綦江区文龙街道1号")


def test_a_part_is_finished_by_a_partner_office_of_the_bundles_own_bureau(retirement):
    elsewhere = PartnerOfficeFactory(bureau=retirement.wansheng_resident.village.town.bureau)
    part = BundlePart(version=retirement.version, item=retirement.lr, partner=elsewhere)
    with pytest.raises(ValidationError, match="本局自己的协同部门"):
        part.full_clean()
    retirement.fund.active = False
    retirement.fund.save()
    part = BundlePart(version=retirement.version, item=retirement.lr, partner=retirement.fund)
    with pytest.raises(ValidationError, match="已停用"):
        part.full_clean()


def test_a_bundle_is_offered_on_the_days_a_version_with_a_lead_is_in_force(retirement):
    retirement.version.valid_to = datetime.date(2026, 12, 31)
    retirement.version.save()
    later = BundleVersionFactory(bundle=retirement.bundle, valid_from=datetime.date(2027, 1, 1))
    BundlePartFactory(version=later, item=retirement.ui)  # no lead yet: not offered
    BundlePartFactory(version=later, item=retirement.md)
    assert [o.code for o in bundle_list(on_date=datetime.date(2024, 12, 31))] == []
    assert [o.code for o in bundle_list(on_date=DAY)] == ["QJ-RETIRE"]
    assert bundle_get(code="QJ-RETIRE", on_date=DAY).held.version == retirement.version
    with pytest.raises(NotFound):
        bundle_get(code="QJ-RETIRE", on_date=datetime.date(2027, 1, 1))
    BundlePart.objects.filter(version=later, item=retirement.md).update(is_lead=True)
    bundles_changed()
    offered = bundle_get(code="QJ-RETIRE", on_date=datetime.date(2027, 1, 1))
    assert offered.held.lead.item == retirement.md and len(offered.parts) == 2
    assert offered.held.time_limit_days == 7  # the longest of its parts' promises


def test_a_place_takes_a_bundle_when_it_takes_its_lead_part_and_does_with_it_what_it_does_with_that_part(
    retirement,
):
    entry = bundle_get(code="QJ-RETIRE", on_date=DAY).entry
    yongxin = retirement.yongxin
    for kind, channel in itertools.product(PlaceKind, [None, *ITEM_CHANNELS]):
        assert bundle_verdict(bundle=entry, kind=kind, town=yongxin, on_date=DAY, channel=channel) == verdict(
            item=retirement.ui, kind=kind, town=yongxin, on_date=DAY, channel=channel
        )
    assert bundle_verdict(bundle=entry, kind=PlaceKind.STATION, town=yongxin, on_date=DAY) == Verdict.FINISH
    # a lead kept for the hall keeps the whole bundle there
    type(retirement.ui).objects.filter(pk=retirement.ui.pk).update(
        hall_only=True, hall_only_reason="须当面核对。"
    )
    catalogue_changed()
    entry = bundle_get(code="QJ-RETIRE", on_date=DAY).entry
    assert (
        bundle_verdict(bundle=entry, kind=PlaceKind.STATION, town=yongxin, on_date=DAY) == Verdict.HALL_ONLY
    )
    assert bundle_verdict(bundle=entry, kind=PlaceKind.HALL, town=yongxin, on_date=DAY) == Verdict.FINISH
    assert bundles_taken(kind=PlaceKind.STATION, town=yongxin, on_date=DAY) == []
    assert [o.code for o in bundles_taken(kind=PlaceKind.HALL, town=yongxin, on_date=DAY)] == ["QJ-RETIRE"]


def test_a_bundle_is_not_taken_in_another_bureaus_towns_nor_before_it_begins(retirement):
    entry = bundle_get(code="QJ-RETIRE", on_date=DAY).entry
    nantong = retirement.wansheng_resident.village.town
    assert bundle_verdict(bundle=entry, kind=PlaceKind.HALL, town=nantong, on_date=DAY) is None
    assert bundles_taken(kind=PlaceKind.STATION, town=nantong, on_date=DAY) == []
    before = datetime.date(2024, 6, 1)
    assert bundle_verdict(bundle=entry, kind=PlaceKind.HALL, town=retirement.yongxin, on_date=before) is None


def test_the_search_finds_a_bundle_by_its_words_pinyin_and_initials(retirement):
    for query in ("退休", "办退休", "tuixiu", "txyjs", "退休一件是"):
        assert [o.code for o in bundle_search(query=query, on_date=DAY)] == ["QJ-RETIRE"], query
    assert bundle_search(query="宅基地", on_date=DAY) == []


def test_bundles_are_read_from_the_held_copy_without_a_query(retirement, django_assert_num_queries):
    bundle_list(on_date=DAY)
    bundle_search(query="tuixiu", on_date=DAY)
    with django_assert_num_queries(0):
        assert [o.code for o in bundle_list(on_date=DAY)] == ["QJ-RETIRE"]
        assert bundle_search(query="txyjs", on_date=DAY)[0].code == "QJ-RETIRE"
        assert [o.code for o in bundles_with_items(codes={"HF-001"}, on_date=DAY)] == ["QJ-RETIRE"]
        assert bundles_with_items(codes={"LR-002"}, on_date=DAY) == []
