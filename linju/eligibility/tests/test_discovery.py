import datetime
from types import SimpleNamespace

import pytest
from django.db import connection

from linju.audit.models import AuditEvent
from linju.cases.services import Intake, case_accept
from linju.conftest_world import ServedTowns
from linju.core.errors import PermissionDenied
from linju.eligibility.models import (
    DiscoveryList,
    DiscoveryRun,
    EligibilityRule,
    HouseholdFacts,
    ResidentFacts,
)
from linju.eligibility.samples import SAMPLE_RULES
from linju.eligibility.selectors import discovery_entries
from linju.eligibility.services import (
    discovery_execute,
    discovery_export_audited,
    discovery_fan_out,
    discovery_start,
    self_check,
)
from linju.eligibility.tests.factories import unemployed_facts
from linju.people.models import Household

TODAY = datetime.date(2026, 11, 26)
ANSWERS = {
    "age": 38,
    "employment_status": "unemployed",
    "job_loss_cause": "involuntary",
    "months_since_job_loss": 2,
    "registered_unemployed": True,
    "unemployment_contribution_months": 36,
    "receives_pension": False,
}


@pytest.fixture
def dai_out_of_work(served) -> ServedTowns:
    """`served` with UI-002's sample rule (and UI-001, where its step is taken), and 代云峰 born in
    1988, in a household of two at 900 yuan a head, out of work: rows only, the same `ServedTowns`."""
    from linju.catalog.tests.factories import ServiceItemFactory

    ServiceItemFactory(code="UI-001", name="失业登记", time_limit_days=0)  # the rule's step is taken there
    for code, description, expression, plain in SAMPLE_RULES:
        if code == "UI-002":
            EligibilityRule.objects.create(
                item=served.ui,
                expression=expression,
                description=description,
                plain=plain,
                valid_from=datetime.date(2014, 1, 1),
                is_example=True,
            )
    dai = served.dai
    dai.birth_date = datetime.date(1988, 5, 1)
    dai.household = Household.objects.create(bureau=dai.bureau, number="500110113225-1", village=dai.village)
    dai.save()
    HouseholdFacts.objects.create(
        bureau=dai.bureau, household=dai.household, household_size=2, income_per_capita=900
    )
    unemployed_facts(dai)
    return served


def test_an_unemployed_resident_who_never_applied_is_found_and_the_self_check_agrees(dai_out_of_work):
    """Involuntarily unemployed, 3 years of contributions, never applied: on the village's list for
    unemployment insurance benefit; the self-check with the same answers says eligible, and why."""
    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.cadre), today=TODAY)
    outreach_list = DiscoveryList.objects.get(run=run)
    assert (outreach_list.resident_ids(), outreach_list.item.code, outreach_list.village.name) == (
        [dai_out_of_work.dai.pk],
        "UI-002",
        "荆山村",
    )
    (entry,) = discovery_entries(viewer=dai_out_of_work.cadre, run=run)
    assert entry.resident == dai_out_of_work.dai
    assert list(discovery_entries(viewer=dai_out_of_work.dongxi_cadre, run=run)) == []  # not their town
    answers = self_check(answers=ANSWERS, today=TODAY)
    assert answers[0].item.code == "UI-002" and answers[0].eligible is True
    assert "您已缴纳失业保险36个月,满12个月" in answers[0].met


def test_people_who_already_applied_are_left_out(dai_out_of_work):
    case_accept(
        actor=dai_out_of_work.cadre,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            service_point_code="station-yx",
            applicant_id=dai_out_of_work.dai.pk,
        ),
    )
    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.cadre), today=TODAY)
    assert not DiscoveryList.objects.filter(run=run).exists()


def test_discovery_is_scoped_to_the_viewers_towns(dai_out_of_work):
    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.dongxi_cadre), today=TODAY)
    assert run.residents == 1 and not DiscoveryList.objects.filter(run=run).exists()


def test_self_check_stores_nothing(dai_out_of_work, django_assert_max_num_queries):
    before = (ResidentFacts.objects.count(), HouseholdFacts.objects.count(), DiscoveryRun.objects.count())
    self_check(answers=ANSWERS, today=TODAY)
    assert before == (
        ResidentFacts.objects.count(),
        HouseholdFacts.objects.count(),
        DiscoveryRun.objects.count(),
    )


def test_self_check_api_and_page(client, dai_out_of_work):
    body = client.post("/api/v1/eligibility/check", ANSWERS, content_type="application/json").json()
    assert body[0]["item_code"] == "UI-002" and body[0]["eligible"] is True and body[0]["reasons"]
    page = client.post(
        "/self-check/",
        {
            "age": 38,
            "employment_status": "unemployed",
            "job_loss_cause": "involuntary",
            "months_since_job_loss": 2,
            "registered_unemployed": "yes",
            "unemployment_contribution_months": 36,
            "receives_pension": "no",
        },
    )
    assert "失业保险金申领" in page.content.decode()
    assert client.post("/self-check/", {"age": 300}).status_code == 400


