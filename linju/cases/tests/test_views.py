import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from linju.cases.models import Case
from linju.cases.services import Outcome, case_transition
from linju.cases.tests.factories import case_at_booth
from linju.catalog.tests.factories import MaterialFactory
from linju.conftest_world import at


@pytest.fixture
def case(served):
    return case_at_booth(served, materials_received=["身份证"], now=at(2026, 11, 25))


@pytest.fixture
def cadre_client(client, served):
    client.force_login(served.cadre)
    return client


def test_intake_in_two_steps(cadre_client, served):
    MaterialFactory(item=served.ui, name="居民身份证原件")
    step1 = cadre_client.get(reverse("cases:new"))
    assert "升平片场" in step1.content.decode()
    query = "?item=UI-002&channel=booth&place=market:market-shengping"
    step2 = cadre_client.get(reverse("cases:new") + query)
    assert 'name="id_number"' in step2.content.decode()
    form = {
        "name": served.dai.name,
        "id_number": served.dai.id_number,
        "phone": "",
        "village_code": "500110113225",
        "material_0": "missing",
        "idempotency_key": "form-1",
    }
    response = cadre_client.post(reverse("cases:new") + query, form)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{case.number}/receipt/")
    assert case.status == "suspended" and case.materials_missing == ["居民身份证原件"]
    again = cadre_client.post(reverse("cases:new") + query, form)
    assert again.status_code == 302 and Case.objects.count() == 1  # a double tap makes one case


def test_intake_shows_errors_in_chinese(cadre_client, served):
    query = "?item=UI-002&channel=booth&place=market:market-shengping"
    response = cadre_client.post(
        reverse("cases:new") + query, {"name": "张三", "id_number": "123", "village_code": "500110113225"}
    )
    assert response.status_code == 400
    assert "身份证号应为 18 位" in response.content.decode()


def test_transition_form_and_stale_version(cadre_client, case):
    url = reverse("cases:transition", args=[case.number])
    cadre_client.post(url, {"action": "start", "version": 1})
    response = cadre_client.post(url, {"action": "suspend", "version": 1, "missing": "诊断证明"}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "in_progress"


def test_other_town_case_page_is_404(client, served, case):
    client.force_login(served.dongxi_cadre)
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
    assert client.get(reverse("cases:receipt-pdf", args=[case.number])).status_code == 404


def test_work_lists_and_counts(cadre_client, case):
    Case.objects.filter(pk=case.pk).update(promised_date=at(2026, 11, 1).date())
    html = cadre_client.get(reverse("cases:list"), {"list": "overdue"}).content.decode()
    assert case.number in html
    assert "已超期 1" in cadre_client.get(reverse("staff-home")).content.decode()


@pytest.mark.parametrize("paper", ["receipt", "notice", "return-notice"])
def test_papers_as_pdf_with_embedded_cjk_font(cadre_client, served, case, paper):
    case_transition(
        actor=served.cadre,
        number=case.number,
        action="suspend",
        missing=["诊断证明", "费用预估单"],
        now=at(2026, 11, 26),
    )
    case_transition(
        actor=served.cadre,
        number=case.number,
        action="return",
        reason="不符合申领条件,可先办理失业登记",
        now=at(2026, 11, 27),
    )
    page = cadre_client.get(reverse(f"cases:{paper}", args=[case.number]))  # was a 500 for the return notice
    assert page.status_code == 200
    assert reverse(f"cases:{paper}-pdf", args=[case.number]) in page.content.decode()
    response = cadre_client.get(reverse(f"cases:{paper}-pdf", args=[case.number]))
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert case.number in text
    expected = {"receipt": "受理回执", "notice": "费用预估单", "return-notice": "不符合申领条件"}[paper]
    assert expected in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_status_page_shows_the_timeline_without_personal_data(client, served, case):
    response = client.post(reverse("status"), {"number": case.number, "phone_last4": served.dai.phone[-4:]})
    html = response.content.decode()
    assert response.status_code == 200 and case.number in html and "已受理" in html
    assert served.dai.name not in html and served.dai.phone not in html


def test_status_page_same_answer_for_wrong_number_and_wrong_phone(client, served, case):
    wrong_phone = client.post(reverse("status"), {"number": case.number, "phone_last4": "0000"})
    wrong_number = client.post(
        reverse("status"), {"number": "20991231-9999", "phone_last4": served.dai.phone[-4:]}
    )
    assert wrong_phone.status_code == wrong_number.status_code == 404

    def alert(response):
        return re.search(r'<p class="error" role="alert">(.*?)</p>', response.content.decode()).group(1)

    assert alert(wrong_phone) == alert(wrong_number) == "受理号和手机号不匹配,请核对后再试。"


def test_status_page_is_rate_limited(client, served, case, settings):
    settings.STATUS_LOOKUP_RATE = "3/m"
    for _ in range(3):
        client.post(reverse("status"), {"number": case.number, "phone_last4": "0000"})
    response = client.post(reverse("status"), {"number": case.number, "phone_last4": served.dai.phone[-4:]})
    assert response.status_code == 429


def test_resident_rates_a_finished_case_once(client, served, case):
    case_transition(
        actor=served.cadre,
        number=case.number,
        action="finish",
        now=at(2026, 11, 26),
        outcome=Outcome(kind="granted", amount="1860", period="2026年12月至2027年5月"),
    )
    last4 = served.dai.phone[-4:]
    page = client.post(reverse("status"), {"number": case.number, "phone_last4": last4}).content.decode()
    assert "非常满意" in page
    assert "予以办理" in page and "1860.00 元" in page and "2026年12月至2027年5月" in page  # the outcome
    response = client.post(
        reverse("status-rate"), {"number": case.number, "phone_last4": last4, "level": 5, "comment": "很方便"}
    )
    assert "谢谢您的评价" in response.content.decode()
    again = client.post(reverse("status-rate"), {"number": case.number, "phone_last4": last4, "level": 1})
    assert again.status_code == 409
    assert Case.objects.get(pk=case.pk).rating.level == 5


def test_leaders_may_not_export_case_lists(client, served):
    """A case list names residents: only staff who handle requests take it out (masked, audited)."""
    client.force_login(served.leader)
    assert client.post("/staff/cases/export/", {"list": "overdue"}).status_code == 403
    client.force_login(served.cadre)
    from linju.audit.tests.exports import exported

    content = exported(client, client.post("/staff/cases/export/", {"list": "overdue"}))
    assert content.startswith(b"PK")  # a workbook, built by the worker and kept in the storage


def test_a_paper_is_rendered_once_per_content(cadre_client, served, case, monkeypatch, max_queries):
    """The second request serves the stored PDF; a step that changes what the paper says makes a new
    one and the older one leaves the storage; a step that does not, does not."""
    from django.core.files.storage import default_storage

    from linju.core import pdf

    rendered = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: rendered.append(1) or real(html, **kw))
    receipt = reverse("cases:receipt-pdf", args=[case.number])
    first = cadre_client.get(receipt).content
    with max_queries(9):  # session, user, case, its events for the HTML, place, audit record…; no PDF work
        second = cadre_client.get(receipt).content
    assert first == second and len(rendered) == 1

    case_transition(actor=served.cadre, number=case.number, action="start", now=at(2026, 11, 26))
    assert cadre_client.get(receipt).content == first and len(rendered) == 1  # the receipt says the same

    notice = reverse("cases:notice-pdf", args=[case.number])
    case_transition(actor=served.cadre, number=case.number, action="suspend", missing=["诊断证明"])
    before = cadre_client.get(notice).content
    folder = f"papers/cases/{case.number}/notice"
    assert len(rendered) == 2 and len(default_storage.listdir(folder)[1]) == 1
    case_transition(actor=served.cadre, number=case.number, action="resume")
    case_transition(actor=served.cadre, number=case.number, action="suspend", missing=["费用预估单"])
    after = cadre_client.get(notice).content
    assert len(rendered) == 3 and after != before
    assert "费用预估单" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(after)).pages)
    assert len(default_storage.listdir(folder)[1]) == 1  # the earlier notice is gone


