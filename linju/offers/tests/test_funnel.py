"""The offers' funnel: per offered rule, town and village, the latest finished run's matches, the
offers approved and how they were answered, the cases finished, and the median working days from
the approval to the case, all equal to the same figures counted in plain SQL; in the viewer's towns
only, leaders included (counts, no names), in a fixed number of queries."""

import dataclasses
import datetime
import statistics

import pytest
from django.db import connection
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.tests.factories import case_at_counter
from linju.conftest_world import ServedTowns, at
from linju.eligibility.models import EligibilityRule
from linju.eligibility.services import discovery_execute, discovery_start
from linju.offers.funnel import offer_funnel
from linju.offers.models import Offer
from linju.people.tests.factories import ResidentFactory
from linju.workdays.selectors import calendar

from .factories import offered_rule

TODAY = datetime.date(2026, 11, 26)
FIGURES = ("eligible", "offered", "confirmed", "granted", "declined", "help", "unanswered", "finished")


@dataclasses.dataclass(frozen=True)
class FunnelWorld(ServedTowns):
    rule: EligibilityRule
    offers: list


@pytest.fixture
def funnel_world(served):
    """Seven adults and a child in 荆山村 (永新镇), four adults in 龙井村 (东溪镇), one in 万盛; the bureau
    offers UI-002 to adults, a run made the offers, and they were approved and answered every way."""
    for n in range(6):
        ResidentFactory(village=served.jingshan, birth_date=datetime.date(1980 + n, 3, 1))
    ResidentFactory(village=served.jingshan, birth_date=datetime.date(2015, 3, 1))  # 11: not matched
    for n in range(3):
        ResidentFactory(village=served.longjing, birth_date=datetime.date(1970 + n, 3, 1))
    for resident in (served.dai, served.zhou, served.wansheng_resident):
        resident.birth_date = datetime.date(1988, 5, 1)
        resident.save()
    rule = offered_rule(served.ui)
    discovery_execute(run=discovery_start(actor=served.staff), today=TODAY)
    discovery_execute(run=discovery_start(actor=served.ws_staff), today=TODAY)
    offers = list(Offer.objects.filter(bureau=served.staff.bureau).order_by("village__code", "pk"))
    # 龙井村's four first, then 荆山村's seven
    approved = at(2026, 11, 27)  # a Friday
    Offer.objects.filter(pk__in=[o.pk for o in offers[:9]]).update(
        status=Offer.Status.OPEN, reach=Offer.Reach.TEXT, approved_at=approved, approved_by=served.staff
    )
    answered = {"answered_at": approved, "answered_via": Offer.AnsweredVia.SMS}
    Offer.objects.filter(pk=offers[1].pk).update(status=Offer.Status.DECLINED, answer="no", **answered)
    Offer.objects.filter(pk=offers[2].pk).update(status=Offer.Status.UNANSWERED)
    Offer.objects.filter(pk=offers[5].pk).update(status=Offer.Status.HELP, answer="help", **answered)
    # yes: cases taken 2, 3 and 5 working days after the approval; one of them finished
    for offer, day in (
        (offers[0], at(2026, 12, 1)),
        (offers[6], at(2026, 12, 2)),
        (offers[7], at(2026, 12, 4)),
    ):
        case = case_at_counter(
            served,
            actor=served.staff,
            applicant_id=offer.resident_id,
            service_point_code="station-yx" if offer.village == served.jingshan else "station-dx",
            now=day,
        )
        Offer.objects.filter(pk=offer.pk).update(
            status=Offer.Status.CONFIRMED, case=case, answer="yes", **answered
        )
    Case.objects.filter(offer__pk=offers[6].pk).update(
        status=Case.Status.FINISHED, outcome=Case.Outcome.GRANTED, closed_at=at(2026, 12, 3)
    )
    return served.grown(FunnelWorld, rule=rule, offers=offers)


