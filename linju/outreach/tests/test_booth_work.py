"""A case taken at a market-day booth is that booth's whatever the door it came through — the booth's
own page, 受理办件, the field app, the JSON API — and the booth's page, the leaders' figures and the
monthly workbook count it. With no booth at the market that day, the case is the market's alone."""

import datetime
import importlib
import uuid
from io import BytesIO

import pytest
from django.apps import apps
from django.utils import timezone
from openpyxl import load_workbook

from linju.accounts.tests.factories import bearer
from linju.cases.models import Case
from linju.core.periods import Period
from linju.insights.reports import monthly_report_xlsx
from linju.insights.selectors import dashboard
from linju.outreach.models import BoothSession, Consultation
from linju.people.tests.factories import newcomer

MARKET = "market-shengping"


@pytest.fixture
def booth(served):
    """Today's booth at 升平片场, planned, with the 永新镇 cadre on duty."""
    booth = BoothSession.objects.create(market=served.market, date=timezone.localdate())
    booth.staff.add(served.cadre)
    booth.items.add(served.ui, served.md)
    return booth


@pytest.fixture
def token(served):
    return bearer(served.cadre)


def counted(client, served, booth) -> dict:
    """What the booth's page, the leaders' dashboard and the monthly workbook say the booth did."""
    client.force_login(served.cadre)
    page = client.get(f"/staff/outreach/booths/{booth.pk}/")
    assert page.status_code == 200
    work = page.context["work"]
    today = timezone.localdate()
    # the last week, not the month: the field app's day before may be last month's
    week = Period(today - datetime.timedelta(days=7), today + datetime.timedelta(days=1))
    board = dashboard(viewer=served.staff, period=week, today=today)
    book = load_workbook(BytesIO(monthly_report_xlsx(viewer=served.staff, period=week, today=today)))
    summary = {row[0].value: row[1].value for row in book["概况"].iter_rows(min_row=2)}
    return {
        "page": (work.answered, work.cases, page.content.decode().count("/staff/cases/QJ-")),
        "dashboard": (board.booths_held, board.booth_answered, board.booth_cases),
        "workbook": (
            summary["赶场服务点当场答复的咨询"],
            summary["赶场服务点受理的办件"],
            summary["无赶场服务日在场镇受理的办件"],
        ),
    }


