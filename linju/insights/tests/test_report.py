"""The monthly report (月报) against the hand-counted November 2026 fixture (see conftest)."""

from io import BytesIO

from openpyxl import load_workbook

from linju.audit.tests.exports import exported
from linju.insights.reports import monthly_figures, monthly_report_xlsx
from linju.insights.selectors import Period
from linju.insights.tests.conftest import NOVEMBER, TODAY


def test_monthly_figures_by_town_and_item(counted_november):
    rows = {
        (r["town"].name, r["item"].code): {
            k: r[k] for k in ("received", "closed", "kept", "late", "overdue", "rated")
        }
        for r in monthly_figures(viewer=counted_november.staff, period=NOVEMBER, today=TODAY)
    }
    assert rows == {
        ("永新镇", "UI-002"): {"received": 3, "closed": 2, "kept": 1, "late": 1, "overdue": 0, "rated": 1},
        ("永新镇", "MD-005"): {"received": 1, "closed": 0, "kept": 0, "late": 0, "overdue": 1, "rated": 0},
        ("东溪镇", "UI-002"): {"received": 0, "closed": 1, "kept": 0, "late": 1, "overdue": 0, "rated": 0},
        ("东溪镇", "MD-005"): {"received": 1, "closed": 1, "kept": 1, "late": 0, "overdue": 0, "rated": 1},
    }


def test_a_past_month_counts_overdue_at_its_end(counted_november):
    october = Period.month(2026, 10)
    rows = {
        (r["town"].name, r["item"].code): r
        for r in monthly_figures(viewer=counted_november.staff, period=october, today=TODAY)
    }
    # the home-visit case promised for 27 October was still open on 31 October (closed 2 November)
    assert rows[("东溪镇", "UI-002")]["overdue"] == 1
    assert rows[("永新镇", "UI-002")]["kept"] == 1


def test_report_sheet_is_printable_with_totals(counted_november):
    sheet = load_workbook(
        BytesIO(monthly_report_xlsx(viewer=counted_november.staff, period=NOVEMBER, today=TODAY))
    ).active
    assert "2026-11" in sheet["A1"].value
    assert sheet.print_title_rows == "$3:$3" or sheet.print_title_rows == "3:3"
    assert sheet.page_setup.orientation == "landscape"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    grand = values[-1]
    # received, closed, kept, late, overdue, rate (a number): 2 kept of 4 closed + 1 overdue
    assert grand[2:8] == [5, 4, 2, 2, 1, 0.4]
    assert sheet.cell(row=sheet.max_row, column=8).number_format == "0.0%"
    assert grand[8:] == [2, 4.0]  # two ratings, mean (5 + 3) / 2


def test_the_workbook_carries_the_whole_month(counted_november):
    """A sheet for each of the dashboard's figures, rates as numbers formatted as
    percentages, headers frozen and printed on every page, and a sheet of charts."""
    import datetime

    from linju.jobs.models import Employer, Vacancy
    from linju.outreach.models import Certification, Pensioner

    old = Pensioner.objects.create(bureau=counted_november.dai.bureau, resident=counted_november.dai)
    Certification.objects.create(
        bureau=old.bureau,
        pensioner=old,
        year=TODAY.year,
        method="station",
        certified_on=datetime.date(2026, 3, 1),
    )
    Pensioner.objects.create(bureau=counted_november.zhou.bureau, resident=counted_november.zhou)
    factory = Employer.objects.create(name="綦江齿轮厂(示例)", village=counted_november.jingshan)
    Vacancy.objects.create(
        employer=factory,
        title="装配工",
        occupation_group="6",
        min_education=2,
        wage_min=4000,
        wage_max=5000,
        shifts=["day"],
        opened_on=TODAY - datetime.timedelta(days=45),
    )
    book = load_workbook(
        BytesIO(monthly_report_xlsx(viewer=counted_november.staff, period=NOVEMBER, today=TODAY))
    )
    names = book.sheetnames
    for sheet in (
        "概况",
        "渠道",
        "受理地点",
        "按镇街",
        "未按时走访的村",
        "资格认证",
        "就业",
        "长期未招满岗位",
        "评价分级",
        "图表",
    ):
        assert sheet in names, (sheet, names)
    summary = {row[0].value: row[1] for row in book["概况"].iter_rows(min_row=2)}
    assert summary["按期办结率"].value == 0.4 and summary["按期办结率"].number_format == "0.0%"
    assert (
        isinstance(summary["本年已认证的领取人"].value, float)
        and summary["本年已认证的领取人"].number_format == "0.0%"
    )
    certified = [[c.value for c in row] for row in book["资格认证"].iter_rows(min_row=2)]
    assert sum(r[1] for r in certified) == 2 and sum(r[2] for r in certified) == 1
    unfilled = [[c.value for c in row] for row in book["长期未招满岗位"].iter_rows(min_row=2)]
    assert unfilled and unfilled[0][:2] == ["綦江齿轮厂(示例)", "装配工"] and unfilled[0][4]
    unvisited = {row[1].value for row in book["未按时走访的村"].iter_rows(min_row=2)}
    assert "荆山村" in unvisited
    for name in names[1:-1]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows in ("$1:$1", "1:1"), name
        assert sheet.page_setup.orientation == "landscape", name
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.endswith("%")), (name, cell.value)
    assert len(book["图表"]._charts) == 2


