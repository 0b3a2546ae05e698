"""The 金保 hand-off: a case taken away from the district hall has an entry sheet with the person's
fields coded as the 人社 standards code them (printable A4, CSV, one case or a town's day), waits
on its town's list until someone on 金保's network records the business number 金保 gave back
(录入金保), and every sheet shown or taken away is in the audit log."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from linju.accounts.services import api_token_create
from linju.audit.models import AuditEvent
from linju.cases import jinbao_codes as codes
from linju.cases.jinbao_selectors import jinbao_figures, jinbao_sheet, jinbao_waiting, sheet_cases, sheets_of
from linju.cases.models import Case, CaseEvent, JinbaoEntry
from linju.cases.services import Intake, bundle_accept_once, case_accept, case_jinbao_enter, sheets_csv
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.core.periods import Period
from linju.people.tests.factories import ResidentFactory


def today() -> datetime.date:
    """Today in Chongqing, read when a test runs (a suite read before midnight may run after it)."""
    return timezone.localdate()


def business_number(sequence: int) -> str:
    """The business number of an entry made today."""
    return f"500110{today():%Y%m%d}{sequence:06d}"


@pytest.fixture
def tujia_woman(served):
    """A woman of 荆山村 (永新镇), 土家族 as she says at the booth."""
    return ResidentFactory(
        name="冉秀英",
        sex="F",
        birth_date=datetime.date(1972, 3, 8),
        village=served.jingshan,
        phone="13800001111",
    )


def booth_case(served, person, *, ethnic_group="", key="", item="UI-002"):
    return case_accept(
        actor=served.cadre,
        intake=Intake(
            item_code=item,
            channel="booth",
            market_code="market-shengping",
            applicant_id=person.pk,
            materials_received=["居民身份证", "失业证明"],
            materials_missing=[],
            ethnic_group=ethnic_group,
            idempotency_key=key,
        ),
    )


def hall_case(served, person):
    return case_accept(
        actor=served.staff,
        intake=Intake(
            item_code="UI-002", channel="counter", service_point_code="hall-qj", applicant_id=person.pk
        ),
    )


def test_a_booth_cases_sheet_carries_the_coded_fields(served, tujia_woman):
    case = booth_case(served, tujia_woman, ethnic_group="15")
    sheet = jinbao_sheet(viewer=served.cadre, number=case.number)
    assert (sheet.id_type.code, sheet.id_type.name) == ("01", "居民身份证（户口簿）")
    assert sheet.id_type_national == "111"
    assert sheet.id_number == tujia_woman.id_number  # whole: it is typed into 金保
    assert (sheet.sex.code, sheet.sex.name) == ("2", "女")
    assert (sheet.ethnic_group.code, sheet.ethnic_group.name) == ("15", "土家族")
    assert sheet.county == "500110"  # GB/T 2260: 綦江区
    assert (sheet.village.code, sheet.town.code) == ("500110113225", "500110113000")
    assert (sheet.item.code, sheet.item.name) == ("UI-002", "失业保险金申领")
    assert sheet.received == ["居民身份证", "失业证明"] and sheet.entry is None
    assert sheet.birth_date == datetime.date(1972, 3, 8) and sheet.phone == "13800001111"


def test_the_printed_sheet_shows_the_codes(client, served, tujia_woman):
    case = booth_case(served, tujia_woman, ethnic_group="15")
    client.force_login(served.cadre)
    page = client.get(reverse("cases:jinbao-sheet", args=[case.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200 and "<script" not in html.split("</header>")[-1]
    for name, code in [("id_type", "01"), ("sex", "2"), ("ethnic_group", "15"), ("county", "500110")]:
        assert f'data-code="{name}">{code}<' in html
    printed = client.get(reverse("cases:jinbao-sheet-pdf", args=[case.number]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(printed.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "".join(p.extract_text() for p in reader.pages)
    assert case.number in text and tujia_woman.id_number in text and "土家族" in text and "UI-002" in text


def test_without_an_ethnic_group_the_sheet_says_not_given_until_one_is_recorded(served, tujia_woman):
    first = booth_case(served, tujia_woman, key="first")
    assert jinbao_sheet(viewer=served.cadre, number=first.number).ethnic_group.name == "未填"
    booth_case(served, tujia_woman, ethnic_group="15", key="second")
    # asked once: the earlier case's sheet reads what a later intake recorded
    assert jinbao_sheet(viewer=served.cadre, number=first.number).ethnic_group.code == "15"


def test_an_ethnic_group_another_town_recorded_is_not_read_into_the_sheet(client, served, tujia_woman):
    """An earlier case of hers in 东溪镇 says 土家族: the 永新镇 cadre's sheet of her 永新镇 case, its page
    and its paper say 未填 (the cadre does not see 东溪镇's cases); staff of the bureau read the same."""
    earlier = case_accept(
        actor=served.staff,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            service_point_code="station-dx",
            applicant_id=tujia_woman.pk,
            ethnic_group="15",
        ),
    )
    assert earlier.town == served.dongxi
    case = booth_case(served, tujia_woman)
    assert jinbao_sheet(viewer=served.cadre, number=case.number).ethnic_group.name == "未填"
    assert jinbao_sheet(viewer=served.staff, number=case.number).ethnic_group.name == "未填"
    client.force_login(served.cadre)
    page = client.get(reverse("cases:jinbao-sheet", args=[case.number])).content.decode()
    assert "未填" in page and "土家族" not in page
    printed = client.get(reverse("cases:jinbao-sheet-pdf", args=[case.number]))
    assert printed.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    assert "土家族" not in text