def test_a_case_turned_from_a_question_on_the_booths_page_is_the_booths(client, served, booth):
    client.force_login(served.cadre)
    client.post(f"/staff/outreach/booths/{booth.pk}/", {"item_code": "MD-005", "note": ""})
    response = client.post(
        f"/staff/cases/new/?item=UI-002&channel=booth&place=market:{MARKET}&booth={booth.pk}",
        {"name": served.dai.name, "id_number": served.dai.id_number, "village_code": "500110113225"}
        | {"idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    assert Case.objects.get().booth == booth == Consultation.objects.get(outcome="case").booth
    assert counted(client, served, booth) == {
        "page": (1, 1, 1),
        "dashboard": (1, 1, 1),
        "workbook": (1, 1, 0),
    }
    assert "受理 1 件" in client.get(f"/staff/outreach/booths/{booth.pk}/").content.decode()


def test_a_case_taken_on_the_intake_page_at_the_market_is_the_booths(client, served, booth):
    client.force_login(served.cadre)
    response = client.post(
        f"/staff/cases/new/?item=UI-002&channel=booth&place=market:{MARKET}",
        {"name": served.dai.name, "id_number": served.dai.id_number, "village_code": "500110113225"}
        | {"idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    booth.refresh_from_db()
    assert Case.objects.get().booth == booth and booth.status == BoothSession.Status.HELD
    assert not Consultation.objects.exists()
    assert counted(client, served, booth) == {
        "page": (0, 1, 1),
        "dashboard": (1, 0, 1),
        "workbook": (0, 1, 0),
    }


def test_the_field_apps_case_and_question_are_the_booths_of_the_day_they_were_taken(
    client, served, booth, token
):
    """The field app sends what it took offline with the moment it was taken: a case taken at
    yesterday's booth and sent today is yesterday's booth's, not today's."""
    yesterday = BoothSession.objects.create(
        market=served.market, date=booth.date - datetime.timedelta(days=1), status=BoothSession.Status.HELD
    )
    taken = timezone.make_aware(datetime.datetime.combine(yesterday.date, datetime.time(10, 30)))
    for moment, serial in ((taken, 21), (timezone.localtime(), 22)):
        sent = client.post(
            "/api/v1/cases",
            {
                "item_code": "UI-002",
                "channel": "booth",
                "person": newcomer(serial),
                "market_code": MARKET,
                "materials_received": ["身份证"],
                "materials_missing": [],
                "idempotency_key": f"field-{serial}",
                "taken_at": moment.isoformat(),
            },
            content_type="application/json",
            **token,
        )
        assert sent.status_code == 201, sent.content
    asked = client.post(
        f"/api/v1/outreach/booths/{booth.pk}/consultations",
        {
            "item_code": "MD-005",
            "note": "",
            "idempotency_key": "field-23",
            "taken_at": timezone.now().isoformat(),
        },
        content_type="application/json",
        **token,
    )
    assert asked.status_code == 201, asked.content
    assert [c.booth for c in Case.objects.order_by("accepted_at")] == [yesterday, booth]
    assert counted(client, served, booth) == {
        "page": (1, 1, 1),
        "dashboard": (2, 1, 2),
        "workbook": (1, 2, 0),
    }


def test_a_case_sent_to_the_json_api_at_the_market_is_the_booths(client, served, booth, token):
    sent = client.post(
        "/api/v1/cases",
        {
            "item_code": "UI-002",
            "channel": "booth",
            "market_code": MARKET,
            "applicant_id": served.dai.pk,
            "materials_received": ["身份证"],
        },
        content_type="application/json",
        **token,
    )
    assert sent.status_code == 201, sent.content
    assert Case.objects.get(number=sent.json()["number"]).booth == booth
    assert counted(client, served, booth) == {
        "page": (0, 1, 1),
        "dashboard": (1, 0, 1),
        "workbook": (0, 1, 0),
    }


def test_a_case_at_a_market_with_no_booth_that_day_is_the_markets_alone(client, served, token):
    cancelled = BoothSession.objects.create(
        market=served.market, date=timezone.localdate(), status=BoothSession.Status.CANCELLED
    )
    sent = client.post(
        "/api/v1/cases",
        {
            "item_code": "UI-002",
            "channel": "booth",
            "market_code": MARKET,
            "applicant_id": served.dai.pk,
            "materials_received": ["身份证"],
        },
        content_type="application/json",
        **token,
    )
    assert sent.status_code == 201, sent.content
    case = Case.objects.get()
    assert (case.taken_at_market, case.booth) == (served.market, None)
    cancelled.refresh_from_db()
    assert cancelled.status == BoothSession.Status.CANCELLED
    assert counted(client, served, cancelled) == {
        "page": (0, 0, 0),
        "dashboard": (0, 0, 0),
        "workbook": (0, 0, 1),
    }


def test_a_booth_named_by_the_door_must_be_at_the_market_taken(client, served, booth):
    from linju.cases.services import Intake, case_accept
    from linju.core.errors import NotFound

    elsewhere = BoothSession.objects.create(
        market=type(served.market).objects.create(town=served.yongxin, code="market-yx", name="永新场"),
        date=booth.date,
    )
    intake = Intake(
        item_code="UI-002",
        channel="booth",
        applicant_id=served.dai.pk,
        market_code=MARKET,
        booth_id=elsewhere.pk,
    )
    with pytest.raises(NotFound):
        case_accept(actor=served.cadre, intake=intake)
    assert not Case.objects.exists()


def test_the_booth_link_migration_gives_a_market_case_that_days_booth(served, booth):
    """The migration that brings the link: a case of a market is its booth's of that day (and the
    planned booth was held); a case of a day without a booth stays the market's."""
    migration = importlib.import_module("linju.cases.migrations.0008_case_taken_at_booth")
    common = {
        "bureau_id": served.yongxin.bureau_id,
        "applicant": served.dai,
        "item": served.ui,
        "channel": "booth",
        "town": served.yongxin,
        "taken_at_market": served.market,
        "taken_by": served.cadre,
        "status": Case.Status.ACCEPTED,
        "promised_date": booth.date + datetime.timedelta(days=10),
    }
    on_the_day = Case.objects.create(
        number="T1",
        accepted_at=timezone.make_aware(datetime.datetime.combine(booth.date, datetime.time(9))),
        **common,
    )
    another_day = Case.objects.create(
        number="T2",
        accepted_at=timezone.make_aware(
            datetime.datetime.combine(booth.date - datetime.timedelta(days=2), datetime.time(9))
        ),
        **common,
    )
    migration.match_cases_to_their_booths(apps, None)
    on_the_day.refresh_from_db()
    another_day.refresh_from_db()
    booth.refresh_from_db()
    assert (on_the_day.booth, another_day.booth, booth.status) == (booth, None, BoothSession.Status.HELD)