def test_report_download(client, counted_november):
    client.force_login(counted_november.leader)
    response = client.get("/staff/insights/monthly-report.xlsx?month=2026-11")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/staff/insights/monthly-report.xlsx?month=13-2026").status_code == 400


def test_every_list_exports_and_personal_ones_are_audited(client, counted_november):
    from linju.audit.models import AuditEvent
    from linju.insights.exports import EXPORTS

    client.force_login(counted_november.cadre)
    for key, export in EXPORTS.items():
        before = AuditEvent.objects.filter(action="exported").count()
        response = client.post(f"/staff/insights/export/{key}.xlsx")
        sheet = load_workbook(BytesIO(exported(client, response))).active
        assert [c.value for c in sheet[1]][0], key  # a header row
        assert AuditEvent.objects.filter(action="exported").count() == before + (
            1 if export.personal else 0
        ), key
    tasks = load_workbook(
        BytesIO(exported(client, client.post("/staff/insights/export/home-tasks.xlsx")))
    ).active
    assert counted_november.dai.name in [
        c.value for c in tasks[2]
    ] and counted_november.dai.id_number not in str([c.value for c in tasks[2]])
    assert client.post("/staff/insights/export/nothing.xlsx").status_code == 404
    assert client.post("/staff/insights/export/roster.xlsx", {"year": "abc"}).status_code == 400
    assert client.get("/staff/insights/export/home-tasks.xlsx").status_code == 405
    client.force_login(counted_november.leader)  # leaders read figures, not lists of people
    assert client.post("/staff/insights/export/home-tasks.xlsx").status_code == 403
    assert client.post("/staff/insights/export/coverage.xlsx").status_code == 303


def test_no_export_ever_holds_a_formula(client, counted_november):
    """A name that reads as a formula (accepted by the registry before names were checked, or typed in
    a spreadsheet upload) comes back from every workbook Linju writes as text, never a formula."""
    from linju.insights.exports import EXPORTS
    from linju.insights.imports import errors_xlsx
    from linju.people.models import Resident

    evil = '=HYPERLINK("http://x.invalid","点我")'  # 40 characters at most, as names are
    Resident.objects.filter(pk=counted_november.dai.pk).update(name=evil)
    client.force_login(counted_november.cadre)
    books = {key: exported(client, client.post(f"/staff/insights/export/{key}.xlsx")) for key in EXPORTS}
    books["cases"] = exported(client, client.post("/staff/cases/export/"))
    books["residents"] = exported(client, client.post("/staff/residents/export/", {"q": ""}))
    books["monthly"] = client.get("/staff/insights/monthly-report.xlsx", {"month": "2026-11"}).content
    books["errors"] = errors_xlsx([{"row": 2, "column": "姓名", "value": "=1+1", "message": "@SUM(A1)"}])
    seen_evil = False
    for name, content in books.items():
        for sheet in load_workbook(BytesIO(content)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    seen_evil = seen_evil or cell.value == evil
    assert seen_evil  # the name itself is kept, as text