def test_an_ethnic_group_not_in_gbt_3304_is_refused_at_intake(served, tujia_woman):
    with pytest.raises(DomainError) as refused:
        booth_case(served, tujia_woman, ethnic_group="57")
    assert refused.value.field == "ethnic_group"
    assert not Case.objects.exists()


def test_the_code_lists_hold_the_standards(served):
    assert len([c for c in codes.ETHNIC_GROUPS if int(c) <= 56]) == 56
    assert codes.ETHNIC_GROUPS["01"] == "汉族" and codes.ETHNIC_GROUPS["56"] == "基诺族"
    assert codes.sex_code("M") == ("1", "男") and codes.sex_code("F") == ("2", "女")
    assert codes.county_code("500110113225") == "500110"


def test_entering_moves_the_case_off_the_waiting_list(served, tujia_woman):
    case = booth_case(served, tujia_woman)
    before = next(t for t in jinbao_waiting(viewer=served.staff, town_code="500110113000") if t.shown)
    assert [r.number for r in before.rows] == [case.number] and before.waiting == 1
    entry = case_jinbao_enter(actor=served.staff, number=case.number, business_number=business_number(1))
    assert entry.entered_by == served.staff and entry.business_number == business_number(1)
    yongxin = next(t for t in jinbao_waiting(viewer=served.staff, town_code="500110113000") if t.shown)
    assert yongxin.waiting == 0 and yongxin.rows == []
    event = CaseEvent.objects.get(case=case, action=CaseEvent.Action.JINBAO)
    assert event.actor == served.staff and event.note == business_number(1)
    assert jinbao_sheet(viewer=served.staff, number=case.number).entry == entry


