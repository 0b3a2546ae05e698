"""The cadres' roster: who of their towns reaches the statutory retirement age this month or in the
next twelve, by the law, scoped, masked and recorded."""

import datetime

import pytest
from django.utils import timezone

from linju.audit.models import AuditEvent
from linju.core.errors import PermissionDenied
from linju.pensions.models import FormerRetirementAge
from linju.pensions.selectors import retirement_roster
from linju.people.tests.factories import ResidentFactory

from .conftest import TODAY


def _ids(towns):
    return {row.resident_id for town in towns for row in town.rows}


def test_a_cadre_sees_the_people_of_their_town_retiring_within_twelve_months(towns_and_staff, retiring):
    towns = retirement_roster(viewer=towns_and_staff.cadre, today=TODAY)
    assert [t.code for t in towns] == [towns_and_staff.yongxin.code]
    assert towns[0].shown
    r = retiring
    assert _ids(towns) == {
        p.pk
        for p in (
            r.man_march,
            r.woman_august,
            r.cadre_woman_march,
            r.man_this_month,
            r.man_last_in,
            r.no_phone,
        )
    }
    assert towns[0].count == 6


def test_rows_carry_the_laws_answer_and_are_masked(towns_and_staff, retiring):
    rows = {
        row.resident_id: row for row in retirement_roster(viewer=towns_and_staff.cadre, today=TODAY)[0].rows
    }
    cadre_woman = rows[retiring.cadre_woman_march.pk]
    assert (cadre_woman.former_age, cadre_woman.former_recorded) == (55, True)
    assert cadre_woman.retirement.month == (2027, 3) and cadre_woman.months_left == 3
    woman = rows[retiring.woman_august.pk]
    assert (woman.former_age, woman.former_recorded, woman.retirement.month) == (50, False, (2027, 8))
    assert rows[retiring.man_this_month.pk].months_left == 0
    man = rows[retiring.man_march.pk]
    assert "*" in man.name and man.name != retiring.man_march.name
    assert man.id_number == retiring.man_march.id_number[:6] + "********" + retiring.man_march.id_number[-4:]
    months = [
        row.retirement.month for row in retirement_roster(viewer=towns_and_staff.cadre, today=TODAY)[0].rows
    ]
    assert months == sorted(months)


def test_district_staff_see_every_town_counted_and_one_town_listed(towns_and_staff, retiring):
    towns = retirement_roster(viewer=towns_and_staff.staff, today=TODAY)
    counts = {t.code: t.count for t in towns}
    assert counts[towns_and_staff.yongxin.code] == 6 and counts[towns_and_staff.dongxi.code] == 1
    assert _ids(towns) == set()  # several towns: choose one
    towns = retirement_roster(
        viewer=towns_and_staff.staff, town_code=towns_and_staff.dongxi.code, today=TODAY
    )
    assert _ids(towns) == {retiring.dongxi_man.pk}


def test_another_towns_or_bureaus_people_are_not_shown(towns_and_staff, retiring):
    towns = retirement_roster(
        viewer=towns_and_staff.cadre, town_code=towns_and_staff.dongxi.code, today=TODAY
    )
    assert _ids(towns) == set()
    assert retirement_roster(viewer=towns_and_staff.ws_staff, today=TODAY)[0].count == 0


def test_leaders_read_figures_not_this_roster(towns_and_staff, retiring):
    with pytest.raises(PermissionDenied):
        retirement_roster(viewer=towns_and_staff.leader, today=TODAY)


@pytest.fixture
def on_the_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_the_page_is_masked_recorded_and_reads_in_few_queries(
    client, towns_and_staff, retiring, on_the_day, max_queries
):
    client.force_login(towns_and_staff.cadre)
    with max_queries(7):  # session, user, counts by town, the towns, the people, the audit row, session saved
        response = client.get("/staff/retirement/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    assert retiring.man_march.name not in page and retiring.man_march.id_number not in page
    assert "2027-03" in page and "原为干部：55岁" in page and "改回50岁" in page
    event = AuditEvent.objects.get(object_type="resident_list")
    assert event.actor == towns_and_staff.cadre and event.detail["what"] == "retirement_roster"
    assert set(event.detail["residents"]) == {
        p.pk
        for p in (retiring.man_march, retiring.woman_august, retiring.cadre_woman_march)
        + (retiring.man_this_month, retiring.man_last_in, retiring.no_phone)
    }


def test_the_query_count_does_not_grow_with_the_roster(
    client, towns_and_staff, retiring, on_the_day, max_queries
):
    for day in range(1, 21):
        ResidentFactory(village=towns_and_staff.jingshan, birth_date=datetime.date(1966, 9, day), sex="M")
    client.force_login(towns_and_staff.cadre)
    with max_queries(7):  # as with six: one query for the people, whoever they are
        assert client.get("/staff/retirement/").status_code == 200


def test_leaders_are_refused_the_page(client, towns_and_staff, on_the_day):
    client.force_login(towns_and_staff.leader)
    assert client.get("/staff/retirement/").status_code == 403


def test_a_cadre_records_a_woman_as_formerly_55_and_she_leaves_the_window(
    client, towns_and_staff, retiring, on_the_day
):
    client.force_login(towns_and_staff.cadre)
    woman = retiring.woman_august
    response = client.post(
        f"/staff/retirement/residents/{woman.pk}/former-age/",
        {"former_age": "55", "town": towns_and_staff.yongxin.code},
    )
    assert response.status_code == 302
    assert woman.pk not in _ids(retirement_roster(viewer=towns_and_staff.cadre, today=TODAY))


def test_a_mans_former_age_stays_60(client, towns_and_staff, retiring, on_the_day):
    client.force_login(towns_and_staff.cadre)
    client.post(f"/staff/retirement/residents/{retiring.man_march.pk}/former-age/", {"former_age": "55"})
    assert not FormerRetirementAge.objects.filter(resident=retiring.man_march).exists()


def test_another_towns_resident_is_not_found(client, towns_and_staff, retiring, on_the_day):
    client.force_login(towns_and_staff.cadre)
    response = client.post(
        f"/staff/retirement/residents/{retiring.dongxi_man.pk}/former-age/", {"former_age": "60"}
    )
    assert response.status_code == 404