def test_export_is_audited_and_masked(dai_out_of_work, context):
    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.cadre), today=TODAY)
    content, count = discovery_export_audited(
        viewer=dai_out_of_work.cadre, run=run, village_code=None, context=context
    )
    assert count == 1 and AuditEvent.objects.filter(action="exported").count() == 1
    assert dai_out_of_work.dai.id_number.encode() not in content


def test_discovery_page_runs_the_job(client, dai_out_of_work):
    client.force_login(dai_out_of_work.cadre)
    client.post("/staff/discovery/start/")
    run = DiscoveryRun.objects.get()
    assert run.status == "done" and run.hits == 1
    assert "代云峰" in client.get("/staff/discovery/").content.decode()
    outreach_list = DiscoveryList.objects.get()
    client.post(f"/staff/discovery/lists/{outreach_list.pk}/{dai_out_of_work.dai.pk}/home-task/")
    task = dai_out_of_work.dai.home_tasks.get()
    assert task.asked_via == "discovery" and task.item == outreach_list.item  # the item to tell them about
    # someone not on the list cannot be reached through it
    assert (
        client.post(
            f"/staff/discovery/lists/{outreach_list.pk}/{dai_out_of_work.zhou.pk}/home-task/"
        ).status_code
        == 404
    )


def test_rule_trial_page(client, dai_out_of_work):
    client.force_login(dai_out_of_work.staff)
    good = client.post("/staff/discovery/try/", {"expression": SAMPLE_RULES[0][2]}).content.decode()
    assert "代**" in good and "代云峰" not in good and "符合" in good
    bad = client.post("/staff/discovery/try/", {"expression": "age() >= 16 and salary > 3"}).content.decode()
    assert "第 1 行第 17 列" in bad
    # a rule in a link (GET) opens the page without running anything
    linked = client.get("/staff/discovery/try/", {"expression": SAMPLE_RULES[0][2]}).content.decode()
    assert "代**" not in linked
    client.force_login(dai_out_of_work.cadre)
    assert client.post("/staff/discovery/try/", {"expression": "True"}).status_code == 403


def test_the_rule_trial_needs_the_csrf_token(dai_out_of_work):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dai_out_of_work.staff)
    assert browser.post("/staff/discovery/try/", {"expression": "True"}).status_code == 403


def test_rule_edits_keep_history_and_refuse_bad_rules(dai_out_of_work):
    from django.core.exceptions import ValidationError

    rule = EligibilityRule.objects.get()
    rule.expression = rule.expression + " and age() < 55"
    with pytest.raises(ValidationError):  # a new condition needs its sentence and its question
        rule.full_clean()
    rule.plain = [
        *rule.plain,
        {"zh": {"met": "您不满55岁", "ask": "您多大了?"}, "en": {"met": "Under 55", "ask": "Age?"}},
    ]
    rule.full_clean()
    rule.save()
    assert rule.history.count() == 2
    rule.expression = "import os"
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_only_rules_in_force_on_the_day_count(dai_out_of_work):
    rule = EligibilityRule.objects.get()
    rule.valid_to = datetime.date(2025, 12, 31)
    rule.save()
    EligibilityRule.objects.create(
        item=rule.item,
        expression="receives_pension",
        description="新版(示例)",
        valid_from=datetime.date(2026, 1, 1),
    )
    in_2025 = self_check(answers=ANSWERS, today=datetime.date(2025, 6, 1))
    assert [(a.item.code, a.eligible) for a in in_2025] == [("UI-002", True)]
    assert self_check(answers=ANSWERS, today=TODAY) == []  # the rule in force asks for no pension
    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.cadre), today=TODAY)
    assert not DiscoveryList.objects.filter(run=run).exists()
    old_run = discovery_execute(
        run=discovery_start(actor=dai_out_of_work.cadre), today=datetime.date(2025, 6, 1)
    )
    assert DiscoveryList.objects.filter(run=old_run).count() == 1


def test_registry_columns_match_each_persons_facts(dai_out_of_work):
    _registry_columns_match(dai_out_of_work)


@pytest.mark.django_db(transaction=True)
def test_registry_columns_read_in_parallel_outside_a_transaction(dai_out_of_work):
    """Outside a transaction PostgreSQL reads the three tables on three connections at once."""
    from django.db import connection

    assert not connection.in_atomic_block
    _registry_columns_match(dai_out_of_work)


def test_registry_columns_read_in_small_parts_match(dai_out_of_work, monkeypatch):
    """Read in parts of two records (each part its own value, a range of two keys),
    the registry is the same as read whole: no row lost or read twice at a part's edge."""
    from linju.core import pgcopy

    monkeypatch.setattr(pgcopy, "MAX_PART_BYTES", 2 * 40)
    _registry_columns_match(dai_out_of_work)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the parts are PostgreSQL's binary COPY")