def _sql_figures(bureau_id: int) -> dict:
    """The same figures counted in SQL: the offers by rule and village, and the matches of the
    latest finished run counted from the residents the rule (age() >= 16) matches on the run's day."""
    cutoff = TODAY.replace(year=TODAY.year - 16)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT o.rule_id, o.village_id,
                   SUM(CASE WHEN o.approved_at IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.status = 'confirmed' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.status = 'granted' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.status = 'declined' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.status = 'help' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.status = 'unanswered' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN c.status = 'finished' THEN 1 ELSE 0 END)
              FROM offers_offer o LEFT JOIN cases_case c ON c.id = o.case_id
             WHERE o.bureau_id = %s
             GROUP BY o.rule_id, o.village_id
            """,
            [bureau_id],
        )
        figures = {
            (rule, village): dict(zip(FIGURES[1:], map(int, counts), strict=True))
            for rule, village, *counts in cursor.fetchall()
        }
        cursor.execute(
            """
            SELECT r.village_id, COUNT(*) FROM people_resident r
             WHERE r.bureau_id = %s AND r.birth_date <= %s GROUP BY r.village_id
            """,
            [bureau_id, cutoff],
        )
        eligible = dict(cursor.fetchall())
        cursor.execute(
            """
            SELECT o.rule_id, o.village_id, o.approved_at, c.accepted_at
              FROM offers_offer o JOIN cases_case c ON c.id = o.case_id
             WHERE o.bureau_id = %s AND o.approved_at IS NOT NULL
            """,
            [bureau_id],
        )
        days: dict = {}
        for rule, village, approved_at, accepted_at in cursor.fetchall():
            if isinstance(approved_at, str):  # SQLite hands datetimes back as text
                approved_at = datetime.datetime.fromisoformat(approved_at)
                accepted_at = datetime.datetime.fromisoformat(accepted_at)
            days.setdefault((rule, village), []).append(
                calendar().working_days_after(
                    timezone.localtime(approved_at.replace(tzinfo=approved_at.tzinfo or datetime.UTC)).date(),
                    timezone.localtime(accepted_at.replace(tzinfo=accepted_at.tzinfo or datetime.UTC)).date(),
                )
            )
    for (rule, village), row in figures.items():
        row["eligible"] = eligible.get(village, 0)
        row["median_days"] = statistics.median(days[(rule, village)]) if (rule, village) in days else None
    return figures


def _funnel_figures(funnel) -> dict:
    return {
        (row.rule_id, row.village_id): {name: getattr(row, name) for name in FIGURES}
        | {"median_days": row.median_days}
        for row in funnel.villages
    }


def test_the_funnel_equals_the_same_figures_counted_in_sql(funnel_world):
    w = funnel_world
    funnel = offer_funnel(viewer=w.staff)
    assert _funnel_figures(funnel) == _sql_figures(w.staff.bureau_id)
    jingshan = next(r for r in funnel.villages if r.village == "荆山村")
    # the child is not eligible; approved on a Friday, cases the next Wednesday and Friday (3 and 5)
    assert (jingshan.eligible, jingshan.offered, jingshan.confirmed, jingshan.median_days) == (7, 5, 2, 4)
    assert (jingshan.finished, jingshan.help) == (1, 1)


def test_the_funnel_sums_each_town_and_each_rule(funnel_world):
    funnel = offer_funnel(viewer=funnel_world.staff)
    by_town = {r.town: r for r in funnel.towns}
    assert {t: (r.eligible, r.offered, r.declined, r.unanswered) for t, r in by_town.items()} == {
        "东溪镇": (4, 4, 1, 1),
        "永新镇": (7, 5, 0, 0),
    }
    (whole,) = funnel.rules
    assert (whole.eligible, whole.offered, whole.confirmed, whole.median_days) == (11, 9, 3, 3)
    assert whole.rule.startswith("失业保险金申领")


def test_a_cadre_and_a_leader_see_their_towns_counts_only(funnel_world):
    w = funnel_world
    cadre = offer_funnel(viewer=w.cadre)
    assert {r.town for r in cadre.villages} == {"永新镇"}
    leader = offer_funnel(viewer=w.leader)
    assert _funnel_figures(leader) == _funnel_figures(offer_funnel(viewer=w.staff))
    assert {r.town for r in offer_funnel(viewer=w.ws_staff).villages} == {"南桐镇"}


def test_a_town_chosen_shows_its_villages_only(funnel_world):
    funnel = offer_funnel(viewer=funnel_world.staff, town=funnel_world.dongxi)
    assert [r.village for r in funnel.villages] == ["龙井村"]


def test_eligible_reads_the_latest_finished_run(funnel_world):
    w = funnel_world
    for resident in w.jingshan.residents.filter(birth_date__year__lt=2000)[:2]:
        resident.birth_date = datetime.date(2012, 1, 1)
        resident.save()
    discovery_execute(run=discovery_start(actor=w.cadre, town_code=w.yongxin.code), today=TODAY)
    by_village = {r.village: r.eligible for r in offer_funnel(viewer=w.staff).villages}
    # the town's newer run counts 永新镇 again; 东溪镇 keeps the bureau's run
    assert by_village == {"荆山村": 5, "龙井村": 4}


def test_the_funnel_is_read_in_six_queries(funnel_world, django_assert_num_queries):
    calendar()  # held by the process, as on any page after the first
    staff = funnel_world.staff
    with django_assert_num_queries(6):
        offer_funnel(viewer=staff)


def test_the_dashboard_shows_the_funnel_by_town_to_a_leader_without_a_name(client, funnel_world):
    w = funnel_world
    client.force_login(w.leader)
    page = client.get("/staff/insights/?month=2026-11").content.decode()
    panel = page[page.index('<section id="offers">') :]
    panel = panel[: panel.index("</section>")]
    assert "免申即享" in panel and "东溪镇" in panel and "永新镇" in panel
    rows = panel.split("<tr>")[2:]
    cells = [[cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]] for row in rows]
    assert [c[1:] for c in cells] == [
        ["东溪镇", "4", "4", "1", "0", "1", "0", "1", "0", "2"],
        ["永新镇", "7", "5", "2", "0", "0", "1", "0", "1", "4"],
        ["我服务的全部镇街", "11", "9", "3", "0", "1", "1", "1", "1", "3"],
    ]
    assert w.dai.name not in panel
    one_town = client.get(f"/staff/insights/?month=2026-11&town={w.yongxin.code}").content.decode()
    assert "荆山村" in one_town[one_town.index('<section id="offers">') :]


def test_the_monthly_workbook_has_the_funnel_sheet_with_texts_as_text(funnel_world):
    from io import BytesIO

    from openpyxl import load_workbook

    from linju.catalog.models import ServiceItem
    from linju.insights.reports import monthly_report_xlsx
    from linju.insights.selectors import Period

    w = funnel_world
    ServiceItem.objects.filter(pk=w.ui.pk).update(name='=HYPERLINK("http://x","失业保险金申领")')
    book = load_workbook(
        BytesIO(monthly_report_xlsx(viewer=w.staff, period=Period.month(2026, 11), today=TODAY))
    )
    sheet = book["免申即享"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[1:11] for r in rows] == [
        ["东溪镇", "龙井村", 4, 4, 1, 0, 1, 0, 1, 0],
        ["永新镇", "荆山村", 7, 5, 2, 0, 0, 1, 0, 1],
        ["东溪镇", "镇街合计", 4, 4, 1, 0, 1, 0, 1, 0],
        ["永新镇", "镇街合计", 7, 5, 2, 0, 0, 1, 0, 1],
        ["全部镇街", None, 11, 9, 3, 0, 1, 1, 1, 1],
    ]
    assert [r[11] for r in rows] == [2, 4, 2, 4, 3]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", cell.value  # never a formula
    assert rows[0][0].startswith('=HYPERLINK("http://x"')
