"""好差评 on the leaders' dashboard and in the monthly workbook: 实名差评回访率 and 整改率 are the
rows' own counts (a plain SQL count says the same), and overdue callbacks are shown by town."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from openpyxl import load_workbook

from linju.cases.models import Rating
from linju.cases.rating_selectors import public_monthly_figures
from linju.cases.services import (
    Outcome,
    callback_record_call,
    callback_rectify,
    case_rate_by_resident,
)
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.core.periods import Period
from linju.insights.reports import monthly_report_xlsx
from linju.insights.selectors import dashboard

GRANTED = Outcome(kind="granted", detail="已发放")


@pytest.fixture
def rated(served):
    """Five of 代云峰's cases rated this month: 1, 1, 2, 4, 5; two of the three 差评 called back, one
    of those rectified."""
    cache.clear()
    callbacks = []
    for n, level in enumerate([1, 1, 2, 4, 5]):
        case = case_taken(served, now=at(2026, 11, 25, 9 + n))
        case_moved(served, case, "finish", outcome=GRANTED)
        rating = case_rate_by_resident(number=case.number, phone_last4=served.dai.phone[-4:], level=level)
        if rating.unsatisfied:
            callbacks.append(rating.callback)
    for callback in callbacks[:2]:
        callback_record_call(actor=served.cadre, follow_up_id=callback.pk, resident_said="等太久")
    callback_rectify(
        actor=served.cadre, follow_up_id=callbacks[0].pk, way="explained", rectification="已说明"
    )
    return served


def _sql_count(where: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM cases_rating r LEFT JOIN cases_followup f ON f.rating_id = r.id "
            "WHERE r.level <= 2 AND r.named = %s AND r.set_aside_at IS NULL" + where,
            [True],
        )
        return cursor.fetchone()[0]


def test_the_dashboards_callback_rate_is_a_sql_count(rated):
    board = dashboard(viewer=rated.staff, period=Period.parse(None, timezone.localdate()))
    named_bad = _sql_count("")
    called = _sql_count(" AND f.called_at IS NOT NULL")
    rectified = _sql_count(" AND f.status = 'rectified'")
    figures = board.rating_figures
    assert (
        (figures.named_bad, figures.called_back, figures.rectified)
        == (named_bad, called, rectified)
        == (3, 2, 1)
    )
    assert figures.callback_rate == round(100 * called / named_bad, 1)
    assert figures.rectification_rate == round(100 * rectified / named_bad, 1)


def test_the_workbook_carries_the_rates_and_overdue_callbacks_by_town(rated):
    with translation.override("en"):
        book = load_workbook(
            BytesIO(monthly_report_xlsx(viewer=rated.staff, period=Period.parse(None, timezone.localdate())))
        )
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Called back (实名差评回访率, aim 100%)"] == pytest.approx(2 / 3)
    assert summary["Rectified (整改率)"] == pytest.approx(1 / 3)
    assert "Overdue callbacks by town" in book.sheetnames


def test_the_public_page_shows_the_months_figures_without_names(rated, client):
    page = client.get("/ratings/")
    body = page.content.decode()
    assert page.status_code == 200 and "永新镇" in body and "66.7%" in body
    assert rated.dai.name not in body and rated.cadre.username not in body


def test_the_public_figures_are_of_twelve_months_this_one_included(rated):
    Rating.objects.update(created_at=at(2025, 12, 31, 12))  # the thirteenth month before December 2026
    assert public_monthly_figures(today=at(2026, 12, 6).date()) == []
    Rating.objects.update(created_at=at(2026, 1, 1, 12))  # the twelfth
    (row,) = public_monthly_figures(today=at(2026, 12, 6).date())
    assert row.ratings == 5 and row.month.month == 1