def test_parts_are_bounded_and_cover_every_record(dai_out_of_work, monkeypatch):
    from linju.core import pgcopy
    from linju.people.models import Resident
    from linju.people.tests.factories import ResidentFactory

    for _ in range(5):
        ResidentFactory(village=dai_out_of_work.dai.village)
    record = Resident._meta.get_field("record").expression
    whole = pgcopy.copy_records_in_parts(Resident.objects.all(), record)
    sizes = []
    real = pgcopy.copy_records

    def counting(*args, **kwargs):
        part = real(*args, **kwargs)
        sizes.append(part.nbytes)
        return part

    monkeypatch.setattr(pgcopy, "copy_records", counting)
    parts = pgcopy.copy_records_in_parts(
        Resident.objects.all(), record, max_bytes=3 * record.dtype().itemsize
    )
    assert (
        sorted(parts["key"].tolist())
        == sorted(whole["key"].tolist())
        == sorted(Resident.objects.values_list("pk", flat=True))
    )
    keys = whole["key"].astype(int)
    span = int(keys.max() - keys.min()) + 1
    assert len(sizes) == -(-span // 3) and max(sizes) <= 3 * record.dtype().itemsize  # by key ranges

    with pytest.raises(ValueError):  # parts by key range need a unique key
        pgcopy.copy_records_in_parts(
            Resident.objects.all(), SimpleNamespace(key="village", dtype=record.dtype), max_bytes=80
        )


def test_a_bureaus_run_reads_only_its_own_facts(dai_out_of_work, monkeypatch):
    """A run is one bureau's: another bureau's facts rows are not read (nor lined up)."""
    from linju.eligibility import selectors
    from linju.people.models import Resident

    seen = []
    real = selectors.copy_records_in_parts

    def spy(rows, record, **kwargs):
        seen.append(set(rows.values_list("bureau_id", flat=True).distinct()))
        return real(rows, record, **kwargs)

    monkeypatch.setattr(selectors, "copy_records_in_parts", spy)
    bureau_id = dai_out_of_work.dai.bureau_id
    selectors.facts_columns(Resident.objects.filter(bureau_id=bureau_id), bureau_id=bureau_id)
    if connection.vendor == "postgresql":
        assert seen and all(bureaus <= {bureau_id} for bureaus in seen)


def _registry_columns_match(dai_out_of_work):
    """The registry loader (binary COPY on PostgreSQL, the ORM elsewhere) reads what facts_of reads:
    values, unknowns (NULL, empty text, no facts row at all) and dates."""
    from linju.eligibility.rules import EPOCH, FACTS
    from linju.eligibility.selectors import facts_columns, facts_of
    from linju.people.models import Resident
    from linju.people.tests.factories import ResidentFactory

    someone = ResidentFactory(village=dai_out_of_work.dai.village)
    ResidentFacts.objects.create(
        bureau=someone.bureau,
        resident=someone,
        employment_status="",
        hardship_kind="disaster",
        disability_level=2,
    )
    ResidentFactory(village=dai_out_of_work.dai.village)  # no facts at all
    empty_ids, _villages, empty = facts_columns(Resident.objects.none())
    assert len(empty_ids) == 0 and all(len(c.values) == 0 for c in empty.values())
    ids, villages, columns = facts_columns(Resident.objects.all())
    assert sorted(ids.tolist()) == sorted(Resident.objects.values_list("pk", flat=True))
    for index, pk in enumerate(ids.tolist()):
        person = Resident.objects.get(pk=pk)
        assert villages[index] == person.village_id
        for name, value in facts_of(person).items():
            column = columns[name]
            assert bool(column.known[index]) == (value is not None), (name, pk)
            if value is None:
                continue
            got = column.values[index] if column.words is None else column.words[column.values[index]]
            if FACTS[name][0] == "date":
                assert EPOCH + datetime.timedelta(days=int(got)) == value
            else:
                assert got == value, (name, got, value)
    # a scoped read (facts narrowed to those people) gives the same as the whole-registry read
    scoped_ids, _v, scoped = facts_columns(Resident.objects.filter(village=dai_out_of_work.dai.village))
    rows = [ids.tolist().index(pk) for pk in scoped_ids.tolist()]
    for name, column in scoped.items():
        assert column.known.tolist() == columns[name].known[rows].tolist(), name
        assert column.values.tolist() == columns[name].values[rows].tolist(), name


def test_a_run_that_fails_part_way_stores_no_lists(dai_out_of_work, monkeypatch):
    """Lists are written once every rule has run: a failure on the second rule leaves the first
    rule's lists unwritten and the run marked failed, with the reason."""
    from linju.eligibility import services

    EligibilityRule.objects.create(
        item=dai_out_of_work.ui,
        expression="age() >= 16",
        description="second",
        valid_from=datetime.date(2014, 1, 1),
    )
    evaluate = services.eligible_columns
    calls = []

    def fail_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(services, "eligible_columns", fail_on_the_second)
    run = discovery_start(actor=dai_out_of_work.cadre)
    with pytest.raises(RuntimeError):
        discovery_execute(run=run, today=TODAY)
    run.refresh_from_db()
    assert (run.status, run.error, run.rules_done) == (DiscoveryRun.Status.FAILED, "disk full", 1)
    assert not DiscoveryList.objects.filter(run=run).exists()


@pytest.mark.parametrize("far", [12, 10**12])  # a direct index; ids spread too wide for one
def test_each_owner_is_lined_up_with_its_facts_row(far):
    import numpy as np

    from linju.eligibility.selectors import _line_up

    keys = np.array([7, 3, far, 5])
    row, found = _line_up(keys, np.array([3, 4, far, 7, 0, 5]))
    assert found.tolist() == [True, False, True, True, False, True]
    assert row[found].tolist() == [1, 2, 0, 3]
    assert _line_up(np.array([], dtype=np.int64), np.array([1, 2]))[1].tolist() == [False, False]


def test_the_page_shows_runs_of_the_viewers_bureau_only(dai_out_of_work):
    from linju.eligibility.selectors import latest_runs

    run = discovery_execute(run=discovery_start(actor=dai_out_of_work.cadre), today=TODAY)
    assert latest_runs(viewer=dai_out_of_work.cadre) == [run]
    assert latest_runs(viewer=dai_out_of_work.dongxi_cadre) == [run]  # a colleague of the same bureau
    assert latest_runs(viewer=dai_out_of_work.ws_staff) == []  # another bureau's run, not even its counts
    city = [discovery_execute(run=r, today=TODAY) for r in discovery_fan_out()]
    assert [r.bureau for r in city] == [dai_out_of_work.cadre.bureau, dai_out_of_work.ws_staff.bureau]
    assert latest_runs(viewer=dai_out_of_work.ws_staff) == [city[1]]  # the command's: its bureau's run only


def test_a_cadre_of_two_towns_gets_a_job_a_town_and_the_page_shows_both(client, dai_out_of_work):
    dai_out_of_work.cadre.towns.add(dai_out_of_work.dongxi)
    client.force_login(dai_out_of_work.cadre)
    client.post("/staff/discovery/start/")  # all my towns
    runs = list(DiscoveryRun.objects.order_by("town__code"))
    assert [r.town for r in runs] == [dai_out_of_work.dongxi, dai_out_of_work.yongxin]
    assert len({r.batch for r in runs}) == 1 and all(r.status == "done" for r in runs)
    assert [r.residents for r in runs] == [1, 1]  # each job read its town only
    page = client.get("/staff/discovery/").content.decode()
    assert "东溪镇" in page and "永新镇" in page and "代云峰" in page


def test_the_city_wide_command_queues_a_job_a_bureau(dai_out_of_work):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("discover", "--wait", stdout=out)  # huey runs its jobs at once in the tests
    runs = list(DiscoveryRun.objects.order_by("bureau_id"))
    assert [r.bureau for r in runs] == [dai_out_of_work.cadre.bureau, dai_out_of_work.ws_staff.bureau]
    assert all(r.status == "done" and r.town is None and r.started_by is None for r in runs)
    assert [r.residents for r in runs] == [2, 1]  # 代云峰 and 周开明; 王大山 in 万盛
    assert out.getvalue().count("queued") == 2


def test_a_platform_administrator_fans_out_over_every_bureau(dai_out_of_work):
    from linju.accounts.models import User

    root = User.objects.create_superuser("root", password="x", bureau=None)
    runs = discovery_fan_out(actor=root)
    assert [r.bureau for r in runs] == [dai_out_of_work.cadre.bureau, dai_out_of_work.ws_staff.bureau]
    assert [r.started_by for r in runs] == [root, root]
    assert (
        discovery_fan_out(actor=dai_out_of_work.staff)[0].town is None
    )  # district staff: one run, whole bureau
    with pytest.raises(PermissionDenied):
        discovery_fan_out(actor=dai_out_of_work.leader)


def test_another_bureaus_run_is_not_exported_not_even_empty(client, dai_out_of_work):
    from linju.audit.models import AuditEvent, ExportJob

    theirs = discovery_execute(
        run=DiscoveryRun.objects.create(bureau=dai_out_of_work.ws_staff.bureau), today=TODAY
    )
    client.force_login(dai_out_of_work.cadre)
    client.post(f"/staff/discovery/{theirs.pk}/export/")
    assert not ExportJob.objects.exists() and not AuditEvent.objects.exists()
