"""退休一件事 at a market booth, with no signal, on a phone (360 × 640), on SQLite and PostgreSQL: the
cadre picks the bundle, marks its one set of papers and takes it; the phone shows every part with its
own date; back online it arrives once, as one bundle case with one number and a part per item, the
housing fund's part sent with its papers; the receipt lists every part with its date and office; when
every part is answered the resident gets one text, and the status page speaks of the bundle first."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from e2e.conftest import log_in, server_paused
from e2e.test_field_app import open_field, pending, sent_all
from linju.accounts.models import User
from linju.cases.models import BundleCase, Case, PartnerDispatch
from linju.cases.services import Outcome, case_finish
from linju.catalog.bundles import bundles_changed
from linju.catalog.models import (
    Bundle,
    BundlePart,
    BundleVersion,
    Category,
    Material,
    PartnerOffice,
    ServiceItem,
)
from linju.catalog.selectors import catalogue_changed
from linju.geo.models import Town
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHANNELS = ["counter", "booth", "phone", "online", "home_visit"]


def retirement_bundle() -> Bundle:
    """退休一件事 as an administrator would make it: two of the bureau's items and the housing fund's."""
    bureau = Town.objects.get(name="永新镇").bureau
    category = Category.objects.get(code="pension")
    items = []
    for code, name, days, papers in [
        ("RT-901", "退休审批", 10, ["居民身份证原件", "户口簿"]),
        ("RT-902", "基本养老金申领", 5, ["居民身份证原件", "本人社保卡或银行账户"]),
        ("HF-901", "住房公积金提取", 3, ["居民身份证原件", "公积金联名卡"]),
    ]:
        item = ServiceItem.objects.create(
            code=code,
            category=category,
            name=name,
            description=name,
            eligibility="到达法定退休年龄的参保人员。",
            time_limit_days=days,
            channels=CHANNELS,
            is_example=True,
        )
        for n, paper in enumerate(papers):
            Material.objects.create(item=item, name=paper, position=n)
        items.append(item)
    office = PartnerOffice.objects.create(
        bureau=bureau,
        code="hf-qj-e2e",
        name="綦江住房公积金管理中心（示例）",
        department="housing_fund",
        phone="023-48600000",
        address="綦江区文龙街道",
        delivery=PartnerOffice.Delivery.COURIER,
        delivery_address="綦江区文龙街道公积金中心收件窗口",
        delivery_days=1,
        is_synthetic=True,
    )
    bundle = Bundle.objects.create(
        bureau=bureau,
        code="retire-e2e",
        name="退休一件事",
        name_en="Retiring, in one application",
        description="退休审批、养老金申领和公积金提取,一次申请。",
        is_example=True,
    )
    version = BundleVersion.objects.create(bundle=bundle, valid_from=datetime.date(2025, 1, 1))
    for n, item in enumerate(items):
        BundlePart.objects.create(
            version=version,
            item=item,
            is_lead=n == 0,
            position=n,
            partner=office if item.code == "HF-901" else None,
        )
    catalogue_changed()
    bundles_changed()
    return bundle


def test_a_retirement_bundle_taken_offline_at_a_booth_gives_one_number_and_one_answer(
    demo, live_server, page, screenshot
):
    url = live_server.url
    retirement_bundle()
    before = set(BundleCase.objects.values_list("pk", flat=True))  # the demo's own bundle cases

    def taken():
        return BundleCase.objects.exclude(pk__in=before)

    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    page.context.set_offline(True)
    page.select_option("#f-place", label="永新镇 · 升平片场")
    page.select_option("#f-item", "bundle:retire-e2e")
    assert "退休一件事" in page.inner_text("#f-item")
    papers = page.eval_on_selector_all(
        "#f-materials input[name=material]", "boxes => boxes.map(b => b.value)"
    )
    assert papers == ["居民身份证原件", "户口簿", "本人社保卡或银行账户", "公积金联名卡"]  # each asked once
    promise = page.inner_text("#f-promise")
    assert (
        "退休审批" in promise and "住房公积金提取" in promise and "綦江住房公积金管理中心（示例）" in promise
    )
    page.fill("#f-name", "蒋大明")
    page.fill("#f-id", build_id_number("500222", datetime.date(1965, 3, 3), 17))
    page.fill("#f-phone", "13600001111")
    page.select_option("#f-village", label="永新镇 · 荆山村")
    for box in page.query_selector_all("#f-materials input[name=material]"):
        box.check()
    page.click("#intake button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    offline = page.inner_text("#receipt-body")
    assert "退休审批" in offline and "基本养老金申领" in offline and "住房公积金提取" in offline
    promised_offline = re.findall(r"\d{4}-\d{2}-\d{2}", offline.split("退休审批", 1)[1])
    screenshot("bundle-offline-receipt")
    page.reload()  # still offline: the app and its queue are on the phone
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    with server_paused():
        assert not taken().exists()

    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    assert pending(page) == 0
    with server_paused():
        bundle_case = taken().get()
        parts = list(bundle_case.parts.order_by("id"))
        dispatch = PartnerDispatch.objects.get(case__bundle=bundle_case)
    assert [p.number for p in parts] == [f"{bundle_case.number}-{n}" for n in (1, 2, 3)]
    assert bundle_case.idempotency_key.startswith("field-") and bundle_case.channel == "booth"
    assert [p.promised_date.isoformat() for p in parts] == promised_offline[:3]
    assert dispatch.case == parts[2] and dispatch.papers == ["居民身份证原件", "公积金联名卡"]
    # the phone's list of what was sent gives the bundle's one number
    page.wait_for_function(
        f"() => document.querySelector('#sent-list').textContent.includes('{bundle_case.number}')"
    )
    screenshot("bundle-sent")

    # the receipt a cadre prints: every part with its date and the office that finishes it
    page.goto(url + reverse("cases:bundle-receipt", args=[bundle_case.number]))
    receipt = page.inner_text("article.paper")
    for part in parts:
        assert part.number in receipt and part.promised_date.strftime("%Y-%m-%d") in receipt
    for office in ("綦江区人力社保局服务大厅", "永新镇社保服务所", "綦江住房公积金管理中心（示例）"):
        assert office in receipt
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot("bundle-receipt")

    # every part answered, the housing fund's recorded when it came back: one text to the resident
    staff = User.objects.get(username="qj_staff")
    with server_paused():
        for part, outcome in zip(
            parts,
            [
                Outcome(kind="granted"),
                Outcome(kind="granted"),
                Outcome(kind="refused", detail="账户尚有未还贷款", rule="公积金提取管理办法第八条"),
            ],
            strict=True,
        ):
            case_finish(actor=staff, number=part.number, outcome=outcome, now=timezone.now())
        texts = list(OutboxMessage.objects.filter(phone="13600001111").order_by("id"))
        assert [t.purpose for t in texts] == ["bundle_accepted", "bundle_finished"]
        assert taken().get().status == "finished"
        assert Case.objects.filter(bundle=bundle_case, status="finished").count() == 3

    page.context.clear_cookies()
    page.goto(url + reverse("status") + f"?number={bundle_case.number}")
    page.fill("#id_phone_last4", "1111")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("ol.parts")
    status = page.inner_text("main")
    assert status.index("退休一件事") < status.index("退休审批") < status.index("住房公积金提取")
    assert "账户尚有未还贷款" in status and "蒋大明" not in status
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot("bundle-status")
