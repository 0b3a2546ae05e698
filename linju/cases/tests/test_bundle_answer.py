"""A bundle case follows its parts: done when every part is, with one final notice and one text
listing each outcome; a partner's answer recorded when it comes back; a part's own answer sends no
text of its own."""

import decimal

from linju.cases.models import BundleCase, PartnerDispatch
from linju.cases.services import Intake, Outcome, bundle_accept_once, case_finish, case_return
from linju.conftest_world import at
from linju.notify.models import OutboxMessage

PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


def taken(world):
    intake = Intake(
        item_code="",
        channel="booth",
        applicant_id=world.dai.pk,
        market_code="market-shengping",
        materials_received=PAPERS,
        no_materials_reason="",
    )
    return bundle_accept_once(
        actor=world.cadre, code="retire", intake=intake, now=at(2026, 11, 25)
    ).bundle_case


def test_the_bundle_is_done_when_every_part_is_with_one_notice_and_one_text(
    retirement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bundle_case = taken(retirement)
    approval, pension, housing = bundle_case.parts.order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        case_finish(actor=retirement.staff, number=approval.number, outcome=Outcome(kind="granted"))
        case_finish(
            actor=retirement.cadre,
            number=pension.number,
            outcome=Outcome(kind="granted", amount=decimal.Decimal("3120.50"), period="自2026年12月起"),
        )
    bundle_case.refresh_from_db()
    assert bundle_case.status == "open" and bundle_case.closed_at is None  # one part still open
    assert not OutboxMessage.objects.filter(purpose__in=["finished", "bundle_finished"]).exists()
    # the housing fund answers: recorded on the part when it comes back
    with django_capture_on_commit_callbacks(execute=True):
        case_finish(
            actor=retirement.staff,
            number=housing.number,
            outcome=Outcome(kind="refused", detail="账户尚有未还贷款", rule="公积金提取管理办法第八条"),
            now=at(2026, 11, 30, 15),
        )
    bundle_case.refresh_from_db()
    assert bundle_case.status == "finished" and bundle_case.closed_at == at(2026, 11, 30, 15)
    dispatch = PartnerDispatch.objects.get(case=housing)
    assert dispatch.answer == "refused" and dispatch.answered_at == at(2026, 11, 30, 15)
    (text,) = OutboxMessage.objects.filter(purpose__in=["finished", "bundle_finished"])
    assert text.purpose == "bundle_finished" and text.reference == f"{bundle_case.number}@final"
    assert text.phone == "13912345678"
    for words in (
        "退休审批",
        "予以办理",
        "3,120.50",
        "住房公积金提取",
        "账户尚有未还贷款",
        bundle_case.number,
    ):
        assert words in text.text


def test_a_returned_part_is_an_answer_too(retirement, django_capture_on_commit_callbacks):
    bundle_case = taken(retirement)
    approval, pension, housing = bundle_case.parts.order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        case_return(actor=retirement.staff, number=approval.number, reason="未达法定退休年龄，请到龄后再申请")
        case_return(actor=retirement.cadre, number=pension.number, reason="须先办结退休审批")
        assert BundleCase.objects.get().status == "open"
        case_finish(actor=retirement.staff, number=housing.number, outcome=Outcome(kind="granted"))
    assert BundleCase.objects.get().status == "finished"
    assert not OutboxMessage.objects.filter(purpose="returned").exists()
    (text,) = OutboxMessage.objects.filter(purpose="bundle_finished")
    assert "未达法定退休年龄" in text.text
