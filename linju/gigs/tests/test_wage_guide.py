"""工资指导价位: the bureau's sheet imported all or nothing, and a gig compared with it (one function for
every page and the API)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from linju.core.errors import DomainError, PermissionDenied
from linju.gigs.models import Gig, WageGuidePrice
from linju.gigs.tests.factories_pay import (
    GigFactory,
    WageGuidePriceFactory,
    WorkTypeFactory,
    gig_day_fixture,  # noqa: F401  (the fixture gig_day)
)
from linju.gigs.wage_guide import below_guide, gigs_below_guide, guide_for, wage_guide_import
from linju.outreach.models import BoothSession


def sheet(*rows, title=True) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    if title:
        ws.append(["綦江区2026年人力资源市场工资指导价位"])
    for row in rows:
        ws.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ("序号", "工种", "单位", "低位数", "中位数", "高位数")


def test_the_bureaus_sheet_is_kept_by_year_work_type_and_unit(gig_day):
    WorkTypeFactory(code="mason", name="砌筑工")
    result = wage_guide_import(
        viewer=gig_day.staff,
        content=sheet(HEADER, (1, "采摘工", "日", 160, 190, 230), (2, "砌筑工", "小时", 25, 30, 40.5)),
        year=2027,
    )
    assert (result.saved, result.created, result.updated, result.errors) == (True, 2, 0, [])
    mason = WageGuidePrice.objects.get(year=2027, work_type__code="mason")
    assert (mason.unit, mason.low, mason.high) == ("hour", Decimal("25.00"), Decimal("40.50"))
    again = wage_guide_import(
        viewer=gig_day.staff,
        content=sheet(HEADER, (1, "采摘工", "日", 160, 195, 230), (2, "砌筑工", "小时", 25, 30, 40.5)),
        year=2027,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)


def test_a_bad_row_keeps_nothing_and_says_row_column_and_reason(gig_day):
    before = WageGuidePrice.objects.count()
    result = wage_guide_import(
        viewer=gig_day.staff,
        content=sheet(
            ("年度", *HEADER[1:]),
            (2027, "采摘工", "日", 160, 190, 230),
            (2027, "飞行员", "日", 100, 200, 300),
            (2027, "采摘工", "月", 100, 200, 300),
            (2027, "采摘工", "小时", 30, 20, 40),
            (2027, "采摘工", "日", 161, 190, 230),
            ("27", "采摘工", "件", 1, 2, 3),
        ),
    )
    assert not result.saved and WageGuidePrice.objects.count() == before
    assert [(e.row, e.value) for e in result.errors] == [
        (4, "飞行员"),
        (5, "月"),
        (6, "20"),
        (7, "采摘工"),
        (8, "27"),
    ]
    assert all(e.message for e in result.errors)


def test_a_file_that_is_no_guide_is_refused_in_words(gig_day):
    with pytest.raises(DomainError):
        wage_guide_import(viewer=gig_day.staff, content=b"PK\x03\x04 not really", year=2027)
    with pytest.raises(DomainError):
        wage_guide_import(viewer=gig_day.staff, content=sheet(("姓名", "电话"), ("代云峰", "139")), year=2027)
    with pytest.raises(DomainError):
        wage_guide_import(viewer=gig_day.staff, content=b"x" * (3 * 1024 * 1024), year=2027)


def test_only_district_staff_import_the_guide(gig_day):
    with pytest.raises(PermissionDenied):
        wage_guide_import(viewer=gig_day.cadre, content=sheet(HEADER), year=2027)


def test_a_gig_below_the_low_figure_is_flagged_with_the_guide_beside_it(gig_day):
    gig = gig_day.gig  # 160 a day against 150 / 180 / 220
    note = guide_for(gig)
    assert (note.year, note.low, note.middle, note.high, note.below) == (
        2026,
        Decimal("150"),
        Decimal("180"),
        Decimal("220"),
        False,
    )
    cheap = GigFactory(
        village=gig_day.jingshan,
        market=gig_day.market,
        work_type=gig_day.picking,
        posted_by=gig_day.cadre,
        pay=Decimal("120"),
        starts_on=datetime.date(2026, 12, 2),
    )
    assert below_guide(cheap) and not below_guide(gig)
    assert guide_for(cheap).short_by == Decimal("30")
    flagged = gigs_below_guide(viewer=gig_day.cadre, today=datetime.date(2026, 12, 1))
    assert [g for g, _note in flagged] == [cheap]
    assert gigs_below_guide(viewer=gig_day.dongxi_cadre, today=datetime.date(2026, 12, 1)) == []


def test_a_day_and_an_hour_compare_through_eight_hours_and_pieces_only_with_pieces(gig_day):
    hourly = GigFactory.build(
        bureau=gig_day.yongxin.bureau, work_type=gig_day.picking, pay=Decimal("18"), pay_unit="hour"
    )
    note = guide_for(hourly)  # 150 / 8 = 18.75
    assert note.converted and note.low == Decimal("18.75") and note.below
    assert not below_guide(GigFactory.build(**_like(hourly), pay=Decimal("19"), pay_unit="hour"))
    assert guide_for(GigFactory.build(**_like(hourly), pay=Decimal("2"), pay_unit="piece")) is None
    WageGuidePriceFactory(
        bureau=gig_day.yongxin.bureau, work_type=gig_day.picking, unit="hour", low=20, middle=25, high=30
    )
    own = guide_for(GigFactory.build(**_like(hourly), pay=Decimal("19"), pay_unit="hour"))
    assert not own.converted and own.below  # the guide's own hourly figure comes first


def _like(gig) -> dict:
    return {"bureau": gig.bureau, "work_type": gig.work_type, "village": gig.village}


def test_a_years_guide_not_yet_published_leaves_last_years_standing(gig_day):
    next_year = GigFactory.build(
        **_like(gig_day.gig), starts_on=datetime.date(2027, 1, 5), pay=Decimal("140")
    )
    assert guide_for(next_year).year == 2026 and below_guide(next_year)
    earlier = GigFactory.build(**_like(gig_day.gig), starts_on=datetime.date(2025, 6, 1))
    assert guide_for(earlier) is None


def test_the_guide_of_another_bureau_is_not_this_gigs(gig_day):
    other = WorkTypeFactory(code="tea", name="采茶工")
    WageGuidePriceFactory(bureau=gig_day.wansheng_resident.bureau, work_type=other)
    gig = GigFactory.build(**(_like(gig_day.gig) | {"work_type": other}), pay=Decimal("10"))
    assert guide_for(gig) is None and not below_guide(gig)


def test_the_include_shows_the_guide_beside_the_gig_and_says_below(gig_day):
    cheap = GigFactory.build(**_like(gig_day.gig), pay=Decimal("120"))
    html = render_to_string("gigs/guide_note.html", {"gig": cheap})
    assert "150" in html and "180" in html and "220" in html and "warning" in html
    assert "warning" not in render_to_string("gigs/guide_note.html", {"gig": gig_day.gig})
    piece = GigFactory.build(**_like(gig_day.gig), pay_unit="piece")
    assert render_to_string("gigs/guide_note.html", {"gig": piece}).strip() == ""


BELOW_SENTENCE = "日工资低于本区指导价位(采摘工 150–220 元/天)。"


def test_a_gig_posted_below_the_guide_is_flagged_where_it_is_posted_and_on_its_page(client, gig_day):
    client.force_login(gig_day.cadre)
    form = {
        "place": "market:market-shengping",
        "work_type": "picking",
        "pay": "120",
        "pay_unit": "day",
        "headcount": "2",
        "employer_name": "荆山柑橘合作社(示例)",
        "contact_phone": "13800003333",
        "start_time": "08:00",
        "end_time": "17:00",
    }
    answer = client.post("/staff/gigs/new/", form, follow=True)
    html = answer.content.decode()
    assert answer.redirect_chain and html.count(BELOW_SENTENCE) == 2  # the answer, and on the gig's page
    gig = Gig.objects.get(pay=Decimal("120"))
    assert BELOW_SENTENCE in client.get(f"/staff/gigs/{gig.pk}/").content.decode()
    fair = client.post("/staff/gigs/new/", form | {"pay": "150"}, follow=True).content.decode()
    assert "低于本区指导价位" not in fair and "本区指导价位 150–220 元/天" in fair


def test_the_booth_flags_a_gig_below_the_guide_and_the_public_page_shows_the_guide_without_blame(
    client, gig_day
):
    today = timezone.localdate()
    GigFactory(
        village=gig_day.jingshan,
        market=gig_day.market,
        work_type=gig_day.picking,
        posted_by=gig_day.cadre,
        title="低价采摘",
        pay=Decimal("120"),
        starts_on=today,
        end_time=datetime.time(23, 0),
    )
    booth = BoothSession.objects.create(market=gig_day.market, date=today)
    booth.staff.add(gig_day.cadre)
    public = client.get("/gigs/", {"town": gig_day.yongxin.code}).content.decode()
    row = public[public.index("低价采摘") :].split("</li>")[0]
    assert "本区指导价位 150–220 元/天" in row and "低于" not in public
    client.force_login(gig_day.cadre)
    page = client.get(f"/staff/outreach/booths/{booth.pk}/").content.decode()
    assert BELOW_SENTENCE in page[page.index("低价采摘") :].split("</li>")[0]