def test_ten_wrong_tries_pause_a_cases_look_up_whoever_asks(client, served, case, settings):
    """Counted per case in the shared cache: a second address (or worker) does not start afresh, and
    even the right phone ending waits."""
    from linju.cases.services import STATUS_WRONG_TRIES

    settings.STATUS_LOOKUP_RATE = "1000/m"
    for i in range(STATUS_WRONG_TRIES):
        wrong = client.post(
            reverse("status"), {"number": case.number, "phone_last4": f"{i:04d}"}, REMOTE_ADDR=f"10.0.0.{i}"
        )
        assert wrong.status_code == 404
    right = client.post(
        reverse("status"),
        {"number": case.number, "phone_last4": served.dai.phone[-4:]},
        REMOTE_ADDR="10.9.9.9",
    )
    assert right.status_code == 429 and "查询已暂停一小时" in right.content.decode()
    assert served.dai.name not in right.content.decode()


def test_opening_a_case_is_recorded_like_a_resident_record(cadre_client, served, case, client):
    """Its page, each paper and its API record name a person: each opening is in the audit log; a case
    of another town is the same 404 and records nothing."""
    from linju.accounts.tests.factories import bearer
    from linju.audit.models import AuditEvent

    for name in ("cases:detail", "cases:receipt", "cases:receipt-pdf"):
        assert cadre_client.get(reverse(name, args=[case.number])).status_code == 200
    assert client.get(f"/api/v1/cases/{case.number}", **bearer(served.cadre)).status_code == 200
    events = AuditEvent.objects.filter(object_type="case", object_id=case.number)
    assert sorted(e.detail["what"] for e in events) == ["api", "page", "receipt", "receipt"]
    assert all(e.actor == served.cadre and served.dai.id_number not in e.object_label for e in events)
    cadre_client.force_login(served.dongxi_cadre)
    assert cadre_client.get(reverse("cases:detail", args=[case.number])).status_code == 404
    assert events.count() == 4


def test_the_status_look_up_asks_for_digits_on_the_digit_keypad(client, db):
    page = client.get(reverse("status")).content.decode()
    last4 = page.split('name="phone_last4"', 1)[1].split(">", 1)[0]
    stop = page.split('id="id_stop_phone"', 1)[1].split(">", 1)[0]
    assert 'inputmode="numeric"' in last4 and 'inputmode="numeric"' in stop and 'type="tel"' in stop
