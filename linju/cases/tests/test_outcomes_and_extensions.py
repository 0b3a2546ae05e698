"""Papers that tell the truth, forwarding both ways, outcomes that reach the resident,
agents, extensions approved by a second person, and promised dates that follow a new holiday notice."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from linju.cases.models import Case, Extension
from linju.cases.selectors import case_list, case_public_status
from linju.cases.services import (
    Agent,
    AuthoriseNow,
    Outcome,
    allowed_actions,
    extension_ask,
    extension_decide,
    promised_dates_recompute,
)
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number

D = datetime.date
DAUGHTER = build_id_number("500222", D(1978, 9, 3), 21)


# papers ---------------------------------------------------------------------------------------------


def test_the_one_time_notice_exists_only_when_something_is_missing(served, client):
    client.force_login(served.cadre)
    complete = case_taken(served)
    assert client.get(reverse("cases:notice", args=[complete.number])).status_code == 404
    assert client.get(reverse("cases:notice-pdf", args=[complete.number])).status_code == 404
    page = client.get(reverse("cases:detail", args=[complete.number])).content.decode()
    assert reverse("cases:notice", args=[complete.number]) not in page
    missing = case_taken(served, materials_missing=["诊断证明"])
    notice = client.get(reverse("cases:notice", args=[missing.number])).content.decode()
    assert "诊断证明" in notice and "2026-11-25" in notice  # the list and the date, never blank
    assert client.get(reverse("cases:return-notice", args=[complete.number])).status_code == 404


def test_the_receipt_names_who_finishes_and_when(served, client):
    client.force_login(served.cadre)
    here = client.get(reverse("cases:receipt", args=[case_taken(served).number])).content.decode()
    assert "永新镇社保服务所" in here and "2026年12月2日" in here
    forwarded = case_taken(served, item="MD-005")
    there = client.get(reverse("cases:receipt", args=[forwarded.number])).content.decode()
    assert "綦江区人力社保局服务大厅" in there and "不用跑区里" in there


def test_materials_are_not_ticked_for_the_cadre(served, client):
    from linju.catalog.tests.factories import MaterialFactory

    MaterialFactory(item=served.ui, name="身份证", required=True)
    client.force_login(served.cadre)
    url = reverse("cases:new") + "?channel=counter&place=point:station-yx&item=UI-002"
    page = client.get(url).content.decode()
    assert 'value="received"' in page and "checked" not in page.split('name="material_0"')[1][:200]
    person = {
        "name": "代云峰",
        "id_number": served.dai.id_number,
        "phone": "",
        "village_code": served.jingshan.code,
        "texts_to_applicant": "on",
    }
    refused = client.post(url, person)
    assert refused.status_code == 400 and "已交、缺少还是不需要" in refused.content.decode()
    assert not Case.objects.exists()
    assert client.post(url, person | {"material_0": "received"}).status_code == 302
    assert Case.objects.get().materials_received == ["身份证"]


# forwarding both ways, and hand-over ------------------------------------------------------------------


def test_the_district_sends_a_case_back_for_a_paper_and_the_town_sends_it_again(
    served, django_capture_on_commit_callbacks
):
    case = case_taken(served, item="MD-005")  # forwarded the same day
    assert case.sent_to_district
    with django_capture_on_commit_callbacks(execute=True):
        case = case_moved(
            served, case, "send_back", actor=served.staff, missing=["诊断证明原件"], now=at(2026, 11, 26)
        )
    assert case.status == "suspended" and case.level == "town" and case.remaining_days == 6  # to 4 Dec
    assert "永新镇社保服务所" in OutboxMessage.objects.get(purpose="suspended").text
    assert list(case_list(viewer=served.staff, work_list="forwarded")) == []
    case = case_moved(served, case, "resume", now=at(2026, 11, 30))  # the cadre has the paper
    assert case.status == "forwarded" and case.level == "district"
    assert case.promised_date == D(2026, 12, 8)  # the 6 days left, from Monday 30 Nov
    with pytest.raises(DomainError):
        case_moved(
            served, case_taken(served), "send_back", actor=served.staff, missing=["x"]
        )  # never forwarded


def test_the_result_goes_back_to_the_station_for_hand_over(served, django_capture_on_commit_callbacks):
    case = case_taken(served, item="MD-005")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_moved(
            served,
            case,
            "finish",
            actor=served.staff,
            outcome=Outcome(kind="granted", detail="医疗救助 2,000 元", amount="2000", hand_over=True),
        )
    assert case.handover == "waiting" and case.outcome == "granted"
    assert list(case_list(viewer=served.cadre, work_list="handover")) == [case]
    text = OutboxMessage.objects.get(purpose="finished").text
    assert "予以办理" in text and "2,000.00元" in text and "永新镇社保服务所领取" in text
    assert allowed_actions(case, served.cadre) == ["hand_over"]
    case = case_moved(served, case, "hand_over")
    assert case.handover == "done" and case.handed_over_at and case.status == "finished"
    assert list(case_list(viewer=served.cadre, work_list="handover")) == []
    hall_case = case_taken(served, actor=served.staff, item="LR-002", service_point_code="hall-qj")
    with pytest.raises(DomainError):
        case_moved(
            served, hall_case, "finish", actor=served.staff, outcome=Outcome(kind="granted", hand_over=True)
        )


# outcomes ------------------------------------------------------------------------------------------


def test_finishing_records_the_outcome_and_a_refusal_says_why_and_how_to_appeal(
    served, client, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError) as no_outcome:
        case_moved(served, case_taken(served), "finish", outcome=None)
    assert no_outcome.value.field == "outcome"
    with pytest.raises(DomainError):
        case_moved(
            served, case_taken(served), "finish", outcome=Outcome(kind="refused", detail="不符合条件")
        )  # no rule
    with pytest.raises(DomainError):
        case_moved(served, case_taken(served), "finish", outcome=Outcome(kind="granted", amount="-5"))
    with pytest.raises(DomainError):
        case_moved(served, case_taken(served), "finish", outcome=Outcome(kind="granted", amount="abc"))
    case = case_taken(served)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_moved(
            served,
            case,
            "finish",
            outcome=Outcome(
                kind="refused",
                detail="离职原因为本人辞职,不能领取失业保险金",
                rule="《失业保险条例》第十四条",
            ),
        )
    text = OutboxMessage.objects.get(purpose="finished").text
    assert "未予办理" in text and "第十四条" in text and "60日" in text and "6个月" in text
    page = client.post(
        reverse("status"), {"number": case.number, "phone_last4": served.dai.phone[-4:]}
    ).content.decode()
    assert "不予办理" in page and "本人辞职" in page and "行政复议" in page and "行政诉讼" in page
    assert "永新镇社保服务所" in page  # the office that answered
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(outcome="")  # the database holds it too


def test_the_decision_is_a_pdf_or_a_photo_and_opening_it_is_audited(served, client):
    from linju.audit.models import AuditEvent

    big = SimpleUploadedFile("d.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "application/pdf")
    with pytest.raises(DomainError):
        case_moved(served, case_taken(served), "finish", outcome=Outcome(kind="granted", document=big))
    script = SimpleUploadedFile("d.pdf", b"<script>alert(1)</script>", "application/pdf")
    with pytest.raises(DomainError):
        case_moved(served, case_taken(served), "finish", outcome=Outcome(kind="granted", document=script))
    case = case_taken(served)
    client.force_login(served.cadre)
    response = client.post(
        reverse("cases:transition", args=[case.number]),
        {
            "action": "finish",
            "version": case.version,
            "outcome": "granted",
            "outcome_detail": "已核定",
            "document": SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision", "application/pdf"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "finished" and case.outcome_document.name.endswith(".pdf")
    before = AuditEvent.objects.count()
    opened = client.get(reverse("cases:decision", args=[case.number]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.count() == before + 1
    client.force_login(served.dongxi_cadre)
    assert client.get(reverse("cases:decision", args=[case.number])).status_code == 404


# agents ---------------------------------------------------------------------------------------------


def test_an_agent_is_recorded_texted_where_they_agree_and_may_look_the_case_up(
    served, client, django_capture_on_commit_callbacks
):
    agent = Agent(
        name="王芳",
        id_number=DAUGHTER,
        relation="child",
        phone="13900002222",
        texts=True,
        authorise=AuthoriseNow(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served, agent=agent)
    assert case.agent_name == "王芳" and case.masked_agent_id_number.endswith(DAUGHTER[-4:])
    assert {m.phone for m in OutboxMessage.objects.filter(purpose="accepted")} == {
        served.dai.phone,
        "13900002222",
    }
    assert case_public_status(number=case.number, phone_last4="2222") == case
    assert case_public_status(number=case.number, phone_last4=served.dai.phone[-4:]) == case
    with pytest.raises(NotFound):
        case_public_status(number=case.number, phone_last4="9999")
    client.force_login(served.cadre)
    receipt = client.get(reverse("cases:receipt", args=[case.number])).content.decode()
    assert "王芳" in receipt and "子女" in receipt and DAUGHTER not in receipt


def test_an_agent_who_did_not_agree_gets_no_text_and_bad_agents_are_refused(
    served, django_capture_on_commit_callbacks
):
    quiet = Agent(
        name="王芳", id_number=DAUGHTER, relation="child", phone="13900002222", authorise=AuthoriseNow()
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_taken(served, agent=quiet, texts_to_applicant=False)
    # neither agreed to the case's texts; the person is still told that an agent applied for them
    assert [(m.purpose, m.phone) for m in OutboxMessage.objects.all()] == [("agent_filed", served.dai.phone)]
    for bad, field in (
        (Agent(name="王芳", id_number="500222197809031234", relation="child"), "agent.id_number"),
        (Agent(name="王芳", id_number=DAUGHTER, relation="cousin"), "agent.relation"),
        (Agent(name="王芳", id_number=DAUGHTER, relation="child", phone="12345"), "agent.phone"),
        (Agent(name="王芳", id_number=DAUGHTER, relation="child", texts=True), "agent.phone"),
        (Agent(name=" ", id_number=DAUGHTER, relation="child"), "agent.name"),
        (Agent(name="代云峰", id_number=served.dai.id_number, relation="other"), "agent.id_number"),
    ):
        with pytest.raises(DomainError) as refused:
            case_taken(served, agent=bad)
        fields = {e.field for e in getattr(refused.value, "errors", [refused.value])} | {refused.value.field}
        assert field in fields, (bad, fields)


# extensions ------------------------------------------------------------------------------------------


def test_an_extension_needs_a_second_person(served, client, django_capture_on_commit_callbacks):
    case = case_taken(served)  # promised 2 Dec
    with pytest.raises(DomainError):
        extension_ask(actor=served.cadre, number=case.number, working_days=0, reason="x")
    with pytest.raises(DomainError):
        extension_ask(actor=served.cadre, number=case.number, working_days=3, reason="  ")
    asked = extension_ask(actor=served.cadre, number=case.number, working_days=3, reason="需外省协查社保记录")
    with pytest.raises(Conflict):
        extension_ask(actor=served.cadre, number=case.number, working_days=3, reason="again")
    with pytest.raises(PermissionDenied):
        extension_decide(actor=served.cadre, extension_id=asked.pk, approve=True)  # cadres do not approve
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.filter(pk=asked.pk).update(
            status="approved", decided_by=served.cadre, decided_at=at(2026, 11, 26)
        )  # the database refuses one person asking and approving
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(actor=served.leader, extension_id=asked.pk, approve=True, note="同意")
    case.refresh_from_db()
    assert case.promised_date == D(2026, 12, 7) and case.clock_days == 8
    assert "2026-12-07" in OutboxMessage.objects.get(purpose="extended").text
    assert list(case.events.values_list("action", flat=True))[-2:] == ["extend_ask", "extend"]
    with pytest.raises(Conflict):
        extension_decide(actor=served.staff, extension_id=asked.pk, approve=False)
    page = client.post(
        reverse("status"), {"number": case.number, "phone_last4": served.dai.phone[-4:]}
    ).content.decode()
    assert "延期 3 个工作日" in page and "外省协查" in page and "2026-12-07" in page


def test_the_same_person_cannot_approve_their_own_extension(served):
    case = case_taken(served, actor=served.staff, item="LR-002", service_point_code="hall-qj")
    asked = extension_ask(actor=served.staff, number=case.number, working_days=2, reason="等待鉴定结论")
    with pytest.raises(PermissionDenied) as refused:
        extension_decide(actor=served.staff, extension_id=asked.pk, approve=True)
    assert refused.value.code == "same_person"
    refused_ext = extension_decide(
        actor=served.admin, extension_id=asked.pk, approve=False, note="可按期办结"
    )
    assert refused_ext.status == "refused"
    case.refresh_from_db()
    assert case.promised_date == D(2026, 12, 2)


# the calendar ---------------------------------------------------------------------------------------


def test_a_new_years_holiday_notice_recomputes_estimated_promises(served, django_capture_on_commit_callbacks):
    from linju.workdays.services import holidays_import_csv

    case = case_taken(served, now=at(2026, 12, 28))  # 5 working days into 2027, a year not yet known
    assert case.promised_estimated and case.promised_date == D(2027, 1, 4)  # weekends only
    known = case_taken(served, now=at(2026, 11, 25))
    notice = io.StringIO(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n2027-01-05,holiday,元旦\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        holidays_import_csv(source=notice, note="国办发明电〔2026〕")
    case.refresh_from_db()
    # 29, 30, 31 Dec, then 1, 4, 5 Jan are holidays: 6 and 7 Jan
    assert not case.promised_estimated and case.promised_date == D(2027, 1, 7)
    event = case.events.get(action="redate")
    assert event.detail["previous_promise"] == "2027-01-04" and event.detail["promised_date"] == "2027-01-07"
    assert "2027-01-07" in OutboxMessage.objects.get(purpose="redated").text
    known.refresh_from_db()
    assert not known.events.filter(action="redate").exists()  # a promise that was not estimated stays
    assert promised_dates_recompute() == 0  # nothing left to change


def test_extensions_and_outcomes_over_the_api(served, client):
    from linju.accounts.tests.factories import bearer

    case = case_taken(served)
    other = case_taken(served)
    cadre = bearer(served.cadre)
    leader = bearer(served.leader)
    asked = client.post(
        f"/api/v1/cases/{case.number}/extensions",
        {"working_days": 2, "reason": "等待外省回函"},
        content_type="application/json",
        **cadre,
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    pk = asked.json()["id"]
    for bad in ({"working_days": 99, "reason": "x"}, {"working_days": 2}, ["x"]):
        response = client.post(
            f"/api/v1/cases/{other.number}/extensions", bad, content_type="application/json", **cadre
        )
        assert 400 <= response.status_code < 500
    wrong_case = client.post(
        f"/api/v1/cases/{other.number}/extensions/{pk}",
        {"approve": True},
        content_type="application/json",
        **leader,
    )
    assert wrong_case.status_code == 404
    approved = client.post(
        f"/api/v1/cases/{case.number}/extensions/{pk}",
        {"approve": True},
        content_type="application/json",
        **leader,
    )
    assert approved.status_code == 200 and approved.json()["decided_by"] == "qj_leader"
    finished = client.post(
        f"/api/v1/cases/{case.number}/transitions",
        {"action": "finish", "outcome": {"kind": "refused", "detail": "不符合条件", "rule": "第十四条"}},
        content_type="application/json",
        **cadre,
    )
    assert finished.status_code == 200 and finished.json()["outcome"] == "refused"
    assert finished.json()["finished_by"] == "永新镇社保服务所"
    no_outcome = client.post(
        f"/api/v1/cases/{other.number}/transitions",
        {"action": "finish"},
        content_type="application/json",
        **cadre,
    )
    assert no_outcome.status_code == 400 and Case.objects.get(pk=other.pk).status == "accepted"
    too_much = client.post(
        f"/api/v1/cases/{other.number}/transitions",
        {"action": "finish", "outcome": {"kind": "granted", "amount": "99999999"}},
        content_type="application/json",
        **cadre,
    )
    assert too_much.status_code in (400, 422) and Case.objects.get(pk=other.pk).status == "accepted"


def test_a_request_taken_offline_is_promised_from_the_moment_it_was_taken(served):
    """The field app sends `taken_at`: Friday 27 Nov at the booth, synced on Monday 30 Nov."""
    friday = at(2026, 11, 27, 9)
    case = case_taken(served, taken_at=friday, idempotency_key="field-1", now=at(2026, 11, 30, 18))
    assert case.accepted_at == friday and case.promised_date == D(2026, 12, 4)  # 5 days from Friday
    assert case.number.startswith("QJ-20261127-")
    with pytest.raises(DomainError) as too_old:
        case_taken(served, taken_at=at(2026, 11, 1), now=at(2026, 11, 30, 18))
    assert too_old.value.field == "taken_at"
    with pytest.raises(DomainError):
        case_taken(served, taken_at=at(2026, 12, 1), now=at(2026, 11, 30, 18))  # ahead of the clock
    with pytest.raises(DomainError):
        case_taken(
            served, taken_at=datetime.datetime(2026, 11, 27, 9), now=at(2026, 11, 30, 18)
        )  # no time zone
