import datetime

import pytest
from django.utils import timezone

from linju.core.errors import Conflict, DomainError
from linju.jobs.models import Commute, Employer, JobSeeker, Referral, Vacancy
from linju.jobs.selectors import explain, matches_for_seeker, unfilled_demand
from linju.jobs.services import referral_create, referral_step, seeker_register, vacancy_post
from linju.jobs.tests.factories import vacancy_posted

D = datetime.date


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requirements", "限男性,身体健康"),
        ("requirements", "仅限汉族"),
        ("title", "女工"),
        ("gender", "male"),
        ("ethnicity", "汉"),
    ],
)
def test_discriminatory_vacancies_are_refused(job_market, field, value):
    with pytest.raises(DomainError) as error:
        vacancy_posted(job_market.electronics, **({"title": "装配工"} | {field: value}))
    assert error.value.code == "discriminatory"
    assert "就业促进法" in error.value.text()


def test_age_must_respect_the_legal_working_age(job_market):
    with pytest.raises(DomainError) as error:
        vacancy_posted(job_market.electronics, "学徒", wage_min=2000, wage_max=3000, min_age=15)
    assert error.value.code == "under_age"


def test_explanation_in_chinese(job_market):
    from django.utils import translation

    with translation.override("zh-hans"):
        text = explain(job_market.seeker, job_market.assembly, 50, "shuttle")
    assert text.startswith("通勤50分钟,在您的60分钟以内")
    assert "岗位要电子装配,您还不会" in text and "提供培训" in text and "厂车" in text
    assert "/" not in text  # no score fractions


def test_a_jingshan_seeker_is_matched_to_the_electronics_factory_first(job_market):
    """A seeker of 荆山村 who will not commute more than 60 minutes and refuses heavy manual work
    gets the electronics-factory vacancy first, is referred, hired, and leaves the seeking list."""
    matches = matches_for_seeker(viewer=job_market.cadre, seeker_id=job_market.seeker.pk)
    assert [m.vacancy for m in matches] == [job_market.assembly]  # the quarry is heavy manual work
    referral = referral_create(
        actor=job_market.cadre,
        seeker_id=job_market.seeker.pk,
        vacancy_id=job_market.assembly.pk,
        today=D(2026, 11, 26),
    )
    assert referral.follow_up_on == D(2026, 12, 3)
    referral_step(actor=job_market.cadre, referral_id=referral.pk, status="interview")
    referral_step(actor=job_market.cadre, referral_id=referral.pk, status="hired")
    job_market.seeker.refresh_from_db()
    assert job_market.seeker.status == "employed"
    assert not JobSeeker.objects.filter(status="seeking").exists()
    assert Vacancy.objects.get(pk=job_market.assembly.pk).status == "filled"  # headcount 1
    assert list(referral.steps.values_list("status", flat=True)) == ["recommended", "interview", "hired"]


def test_referral_transitions(job_market):
    referral = referral_create(
        actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
    )
    with pytest.raises(Conflict):
        referral_step(actor=job_market.cadre, referral_id=referral.pk, status="hired")  # interview first
    with pytest.raises(DomainError):
        referral_step(
            actor=job_market.cadre, referral_id=referral.pk, status="not_hired"
        )  # a reason is needed
    referral_step(actor=job_market.cadre, referral_id=referral.pk, status="declined")
    job_market.seeker.refresh_from_db()
    assert job_market.seeker.status == "seeking"  # back on the list
    with pytest.raises(Conflict):
        referral_step(actor=job_market.cadre, referral_id=referral.pk, status="interview")
    with pytest.raises(Conflict):
        referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    assert Referral.objects.count() == 1


def test_another_towns_cadre_cannot_see_the_seeker(job_market):
    from linju.core.errors import NotFound

    with pytest.raises(NotFound):
        matches_for_seeker(viewer=job_market.dongxi_cadre, seeker_id=job_market.seeker.pk)


def test_unfilled_demand_names_the_main_reason(job_market):
    Vacancy.objects.filter(pk=job_market.lifting.pk).update(opened_on=D(2026, 9, 1))
    rows = unfilled_demand(viewer=job_market.cadre, today=D(2026, 11, 26))
    assert [r.vacancy for r in rows] == [job_market.lifting]
    assert "heavy" in rows[0].main_reason or "重" in rows[0].main_reason


def test_the_seeker_form_and_matches_page(client, job_market):
    client.force_login(job_market.cadre)
    page = client.get(f"/staff/jobs/seekers/{job_market.seeker.pk}/").content.decode()
    suggested, _sep, not_suggested = page.partition('id="near-misses"')
    assert "电子装配工" in suggested and "搬运工" not in suggested
    assert "搬运工" in not_suggested  # nearby, heavy manual work: said why
    client.post(f"/staff/jobs/seekers/{job_market.seeker.pk}/refer/{job_market.assembly.pk}/")
    assert Referral.objects.count() == 1
    assert client.get("/jobs/").status_code == 200
    assert "代云峰" not in client.get("/jobs/").content.decode()