def test_the_same_number_again_is_one_entry_another_is_refused(served, tujia_woman):
    case = booth_case(served, tujia_woman, key="a")
    other = booth_case(served, tujia_woman, key="b", item="MD-005")
    case_jinbao_enter(actor=served.staff, number=case.number, business_number=business_number(1))
    case_jinbao_enter(
        actor=served.staff,
        number=case.number,
        business_number=f"{business_number(1)[:6]} {business_number(1)[6:]}",
    )
    assert JinbaoEntry.objects.count() == 1
    with pytest.raises(Conflict) as again:
        case_jinbao_enter(actor=served.staff, number=case.number, business_number=business_number(2))
    assert again.value.code == "already_entered"
    with pytest.raises(Conflict) as taken:
        case_jinbao_enter(actor=served.staff, number=other.number, business_number=business_number(1))
    assert taken.value.code == "business_number_taken"
    assert not JinbaoEntry.objects.filter(case=other).exists()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12345", "20"),  # too short
        ("5001102026120600012X", "20"),  # not digits
        ("500111{today}000001", "500110"),  # another county
        ("50011020261340000001", "7"),  # no such date
        ("500110{tomorrow}000001", "7"),  # tomorrow
    ],
)
def test_a_bad_business_number_is_refused_in_both_languages(client, served, tujia_woman, typed, says):
    typed = typed.format(today=f"{today():%Y%m%d}", tomorrow=f"{today() + datetime.timedelta(days=1):%Y%m%d}")
    case = booth_case(served, tujia_woman)
    _token, key = api_token_create(user=served.staff, name="jinbao desk")
    answer = client.post(
        f"/api/v1/jinbao/sheets/{case.number}/entry",
        {"business_number": typed},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert says in body["message_zh"] and says in body["message_en"] and "金保" in body["message_zh"]
    assert not JinbaoEntry.objects.exists()


def test_the_page_refuses_a_bad_number_keeping_what_was_typed(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    client.force_login(served.staff)
    url = reverse("cases:jinbao-sheet", args=[case.number])
    refused = client.post(url, {"business_number": "5001 1020"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert 'value="5001 1020"' in refused.content.decode() and "20位数字" in refused.content.decode()
    done = client.post(url, {"business_number": business_number(7)})
    assert done.status_code == 302 and JinbaoEntry.objects.get().case == case


def test_the_api_enters_once_and_says_so(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    _token, key = api_token_create(user=served.staff, name="jinbao desk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    sheet = client.get(f"/api/v1/jinbao/sheets/{case.number}", **auth).json()
    assert (sheet["sex"]["code"], sheet["id_type"]["code"], sheet["county"]) == ("2", "01", "500110")
    assert sheet["ethnic_group"] == {"code": "", "name": "未填"} and sheet["entry"] is None
    url = f"/api/v1/jinbao/sheets/{case.number}/entry"
    first = client.post(url, {"business_number": business_number(3)}, content_type="application/json", **auth)
    again = client.post(url, {"business_number": business_number(3)}, content_type="application/json", **auth)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["business_number"] == business_number(3)
    waiting = client.get("/api/v1/jinbao/waiting", {"town": "500110113000"}, **auth).json()
    assert {t["town"]["code"]: t["waiting"] for t in waiting}["500110113000"] == 0


def test_a_cadre_prints_the_sheet_but_entry_is_the_districts(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    with pytest.raises(PermissionDenied):
        case_jinbao_enter(actor=served.cadre, number=case.number, business_number=business_number(1))
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    refused = client.post(
        f"/api/v1/jinbao/sheets/{case.number}/entry",
        {"business_number": business_number(1)},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert refused.status_code == 403 and "金保" in refused.json()["message_zh"]
    client.force_login(served.cadre)
    page = client.get(reverse("cases:jinbao-sheet", args=[case.number])).content.decode()
    assert 'name="business_number"' not in page
    client.force_login(served.leader)
    assert client.get(reverse("cases:jinbao-sheet", args=[case.number])).status_code == 403


def test_only_cases_taken_away_from_the_hall_wait_and_only_in_the_viewers_towns(served, tujia_woman):
    away = booth_case(served, tujia_woman)
    at_hall = hall_case(served, tujia_woman)
    waiting = jinbao_waiting(viewer=served.staff, town_code="500110113000")
    assert [r.number for t in waiting for r in t.rows] == [away.number]
    with pytest.raises(NotFound):
        jinbao_sheet(viewer=served.staff, number=at_hall.number)
    with pytest.raises(NotFound):  # 东溪镇's cadre: not their town, the same words as for none
        jinbao_sheet(viewer=served.dongxi_cadre, number=away.number)
    with pytest.raises(NotFound):
        jinbao_waiting(viewer=served.dongxi_cadre, town_code="500110113000")


def test_every_sheet_shown_or_taken_away_is_recorded(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    client.force_login(served.cadre)
    client.get(reverse("cases:jinbao-sheet", args=[case.number]))
    client.get(reverse("cases:jinbao-sheet-csv", args=[case.number]))
    client.get(reverse("cases:jinbao-day-csv"), {"town": "500110113000", "day": today().isoformat()})
    client.get(reverse("cases:jinbao-waiting"), {"town": "500110113000"})
    events = list(AuditEvent.objects.filter(object_type="jinbao_sheet").order_by("id"))
    assert [(e.action, e.detail["what"], e.detail["cases"]) for e in events] == [
        (AuditEvent.Action.UNMASKED, "sheet", [case.number]),
        (AuditEvent.Action.EXPORTED, "csv", [case.number]),
        (AuditEvent.Action.EXPORTED, "day_csv", [case.number]),
        (AuditEvent.Action.RECORD_VIEWED, "waiting", [case.number]),
    ]
    assert all(e.actor == served.cadre for e in events)


def test_a_towns_day_at_once_as_csv_of_text_never_formulas(client, served, tujia_woman):
    schemer = ResidentFactory(name="=HYPERLINK(1)", village=served.jingshan, phone="13800002222")
    cases = [booth_case(served, tujia_woman, key="one"), booth_case(served, schemer, key="two")]
    hall_case(served, tujia_woman)  # not on the day's sheets
    client.force_login(served.cadre)
    answer = client.get(reverse("cases:jinbao-day-csv"), {"town": "500110113000", "day": today().isoformat()})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and sorted(r[0] for r in rows[1:]) == sorted(c.number for c in cases)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'=HYPERLINK(1)" in [row[6] for row in rows]
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[cases[0].number][7:12] == [
        "01",
        "居民身份证（户口簿）",
        tujia_woman.id_number,
        "2",
        "女",
    ]
    page = client.get(reverse("cases:jinbao-day"), {"town": "500110113000", "day": today().isoformat()})
    assert page.content.decode().count('class="jinbao-sheet"') == 2
    printed = client.get(
        reverse("cases:jinbao-day-pdf"), {"town": "500110113000", "day": today().isoformat()}
    )
    assert len(PdfReader(io.BytesIO(printed.content)).pages) == 2  # one A4 page a case


def test_a_day_of_more_sheets_than_a_print_holds_says_so_and_prints_in_parts(
    client, served, tujia_woman, monkeypatch
):
    """A day of more sheets than one part holds (DAY_MAX, two here) is never cut short in silence:
    the page says which sheets of how many it shows and links the other parts; each part prints,
    downloads and answers over the API on its own; a part past the last is refused in words."""
    monkeypatch.setattr("linju.cases.jinbao_selectors.DAY_MAX", 2)
    numbers = sorted(booth_case(served, tujia_woman, key=f"day-{n}").number for n in range(3))
    client.force_login(served.staff)
    asked = {"town": "500110113000", "day": today().isoformat()}
    first = client.get(reverse("cases:jinbao-day"), asked).content.decode()
    assert first.count('class="jinbao-sheet"') == 2 and numbers[2] not in first
    notice = first.split('id="day-parts"')[1].split("</p>")[0]
    assert "第1至2张，共3张" in notice and "part=2" in notice
    second = client.get(reverse("cases:jinbao-day"), asked | {"part": "2"}, HTTP_ACCEPT_LANGUAGE="en")
    second = second.content.decode()
    assert second.count('class="jinbao-sheet"') == 1 and numbers[2] in second and "3 to 3 of 3" in second
    printed = client.get(reverse("cases:jinbao-day-pdf"), asked | {"part": "2"})
    assert len(PdfReader(io.BytesIO(printed.content)).pages) == 1
    rows = client.get(reverse("cases:jinbao-day-csv"), asked | {"part": "2"})
    assert "part2" in rows["Content-Disposition"] and len(rows.content.decode("utf-8-sig").splitlines()) == 2
    past = client.get(reverse("cases:jinbao-day"), asked | {"part": "3"})
    assert past.status_code == 400 and "2" in past.content.decode()
    _token, key = api_token_create(user=served.staff, name="jinbao desk")
    api = client.get(
        f"/api/v1/jinbao/days/500110113000/{today().isoformat()}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert [s["number"] for s in api.json()] == numbers[:2]
    assert (api["X-Total-Count"], api["X-Parts"]) == ("3", "2") and "part=2" in api["Link"]


def test_sheets_as_csv_start_with_the_header_in_the_language_read(served, tujia_woman):
    case = booth_case(served, tujia_woman)
    sheets = sheets_of([sheet_cases().get(pk=case.pk)])
    with translation.override("zh-hans"):
        header = sheets_csv(sheets).decode("utf-8-sig").splitlines()[0]
    assert header.startswith('"受理号","事项编码"') and "民族代码（GB/T 3304）" in header


def test_the_dashboard_counts_days_to_entry_and_cases_waiting_by_town(client, served, tujia_woman):
    # three booth cases of 永新镇 taken on 1 December 2026: two entered 3 and 6 days later, one waits;
    # 东溪镇 has one waiting, taken on 2 December
    taken = [
        case_accept(
            actor=served.cadre,
            intake=Intake(
                item_code="UI-002",
                channel="booth",
                market_code="market-shengping",
                applicant_id=tujia_woman.pk,
                idempotency_key=f"day-{n}",
            ),
            now=at(2026, 12, 1),
        )
        for n in range(3)
    ]
    dongxi = case_accept(
        actor=served.dongxi_cadre,
        intake=Intake(item_code="UI-002", channel="phone", applicant_id=served.zhou.pk, phone="13900001234"),
        now=at(2026, 12, 2),
    )
    for case, day, n in [(taken[0], 4, 1), (taken[1], 7, 2)]:
        case_jinbao_enter(
            actor=served.staff,
            number=case.number,
            business_number=f"5001102026120{day}{n:06d}",
            now=at(2026, 12, day, 15),
        )
    figures = {
        row.town.code: row
        for row in jinbao_figures(
            cases=Case.objects.visible_to(served.staff),
            towns=[served.yongxin, served.dongxi],
            period=Period.parse("2026-12"),
            today=datetime.date(2026, 12, 10),
        )
    }
    yongxin, east = figures["500110113000"], figures["500110109000"]
    assert (yongxin.entered, yongxin.mean_days, yongxin.median_days) == (2, 4.5, 4.5)
    assert (yongxin.waiting, yongxin.oldest_days) == (1, 9)
    assert (east.entered, east.mean_days, east.waiting, east.oldest_days) == (0, None, 1, 8)
    assert dongxi.town == served.dongxi
    client.force_login(served.staff)
    page = client.get(reverse("insights:dashboard"), {"month": "2026-12"}).content.decode()
    assert 'id="jinbao"' in page and reverse("cases:jinbao-waiting") in page


def test_the_waiting_page_reads_in_a_fixed_number_of_queries(
    client, served, tujia_woman, django_assert_num_queries
):
    client.force_login(served.cadre)
    for many in (3, 6):  # the same queries however many cases wait
        while Case.objects.count() < many:
            booth_case(served, tujia_woman, key=f"q-{Case.objects.count()}")
        client.get(reverse("cases:jinbao-waiting"))  # the session and held tables read once
        with django_assert_num_queries(6):  # session, user, towns, waiting counts, cases, audit row
            page = client.get(reverse("cases:jinbao-waiting"), {"town": "500110113000"})
        assert page.content.decode().count('<a class="mono" href="/staff/cases/') == many


def test_the_waiting_counts_are_counted_by_the_database(served, tujia_woman, django_assert_num_queries):
    """How many cases wait in each town and the oldest's days: one grouped query (a row a town), not
    every waiting case read into Python."""
    for key in ("a", "b", "c"):
        booth_case(served, tujia_woman, key=key)
    case_accept(
        actor=served.staff,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            service_point_code="station-dx",
            applicant_id=served.zhou.pk,
        ),
    )
    with django_assert_num_queries(2) as seen:  # the towns, the counts
        towns = jinbao_waiting(viewer=served.staff)
    assert [(t.town.name, t.waiting, t.oldest_days) for t in towns] == [("东溪镇", 1, 0), ("永新镇", 3, 0)]
    counts = seen.captured_queries[1]["sql"].upper()
    assert "COUNT(" in counts and "GROUP BY" in counts


def test_a_partner_offices_part_of_a_bundle_does_not_wait_for_jinbao(retirement):
    person = ResidentFactory(birth_date=datetime.date(1950, 1, 1), sex="M", village=retirement.jingshan)
    accepted = bundle_accept_once(
        actor=retirement.cadre,
        code="retire",
        intake=Intake(
            item_code="",
            channel="booth",
            applicant_id=person.pk,
            market_code="market-shengping",
            materials_received=["居民身份证", "户口簿", "银行卡", "公积金联名卡"],
        ),
    )
    parts = {part.item.code: part.number for part in accepted.parts}
    listed = {
        row.number
        for t in jinbao_waiting(viewer=retirement.staff, town_code="500110113000")
        for row in t.rows
    }
    assert parts["RT-001"] in listed and parts["RT-002"] in listed
    assert parts["HF-001"] not in listed  # the housing fund's, sent to its office


def test_the_case_page_links_its_sheet_only_when_it_goes_to_jinbao(client, served, tujia_woman):
    away, at_hall = booth_case(served, tujia_woman), hall_case(served, tujia_woman)
    client.force_login(served.staff)
    sheet_link = 'href="/staff/cases/{}/jinbao/"'
    assert (
        sheet_link.format(away.number)
        in client.get(reverse("cases:detail", args=[away.number])).content.decode()
    )
    hall_page = client.get(reverse("cases:detail", args=[at_hall.number])).content.decode()
    assert sheet_link.format(at_hall.number) not in hall_page


def test_the_public_timeline_says_the_entry_in_plain_words_and_staff_pages_keep_jinbao(
    client, served, tujia_woman
):
    case = booth_case(served, tujia_woman)
    case_jinbao_enter(actor=served.staff, number=case.number, business_number=business_number(1))
    status = client.post(reverse("status"), {"number": case.number, "phone_last4": "1111"}).content.decode()
    assert "已录入社保业务系统" in status and "金保" not in status
    client.force_login(served.staff)
    assert "录入金保" in client.get(reverse("cases:detail", args=[case.number])).content.decode()


def test_a_malformed_business_number_is_explained_once(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    client.force_login(served.staff)
    refused = client.post(reverse("cases:jinbao-sheet", args=[case.number]), {"business_number": "abc"})
    page = refused.content.decode()
    with translation.override("zh-hans"):
        words = str(codes.BUSINESS_NUMBER_WORDS)
    assert refused.status_code == 400 and page.count(words) == 1 and 'value="abc"' in page


def test_the_sheet_names_who_took_the_case_as_the_case_pages_do(client, served, tujia_woman):
    case = booth_case(served, tujia_woman)
    type(served.cadre).objects.filter(pk=served.cadre.pk).update(display_name="永新镇社保干部")
    client.force_login(served.staff)
    page = client.get(reverse("cases:jinbao-sheet", args=[case.number])).content.decode()
    assert "永新镇社保干部" in page and served.cadre.username not in page
    assert jinbao_sheet(viewer=served.staff, number=case.number).taken_by == "永新镇社保干部"
