"""Certification by data: a pensioner with at least one sign of life dated inside the year counts as
certified without doing anything; the rest stay on the roster and get the home visits."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from linju.access.capabilities import CAPABILITIES
from linju.core.errors import DomainError, PermissionDenied
from linju.outreach.models import (
    BoothSession,
    Certification,
    CertificationRun,
    Consultation,
    HomeTask,
    VisitNeed,
    VisitRecord,
)
from linju.outreach.selectors import certification_roster, certified_how
from linju.outreach.services import (
    certification_by_data_run,
    certification_home_tasks,
    pensioner_certify,
)
from linju.outreach.tasks import certify_pensioners_by_data
from linju.people.tests.factories import ResidentFactory

from .factories import PensionerFactory, SignOfLifeFactory

D = datetime.date
YEAR = 2025


@pytest.fixture
def liu(served):
    """A pensioner of 荆山村 (永新镇), not yet certified."""
    return PensionerFactory(resident=ResidentFactory(name="刘婆婆", village=served.jingshan))


def test_a_sign_inside_the_year_certifies_by_data_and_names_the_sign(served, liu):
    SignOfLifeFactory(resident=liu.resident, kind="bank", date=D(YEAR, 3, 1), source_note="农商行")
    SignOfLifeFactory(resident=liu.resident, kind="medical", date=D(YEAR, 5, 3), is_synthetic=True)
    run = certification_by_data_run(actor=served.staff, year=YEAR, today=D(YEAR, 6, 1))
    c = Certification.objects.get(pensioner=liu, year=YEAR)
    assert (c.method, c.sign_kind, c.sign_on, c.sign_source, c.sign_synthetic) == (
        "data",
        "medical",  # the latest sign
        D(YEAR, 5, 3),
        "医保结算系统",
        True,
    )
    assert (c.run, c.certified_by, c.certified_on) == (run, served.staff, D(YEAR, 6, 1))
    assert (run.started_by, run.pensioners_checked, run.certified) == (served.staff, 1, 1)
    assert (run.period_start, run.period_end) == (D(YEAR, 1, 1), D(YEAR, 12, 31))


@pytest.mark.parametrize("day", [D(YEAR - 1, 12, 31), D(YEAR + 1, 1, 1)])
def test_a_sign_outside_the_year_certifies_nothing(served, liu, day):
    SignOfLifeFactory(resident=liu.resident, date=day)
    assert certification_by_data_run(actor=served.staff, year=YEAR).certified == 0
    assert not Certification.objects.exists()


def test_a_sign_dated_after_today_is_a_mistake_and_certifies_nothing(served, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 8, 1))
    assert certification_by_data_run(actor=served.staff, year=YEAR, today=D(YEAR, 7, 31)).certified == 0
    assert certification_by_data_run(actor=served.staff, year=YEAR, today=D(YEAR, 8, 1)).certified == 1


def test_the_period_may_be_narrowed_and_a_sign_outside_it_does_not_count(served, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 2, 1))
    run = certification_by_data_run(actor=served.staff, year=YEAR, start=D(YEAR, 6, 1), end=D(YEAR, 12, 31))
    assert run.certified == 0
    with pytest.raises(DomainError):  # backwards, or longer than a year
        certification_by_data_run(actor=served.staff, year=YEAR, start=D(YEAR, 6, 1), end=D(YEAR, 5, 1))
    with pytest.raises(DomainError):
        certification_by_data_run(actor=served.staff, year=YEAR, start=D(YEAR - 1, 1, 1), end=D(YEAR, 12, 31))


def test_a_resident_who_is_not_a_pensioner_is_never_certified(served):
    SignOfLifeFactory(resident=served.dai, date=D(YEAR, 5, 3))
    assert certification_by_data_run(actor=served.staff, year=YEAR).certified == 0
    assert not Certification.objects.exists()


def test_a_pensioner_certified_in_person_keeps_that_certification(served, liu):
    pensioner_certify(actor=served.cadre, pensioner_id=liu.pk, year=YEAR, method="station")
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3))
    run = certification_by_data_run(actor=served.staff, year=YEAR)
    assert (run.pensioners_checked, run.certified) == (0, 0)
    c = Certification.objects.get(pensioner=liu)
    assert (c.method, c.certified_by, c.run) == ("station", served.cadre, None)


def test_run_twice_the_second_certifies_nobody_and_changes_nothing(served, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3))
    first = certification_by_data_run(actor=served.staff, year=YEAR)
    before = list(Certification.objects.values_list("pk", "method", "sign_on", "run_id", "certified_by_id"))
    second = certification_by_data_run(actor=served.admin, year=YEAR)
    assert (first.certified, second.certified) == (1, 0)
    assert (
        list(Certification.objects.values_list("pk", "method", "sign_on", "run_id", "certified_by_id"))
        == before
    )


def test_a_cadres_run_certifies_only_the_pensioners_of_their_towns(served, liu):
    dongxi = PensionerFactory(resident=ResidentFactory(village=served.longjing))
    wansheng = PensionerFactory(resident=ResidentFactory(village=served.wansheng_resident.village))
    for pensioner in (liu, dongxi, wansheng):
        SignOfLifeFactory(resident=pensioner.resident, date=D(YEAR, 5, 3))
    run = certification_by_data_run(actor=served.cadre, year=YEAR)
    assert run.certified == 1 and run.bureau_id == served.cadre.bureau_id
    assert list(Certification.objects.values_list("pensioner", flat=True)) == [liu.pk]
    certification_by_data_run(actor=served.staff, year=YEAR)  # the 綦江 district: both its towns
    assert set(Certification.objects.values_list("pensioner", flat=True)) == {liu.pk, dongxi.pk}


def test_the_nightly_job_certifies_every_bureau_with_nobody_named(served, liu):
    wansheng = PensionerFactory(resident=ResidentFactory(village=served.wansheng_resident.village))
    today = timezone.localdate()
    for pensioner in (liu, wansheng):
        SignOfLifeFactory(resident=pensioner.resident, date=today)
    certified, _visits = certify_pensioners_by_data.call_local()
    assert certified == 2
    assert set(Certification.objects.values_list("certified_by", "method")) == {(None, "data")}
    assert CertificationRun.objects.get().started_by is None


def test_a_leader_may_not_run_it_and_is_told_why(served, client, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3))
    with pytest.raises(PermissionDenied):
        certification_by_data_run(actor=served.leader, year=YEAR)
    client.force_login(served.leader)
    with translation.override("zh-hans"):
        refusal = str(CAPABILITIES["outreach.certify_by_data"].refusal)
    refused = client.post(reverse("outreach:certify-by-data"), {"year": str(YEAR)})
    assert refused.status_code == 403 and refusal in refused.content.decode()
    assert not Certification.objects.exists() and not CertificationRun.objects.exists()


def test_linju_own_records_of_meeting_the_person_are_signs_read_where_they_are(served, liu):
    """A home task done at their house, a question at a booth, a need raised on a village visit."""
    other, third = (PensionerFactory(resident=ResidentFactory(village=served.jingshan)) for _ in range(2))
    HomeTask.objects.create(
        bureau=liu.bureau,
        kind=HomeTask.Kind.MEDICAL_HELP,
        resident=liu.resident,
        asked_via="phone",
        due_date=D(YEAR, 4, 1),
        status=HomeTask.Status.DONE,
        done_on=D(YEAR, 4, 2),
        result="帮办报销",
    )
    booth = BoothSession.objects.create(market=served.market, date=D(YEAR, 7, 8))
    Consultation.objects.create(
        bureau=liu.bureau,
        booth=booth,
        town=served.yongxin,
        resident=other.resident,
        outcome="answered",
        created_by=served.cadre,
    )
    visit = VisitRecord.objects.create(
        bureau=liu.bureau, village=served.jingshan, date=D(YEAR, 9, 9), created_by=served.cadre
    )
    VisitNeed.objects.create(
        bureau=liu.bureau, visit=visit, description="问养老金", resident=third.resident, outcome="closed"
    )
    assert certification_by_data_run(actor=served.staff, year=YEAR).certified == 3
    signs = {c.pensioner_id: (c.sign_kind, c.sign_on, c.sign_source) for c in Certification.objects.all()}
    assert signs[liu.pk][:2] == ("visit", D(YEAR, 4, 2)) and "上门服务" in signs[liu.pk][2]
    assert signs[other.pk][:2] == ("visit", D(YEAR, 7, 8)) and served.market.name in signs[other.pk][2]
    assert signs[third.pk][:2] == ("visit", D(YEAR, 9, 9)) and "荆山村" in signs[third.pk][2]
    assert not Certification.objects.filter(sign_synthetic=True).exists()


def test_a_question_answered_at_a_counter_is_a_sign_dated_by_the_local_day(served, liu):
    """Asked at the station's counter late on 1 August, Beijing time: the sign is of 1 August, not
    the day the clock of the database stands at (UTC)."""
    Consultation.objects.create(
        bureau=liu.bureau,
        service_point=served.station,
        town=served.yongxin,
        resident=liu.resident,
        outcome="answered",
        created_by=served.cadre,
        created_at=datetime.datetime(YEAR, 8, 1, 23, 30, tzinfo=timezone.get_current_timezone()),
    )
    assert certification_by_data_run(actor=served.staff, year=YEAR).certified == 1
    c = Certification.objects.get(pensioner=liu, year=YEAR)
    assert (c.sign_kind, c.sign_on) == ("visit", D(YEAR, 8, 1))
    assert served.station.name in c.sign_source


def test_only_pensioners_without_a_sign_get_home_visits_and_planned_ones_are_called_off(served, liu):
    today = timezone.localdate()
    year = today.year
    liu.cannot_travel = True
    liu.save()
    nosign = PensionerFactory(resident=ResidentFactory(village=served.jingshan), cannot_travel=True)
    late = PensionerFactory(resident=ResidentFactory(village=served.jingshan), cannot_travel=True)
    planned = HomeTask.objects.create(
        bureau=late.bureau,
        kind=HomeTask.Kind.CERTIFICATION,
        resident=late.resident,
        asked_via="roster",
        due_date=today,
        certification_year=year,
    )
    SignOfLifeFactory(resident=liu.resident, date=today)
    SignOfLifeFactory(resident=late.resident, date=today)
    certification_by_data_run(actor=served.staff, year=year)
    planned.refresh_from_db()
    assert planned.status == HomeTask.Status.CANCELLED and "数据" in planned.result
    certification_home_tasks(year=year, today=D(year, 12, 31))
    assert set(HomeTask.objects.filter(status="open").values_list("resident", flat=True)) == {
        nosign.resident_id
    }


def test_the_roster_says_how_each_was_certified_and_the_rule(served, client, liu, django_assert_num_queries):
    in_person = PensionerFactory(resident=ResidentFactory(name="王爷爷", village=served.jingshan))
    waiting = PensionerFactory(resident=ResidentFactory(name="张奶奶", village=served.jingshan))
    pensioner_certify(actor=served.cadre, pensioner_id=in_person.pk, year=YEAR, method="station")
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3), is_synthetic=True)
    certification_by_data_run(actor=served.staff, year=YEAR)
    client.force_login(served.staff)
    url = reverse("outreach:roster") + f"?year={YEAR}&village={served.jingshan.code}"
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "凭数据认证" in page and "医保报销" in page and f"{YEAR}-05-03" in page and "示例数据" in page
    assert "本人办理" in page and str(served.cadre) in page  # in person, by whom
    assert "规则" in page and "生存迹象" in page and "现在凭数据认证" in page
    assert reverse("outreach:certify", args=[waiting.pk]) in page  # the one left to certify
    assert "已认证 2 人(其中凭数据 1 人),未认证 1 人" in page
    # the roster's reads stay the same however many pensioners and certifications
    for _ in range(5):
        more = PensionerFactory(resident=ResidentFactory(village=served.jingshan))
        SignOfLifeFactory(resident=more.resident, date=D(YEAR, 6, 1))
    certification_by_data_run(actor=served.staff, year=YEAR)
    with django_assert_num_queries(3):
        rows = certification_roster(viewer=served.staff, year=YEAR, village_code=served.jingshan.code)
        lines = [certified_how(r.certification) for r in rows]
    assert len(rows) == 8 and sum("医保报销" in line or "medical" in line for line in lines) == 6


def test_the_roster_workbook_line_says_how(served, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3), is_synthetic=True)
    certification_by_data_run(actor=served.staff, year=YEAR)
    (row,) = certification_roster(viewer=served.staff, year=YEAR)
    with translation.override("zh-hans"):
        assert (
            certified_how(row.certification) == f"凭数据认证:医保报销 {YEAR}-05-03 · 医保结算系统 (示例数据)"
        )
        assert certified_how(None) == "未完成"


def test_the_button_runs_it_for_the_staffs_towns_and_says_how_many(served, client, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3))
    client.force_login(served.staff)
    done = client.post(
        reverse("outreach:certify-by-data"), {"year": str(YEAR), "village": served.jingshan.code}
    )
    assert done.status_code == 302 and done["Location"].endswith(
        f"?year={YEAR}&village={served.jingshan.code}"
    )
    assert Certification.objects.get().certified_by == served.staff
    assert client.post(reverse("outreach:certify-by-data"), {"year": "20x5"}).status_code == 400


def test_the_command_runs_it_as_the_nightly_job_or_as_a_member_of_staff(served, liu):
    SignOfLifeFactory(resident=liu.resident, date=D(YEAR, 5, 3))
    out = StringIO()
    call_command("certify_by_data", "--year", str(YEAR), "--user", "qj_staff", stdout=out)
    assert "certified by data: 1 of 1" in out.getvalue()
    assert Certification.objects.get().certified_by == served.staff
    call_command("certify_by_data", "--year", str(YEAR), stdout=out)
    assert "certified by data: 0 of 0" in out.getvalue()