def test_api_matches(client, job_market):
    from linju.accounts.tests.factories import bearer

    auth = bearer(job_market.cadre)
    body = client.get(f"/api/v1/jobs/seekers/{job_market.seeker.pk}/matches", {"k": 10}, **auth).json()
    assert [m["vacancy_id"] for m in body] == [job_market.assembly.pk] and body[0]["commute_minutes"] == 50
    refused = client.post(
        "/api/v1/jobs/vacancies",
        {
            "employer_id": job_market.electronics.pk,
            "title": "x",
            "occupation_group": "6",
            "wage_min": 1,
            "wage_max": 2,
            "shifts": ["day"],
            "gender": "female",
        },
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["code"] == "discriminatory"
    assert client.get("/api/v1/jobs/vacancies").status_code == 200


def test_follow_up_reminder_once_a_day(job_market):
    from linju.jobs.tasks import remind_referral_follow_ups
    from linju.notify.models import OutboxMessage

    job_market.cadre.mobile = "13900000002"
    job_market.cadre.save()
    referral_create(
        actor=job_market.cadre,
        seeker_id=job_market.seeker.pk,
        vacancy_id=job_market.assembly.pk,
        today=D(2026, 11, 1),
    )
    assert remind_referral_follow_ups.call_local() == 1
    assert remind_referral_follow_ups.call_local() == 0
    assert "代云峰" in OutboxMessage.objects.get(purpose="referral_follow_up").text


def test_park_visit_findings_show_beside_unfilled_vacancies(job_market):
    from linju.outreach.services import leader_visit_record

    Vacancy.objects.filter(pk=job_market.lifting.pk).update(opened_on=D(2026, 9, 1))
    quarry = job_market.lifting.employer
    visit = leader_visit_record(
        actor=job_market.leader,
        kind="enterprise",
        day=D(2026, 10, 9),
        town_code=job_market.dongxi.code,
        findings="招不到搬运工",
        employer_id=quarry.pk,
    )
    assert visit.enterprise == quarry.name
    rows = unfilled_demand(viewer=job_market.cadre, today=D(2026, 11, 26))
    assert rows[0].visit_findings == ["2026-10-09 招不到搬运工"]


def test_a_vacancy_for_younger_workers_is_not_suggested_to_an_older_seeker(job_market):
    """The vacancy's age range is a hard constraint like the others: its matches, the seeker's and
    the unfilled list's reason all honour it."""
    from linju.jobs.selectors import age_on, matches_for_vacancy

    age = age_on(job_market.dai.birth_date, timezone.localdate())
    Vacancy.objects.filter(pk=job_market.assembly.pk).update(
        min_age=18, max_age=age - 1, opened_on=D(2026, 9, 1)
    )
    assert matches_for_seeker(viewer=job_market.cadre, seeker_id=job_market.seeker.pk) == []
    assert matches_for_vacancy(viewer=job_market.cadre, vacancy_id=job_market.assembly.pk) == []
    rows = {r.vacancy: r for r in unfilled_demand(viewer=job_market.cadre, today=D(2026, 11, 26))}
    assert "age" in rows[job_market.assembly].main_reason or "年龄" in rows[job_market.assembly].main_reason
    Vacancy.objects.filter(pk=job_market.assembly.pk).update(max_age=age)
    assert [
        m.vacancy for m in matches_for_seeker(viewer=job_market.cadre, seeker_id=job_market.seeker.pk)
    ] == [job_market.assembly]


def test_another_bureaus_employers_are_not_ours(job_market, client):
    """A 綦江 cadre cannot post a vacancy under a 万盛 employer (it used to be accepted and shown on
    /jobs/), nor see its matches, nor refer to it."""
    from linju.core.errors import NotFound
    from linju.geo.models import Village
    from linju.jobs.selectors import matches_for_vacancy

    wansheng_village = Village.objects.get(code="500110101200")
    glass = Employer.objects.create(name="玻璃厂(示例)", village=wansheng_village)
    base = {
        "occupation_group": "6",
        "min_education": 2,
        "wage_min": 4000,
        "wage_max": 5000,
        "shifts": ["day"],
    }
    with pytest.raises(NotFound):
        vacancy_post(actor=job_market.cadre, employer_id=glass.pk, title="质检员", skills=[], **base)
    client.force_login(job_market.cadre)
    response = client.post(
        "/api/v1/jobs/vacancies",
        {"employer_id": glass.pk, "title": "质检员", "skills": [], **base},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Vacancy.objects.filter(employer=glass).exists()
    theirs = vacancy_post(actor=job_market.ws_staff, employer_id=glass.pk, title="质检员", skills=[], **base)
    with pytest.raises(NotFound):
        matches_for_vacancy(viewer=job_market.cadre, vacancy_id=theirs.pk)
    with pytest.raises(NotFound):
        referral_create(actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=theirs.pk)
    assert theirs not in [
        m.vacancy for m in matches_for_seeker(viewer=job_market.cadre, seeker_id=job_market.seeker.pk)
    ]


def test_matching_reads_only_vacancies_within_the_seekers_reach(job_market, django_assert_max_num_queries):
    """A far employer's vacancy (over the seeker's 60 minutes, or with no route) is not read at all
    for the seeker's matches, and the seeker is not read for its matches; what is near is as before."""
    from linju.jobs.selectors import _open_vacancies, matches_for_seeker, matches_for_vacancy

    far = Employer.objects.create(name="远处工厂(示例)", village=job_market.longjing)
    Commute.objects.create(village=job_market.jingshan, employer=far, minutes=95, mode="bus")
    unreachable = Employer.objects.create(name="无路工厂(示例)", village=job_market.longjing)
    for employer in (far, unreachable):
        vacancy_posted(employer, "包装工", wage_min=4000, wage_max=6000)
    staff = job_market.staff
    assert len(_open_vacancies(staff)) == 4
    near = _open_vacancies(staff, within_reach_of=job_market.seeker)
    assert {v.employer for v in near} == {job_market.electronics, job_market.lifting.employer}
    with django_assert_max_num_queries(8):
        found = matches_for_seeker(viewer=staff, seeker_id=job_market.seeker.pk)
    assert {m.vacancy for m in found} <= set(near) and found
    far_vacancy = far.vacancies.get()
    assert matches_for_vacancy(viewer=staff, vacancy_id=far_vacancy.pk) == []
    assert [m.seeker for m in matches_for_vacancy(viewer=staff, vacancy_id=job_market.assembly.pk)] == [
        job_market.seeker
    ]


def test_the_skills_part_of_an_explanation_names_what_is_had_and_what_is_not(job_market):
    from django.utils import translation

    Vacancy.objects.filter(pk=job_market.assembly.pk).update(
        skills=["electronics_assembly", "office_computer"]
    )
    job_market.assembly.refresh_from_db()
    with translation.override("zh-hans"):
        text = explain(job_market.seeker, job_market.assembly, 50)
    assert "岗位要电子装配、计算机办公:您会计算机办公,还不会电子装配" in text


def test_nearby_vacancies_not_suggested_say_why_in_plain_words(job_market):
    """The quarry (heavy manual work, 40 minutes) and a farther packing job (95 minutes, over the
    seeker's 60) are the nearest vacancies not suggested; each says which limit it fails."""
    from django.utils import translation

    from linju.jobs.selectors import near_misses_for_seeker

    far = Employer.objects.create(name="远处工厂(示例)", village=job_market.longjing)
    Commute.objects.create(village=job_market.jingshan, employer=far, minutes=95, mode="bus")
    vacancy_posted(far, "包装工", min_education=4, wage_min=4000, wage_max=6000, shifts=["night"])
    shown = {
        m.vacancy.pk for m in matches_for_seeker(viewer=job_market.cadre, seeker_id=job_market.seeker.pk)
    }
    with translation.override("zh-hans"):
        misses = near_misses_for_seeker(viewer=job_market.cadre, seeker=job_market.seeker, shown=shown)
    assert [(m.vacancy.title, m.minutes) for m in misses] == [("搬运工", 40), ("包装工", 95)]
    assert misses[0].reasons == ["是重体力活,您不接受"]
    assert misses[1].reasons == [
        "单程要95分钟,超过您能接受的60分钟",
        "要求大专及以上学历,您是高中或中专",
        "岗位是夜班,您能上白班、倒班",
    ]


def test_a_referral_texts_the_seeker_what_where_and_whom_to_ask(
    job_market, django_capture_on_commit_callbacks
):
    from linju.geo.tests.factories import ServicePointFactory
    from linju.notify.models import OutboxMessage

    ServicePointFactory(
        town=job_market.yongxin, code="station-yx", name="永新镇社保服务所", phone="023-48700017"
    )

    Employer.objects.filter(pk=job_market.electronics.pk).update(
        contact_phone="023-48661234", park="工业园区"
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    message = OutboxMessage.objects.get(purpose="referral")
    assert message.phone == "13912345678" and message.reference == f"referral:{referral.pk}"
    text = message.text
    assert text.startswith("【邻居】代云峰您好:已推荐您应聘电子厂(示例)的电子装配工,月薪4200–5600元。")
    assert "地点:东溪镇工业园(工业园区)" in text and "打电话给电子厂(示例):023-48661234" in text
    assert text.endswith("有疑问请问永新镇社保服务所 023-48700017。")


def test_a_seeker_without_a_mobile_gets_no_referral_text(job_market, django_capture_on_commit_callbacks):
    from linju.notify.models import OutboxMessage

    job_market.dai.__class__.objects.filter(pk=job_market.dai.pk).update(phone="023-48661111")
    with django_capture_on_commit_callbacks(execute=True):
        referral_create(
            actor=job_market.cadre, seeker_id=job_market.seeker.pk, vacancy_id=job_market.assembly.pk
        )
    assert not OutboxMessage.objects.filter(purpose="referral").exists()


def test_registering_a_seeker_twice_names_the_existing_record(job_market):
    with pytest.raises(Conflict) as error:
        seeker_register(
            actor=job_market.cadre,
            resident_id=job_market.dai.pk,
            education=3,
            skills=[],
            max_commute_minutes=60,
            shifts=["day"],
            wage_wanted=4000,
        )
    assert error.value.code == "seeker_exists" and str(job_market.seeker.pk) in error.value.text()
