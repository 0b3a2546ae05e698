"""Taking a bundle (一件事): one bundle case, one number, a part per item on its own clock, a
partner's part sent with its papers, 补正 pausing only its part, one text at intake, and the
database keeping a part to one bundle case."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from linju.cases.models import BundleCase, Case, PartnerDispatch
from linju.cases.services import Intake, NewPerson, bundle_accept_once, case_accept, case_resume
from linju.catalog.selectors import catalogue_changed
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, NotFound
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number

D = datetime.date
PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


def taken(world, *, missing=(), key="", now=None, **extra):
    fields = {
        "item_code": "",
        "channel": "booth",
        "applicant_id": world.dai.pk,
        "market_code": "market-shengping",
        "materials_received": [p for p in PAPERS if p not in missing],
        "materials_missing": list(missing),
        "idempotency_key": key,
        "no_materials_reason": "",
    } | extra
    return bundle_accept_once(
        actor=world.cadre, code="retire", intake=Intake(**fields), now=now or at(2026, 11, 25)
    )


def test_a_bundle_taken_at_a_booth_gives_one_number_and_a_part_per_item(
    retirement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = taken(retirement)
    bundle_case = accepted.bundle_case
    assert accepted.created and bundle_case.number == "QJ-20261125-0001"
    assert bundle_case.status == "open" and bundle_case.taken_at_market == retirement.market
    approval, pension, housing = bundle_case.parts.order_by("id")
    assert [p.number for p in (approval, pension, housing)] == [f"QJ-20261125-0001-{n}" for n in (1, 2, 3)]
    # each part on its own clock: working days after Wed 25 Nov 2026
    assert (approval.item, approval.status, approval.level) == (retirement.approval, "forwarded", "district")
    assert approval.promised_date == D(2026, 12, 9)  # 10 working days: the district finishes it
    assert (pension.status, pension.level, pension.promised_date) == ("accepted", "town", D(2026, 12, 2))
    assert (housing.status, housing.promised_date) == ("forwarded", D(2026, 12, 1))  # 3 days + 1 to get there
    # each part holds the papers its item asks for
    assert approval.materials_received == ["居民身份证", "户口簿"]
    assert housing.materials_received == ["居民身份证", "公积金联名卡"]
    # the partner's part is sent to its office with its papers (送达), once
    dispatch = PartnerDispatch.objects.get()
    assert dispatch.case == housing and dispatch.partner == retirement.fund_office
    assert dispatch.papers == ["居民身份证", "公积金联名卡"] and dispatch.delivery == "courier"
    assert dispatch.sent_to == "綦江区文龙街道公积金中心收件窗口" and dispatch.answered_at is None
    # one text for the whole bundle, none for each part; the next number is the next case's
    (text,) = OutboxMessage.objects.all()
    assert text.purpose == "bundle_accepted" and "QJ-20261125-0001" in text.text and "退休一件事" in text.text
    assert "3" in text.text and "2026-12-09" in text.text
    assert (
        case_accept(
            actor=retirement.cadre,
            intake=Intake(
                item_code="UI-002",
                channel="counter",
                applicant_id=retirement.dai.pk,
                service_point_code="station-yx",
            ),
            now=at(2026, 11, 25, 11),
        ).number
        == "QJ-20261125-0002"
    )


def test_a_missing_paper_pauses_only_the_parts_that_need_it(retirement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bundle_case = taken(retirement, missing=["公积金联名卡"]).bundle_case
    approval, pension, housing = bundle_case.parts.order_by("id")
    assert housing.status == "suspended" and housing.materials_missing == ["公积金联名卡"]
    assert housing.remaining_days == 4 and housing.suspended_on == D(2026, 11, 25)
    assert approval.status == "forwarded" and pension.status == "accepted"  # their clocks run
    assert not PartnerDispatch.objects.exists()  # nothing is sent to the office without its papers
    purposes = sorted(OutboxMessage.objects.values_list("purpose", flat=True))
    assert purposes == ["bundle_accepted", "suspended"]
    assert "公积金联名卡" in OutboxMessage.objects.get(purpose="suspended").text
    # brought on Monday: the part runs again and goes to the office with its papers, that day
    resumed = case_resume(actor=retirement.cadre, number=housing.number, now=at(2026, 11, 30))
    assert resumed.status == "forwarded" and resumed.promised_date == D(2026, 12, 4)
    dispatch = PartnerDispatch.objects.get(case=housing)
    assert dispatch.papers == ["居民身份证", "公积金联名卡"]
    assert BundleCase.objects.get().status == "open"


def test_the_same_key_gives_back_the_same_bundle_case(retirement):
    first = taken(retirement, key="tablet-77")
    again = taken(retirement, key="tablet-77")
    assert not again.created and again.bundle_case.number == first.bundle_case.number
    assert BundleCase.objects.count() == 1 and Case.objects.count() == 3


def test_a_key_of_a_single_case_is_not_taken_again_for_a_bundle(retirement):
    case_accept(
        actor=retirement.cadre,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            applicant_id=retirement.dai.pk,
            service_point_code="station-yx",
            idempotency_key="tablet-9",
        ),
        now=at(2026, 11, 25),
    )
    with pytest.raises(Conflict) as refused:
        taken(retirement, key="tablet-9")
    assert refused.value.code == "key_reused" and not BundleCase.objects.exists()


def test_a_new_person_is_registered_once_for_every_part(retirement):
    number = build_id_number("500222", D(1966, 3, 3), 17)
    person = NewPerson(name="蒋大明", id_number=number, phone="13600001111", village_code="500110113225")
    bundle_case = taken(retirement, applicant_id=None, person=person).bundle_case
    assert {p.applicant_id for p in bundle_case.parts.all()} == {bundle_case.applicant_id}
    assert bundle_case.applicant.name == "蒋大明" and bundle_case.applicant_phone == "13600001111"


def test_an_unknown_or_foreign_bundle_is_refused_in_words(retirement):
    with pytest.raises(NotFound) as unknown:
        bundle_accept_once(
            actor=retirement.cadre,
            code="nope",
            intake=Intake(item_code="", channel="booth", market_code="market-shengping"),
        )
    assert "nope" in unknown.value.text()
    with pytest.raises(NotFound):  # another bureau's staff do not take 綦江's bundle
        bundle_accept_once(
            actor=retirement.ws_staff, code="retire", intake=Intake(item_code="", channel="counter")
        )


def test_a_channel_a_part_does_not_take_refuses_the_bundle(retirement):
    """In person every channel takes every item; by phone or online only those the item lists."""
    retirement.housing.channels = ["counter", "booth"]
    retirement.housing.save()
    catalogue_changed()
    with pytest.raises(DomainError) as refused:
        taken(retirement, channel="phone", market_code="")
    assert "住房公积金提取" in refused.value.text() and not BundleCase.objects.exists()


def test_a_part_belongs_to_one_bundle_case_and_once(retirement):
    bundle_case = taken(retirement).bundle_case
    part = bundle_case.parts.order_by("id").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=part.pk).update(idempotency_key="mine")  # a part holds no key of its own
    twin = bundle_case.parts.order_by("id")[1]
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=twin.pk).update(item=part.item)  # one part per item of the bundle
    with pytest.raises(IntegrityError), transaction.atomic():
        BundleCase.objects.filter(pk=bundle_case.pk).update(status="finished")  # finished says when
