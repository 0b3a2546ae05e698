"""一个电话社保干部就会前来: a phone request becomes a case and, for someone who cannot travel, a
home task for their town's cadre; the roster schedules a home certification in one step."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.services import Intake
from linju.core.errors import Conflict, DomainError
from linju.outreach.calendar_feed import staff_calendar
from linju.outreach.models import Certification, HomeTask, Pensioner
from linju.outreach.services import (
    PhoneRequest,
    home_certification_schedule,
    home_task_complete,
    phone_request_take,
)


def phone_intake(served, **fields):
    return Intake(
        item_code="UI-002",
        channel="phone",
        applicant_id=served.dai.pk,
        village_code=served.jingshan.code,
        **fields,
    )


def test_a_call_becomes_a_case_and_a_home_task_for_the_towns_cadre(served):
    visit = timezone.localdate() + datetime.timedelta(days=2)
    taken = phone_request_take(
        actor=served.staff,
        request=PhoneRequest(
            intake=phone_intake(served),
            caller="女儿 王芳 13900002222",
            cannot_travel=True,
            visit_date=visit,
            address="荆山村3组12号",
        ),
    )
    case, task = taken.case, taken.task
    assert case.channel == "phone" and case.town == served.yongxin and "王芳" in case.description
    assert task.assigned_to == served.cadre and task.due_date == visit and task.asked_via == "phone"
    assert task.case == case and task.item == served.ui and task.address == "荆山村3组12号"
    assert f"home-task-{task.pk}@linju" in staff_calendar(served.cadre).decode()
    done = home_task_complete(actor=served.cadre, task_id=task.pk, result="上门收取材料,已核定")
    assert done.status == "done"
    case.refresh_from_db()
    assert case.status == "finished" and case.outcome == "other" and "已核定" in case.outcome_detail


def test_a_call_without_a_visit_and_the_refusals(served):
    taken = phone_request_take(actor=served.cadre, request=PhoneRequest(intake=phone_intake(served)))
    assert taken.task is None and Case.objects.count() == 1
    with pytest.raises(DomainError):
        phone_request_take(
            actor=served.cadre, request=PhoneRequest(intake=phone_intake(served), cannot_travel=True)
        )
    too_far = timezone.localdate() + datetime.timedelta(days=200)
    with pytest.raises(DomainError):
        phone_request_take(
            actor=served.cadre,
            request=PhoneRequest(intake=phone_intake(served), cannot_travel=True, visit_date=too_far),
        )
    assert Case.objects.count() == 1  # the case and the task together, or neither


def test_the_phone_page(served, client):
    client.force_login(served.staff)
    assert client.get(reverse("cases:phone")).status_code == 200
    visit = timezone.localdate() + datetime.timedelta(days=3)
    form = {
        "caller_is_person": "on",
        "item": "MD-005",
        "name": served.dai.name,
        "id_number": served.dai.id_number,
        "phone": served.dai.phone,
        "village_code": served.jingshan.code,
        "address": "荆山村3组",
        "cannot_travel": "on",
        "task_kind": "medical_help",
        "visit_date": visit.isoformat(),
    }
    response = client.post(reverse("cases:phone"), form)
    assert response.status_code == 302 and "/receipt/" in response["Location"]
    task = HomeTask.objects.get()
    assert task.kind == "medical_help" and task.assigned_to == served.cadre
    bad = client.post(reverse("cases:phone"), form | {"id_number": "123"})
    assert bad.status_code == 400 and HomeTask.objects.count() == 1
    client.force_login(served.leader)
    assert client.get(reverse("cases:phone")).status_code == 403


def test_the_roster_schedules_a_home_certification_in_one_step(served, client):
    year = timezone.localdate().year
    pensioner = Pensioner.objects.create(bureau_id=served.dai.bureau_id, resident=served.dai)
    visit = timezone.localdate() + datetime.timedelta(days=5)
    client.force_login(served.staff)
    response = client.post(
        reverse("outreach:home-visit", args=[pensioner.pk]),
        {"visit_date": visit.isoformat(), "year": year, "village": served.jingshan.code},
    )
    assert response.status_code == 302
    pensioner.refresh_from_db()
    task = HomeTask.objects.get(resident=served.dai)
    assert pensioner.cannot_travel and task.kind == "certification" and task.certification_year == year
    assert task.assigned_to == served.cadre and task.due_date == visit
    assert (
        home_certification_schedule(
            actor=served.staff, pensioner_id=pensioner.pk, year=year, visit_date=visit
        )
        == task
    )  # pressed twice: the same task
    roster = client.get(reverse("outreach:roster"), {"year": year, "village": served.jingshan.code})
    assert visit.isoformat() in roster.content.decode()
    home_task_complete(actor=served.cadre, task_id=task.pk, result="指纹认证通过")
    assert Certification.objects.get(pensioner=pensioner, year=year).method == "home_visit"
    with pytest.raises(Conflict):
        home_certification_schedule(
            actor=served.staff, pensioner_id=pensioner.pk, year=year, visit_date=visit
        )


def test_a_consultation_sent_twice_by_the_field_app_is_logged_once(served):
    from linju.outreach.models import BoothSession, Consultation
    from linju.outreach.services import consultation_log

    booth = BoothSession.objects.create(market=served.market, date=timezone.localdate(), status="planned")
    booth.staff.add(served.cadre)
    moment = timezone.now() - datetime.timedelta(hours=3)
    first = consultation_log(
        actor=served.cadre, booth_id=booth.pk, item_code="UI-002", idempotency_key="field-c1", taken_at=moment
    )
    again = consultation_log(
        actor=served.cadre, booth_id=booth.pk, item_code="UI-002", idempotency_key="field-c1", taken_at=moment
    )
    assert first.pk == again.pk and Consultation.objects.count() == 1 and first.created_at == moment
    with pytest.raises(DomainError):
        consultation_log(
            actor=served.cadre,
            booth_id=booth.pk,
            item_code="UI-002",
            idempotency_key="field-c2",
            taken_at=timezone.now() - datetime.timedelta(days=30),
        )


def test_a_home_tasks_result_sent_twice_is_recorded_once(served):
    task = HomeTask.objects.create(
        bureau_id=served.dai.bureau_id,
        kind="other",
        resident=served.dai,
        asked_via="phone",
        due_date=timezone.localdate(),
        assigned_to=served.cadre,
    )
    first = home_task_complete(actor=served.cadre, task_id=task.pk, result="已办")
    again = home_task_complete(actor=served.cadre, task_id=task.pk, result="已办")
    assert first.pk == again.pk and again.status == "done"
    with pytest.raises(Conflict):
        home_task_complete(actor=served.cadre, task_id=task.pk, result="另一个结果")
    other = HomeTask.objects.create(
        bureau_id=served.dai.bureau_id,
        kind="other",
        resident=served.dai,
        asked_via="phone",
        due_date=timezone.localdate(),
        assigned_to=served.cadre,
    )
    with pytest.raises(DomainError):
        home_task_complete(
            actor=served.cadre,
            task_id=other.pk,
            result="x",
            done_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_a_visit_sent_twice_by_the_field_app_is_recorded_once(served):
    from linju.outreach.models import VisitRecord
    from linju.outreach.services import visit_record

    values = {
        "actor": served.cadre,
        "village_code": served.jingshan.code,
        "day": timezone.localdate(),
        "cadre_ids": [],
    }
    first = visit_record(**values, households_met=5, idempotency_key="field-v1")
    again = visit_record(**values, households_met=5, idempotency_key="field-v1")
    assert first.pk == again.pk and VisitRecord.objects.count() == 1
    with pytest.raises(DomainError):
        visit_record(**values, households_met=40000, idempotency_key="field-v2")
