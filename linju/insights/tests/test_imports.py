"""Spreadsheets in: good files, bad rows (all-or-nothing), broken files, and a huge one."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from linju.core.errors import DomainError, PermissionDenied
from linju.insights.imports import columns_for, template_xlsx
from linju.insights.models import ImportJob
from linju.insights.services import import_execute, import_start
from linju.jobs.models import Employer, JobSeeker, Vacancy
from linju.people.idnumbers import build_id_number
from linju.people.models import Household, Resident

HEADER = ["姓名", "公民身份号码", "手机号码", "镇街", "村(社区)", "户号"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zh_header(kind: str) -> list[str]:
    """The template's header, as a Chinese-speaking cadre's file has it."""
    with translation.override("zh-hans"):
        return [str(c.label) for c in columns_for(kind)]


def person(serial: int, village="荆山村", **overrides):
    row = [
        f"测试{serial}",
        build_id_number(
            "500222", datetime.date(1980, 1, 1) + datetime.timedelta(days=serial % 9000), serial % 999 + 1
        ),
        "13912345678",
        "",
        village,
        "",
    ]
    for index, value in overrides.items():
        row[int(index[1:])] = value
    return row


def run(actor, content, kind="residents", partial=False) -> ImportJob:
    with translation.override("zh-hans"):
        job = import_start(actor=actor, kind=kind, filename="名单.xlsx", content=content, partial=partial)
        import_execute(job=job)
    job.refresh_from_db()
    return job


def test_good_file_saves_every_row(towns_and_staff):
    job = run(
        towns_and_staff.cadre, xlsx([person(1), person(2, village="500110113225"), person(3, c5="HH-1")])
    )
    assert (job.status, job.rows_total, job.rows_written, job.error_count) == ("done", 3, 3, 0)
    assert Resident.objects.filter(name__startswith="测试").count() == 3
    assert Household.objects.get(number="HH-1").village == towns_and_staff.jingshan
    saved = Resident.objects.get(name="测试1")
    assert saved.name_pinyin and saved.birth_date == datetime.date(1980, 1, 2)


def test_the_workbook_is_kept_in_the_file_storage_and_read_from_there(towns_and_staff):
    """A worker on another machine reads the upload from the storage every server shares (a bucket
    in production), not from the web server's memory or the database."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    content = xlsx([person(1)])
    job = import_start(actor=towns_and_staff.cadre, kind="residents", filename="名单.xlsx", content=content)
    assert (
        job.upload.name.startswith(f"imports/{towns_and_staff.cadre.bureau_id}/")
        and "名单" not in job.upload.name
    )
    with default_storage.open(job.upload.name, "rb") as stored:
        assert stored.read() == content
    # what the worker reads is what the storage holds now
    default_storage.delete(job.upload.name)
    default_storage.save(job.upload.name, ContentFile(xlsx([person(1), person(2)])))
    import_execute(job=ImportJob.objects.get(pk=job.pk))
    assert ImportJob.objects.get(pk=job.pk).rows_written == 2


def test_one_bad_row_saves_nothing_and_says_why_in_chinese(towns_and_staff):
    bad_id = person(2)[1][:-1] + ("0" if person(2)[1][-1] != "0" else "1")  # wrong check digit
    rows = [person(1), person(2, c1=bad_id), person(3, c4="不存在村"), person(4, c2="12345")]
    job = run(towns_and_staff.cadre, xlsx(rows))
    assert job.status == "rejected" and job.rows_written == 0
    assert not Resident.objects.filter(name__startswith="测试").exists()
    by_row = {e["row"]: e for e in job.errors}
    assert set(by_row) == {3, 4, 5}  # Excel's row numbers: the header is row 1
    assert by_row[3]["column"] == "身份证号" and "校验" in by_row[3]["message"]
    assert by_row[4]["column"] == "村(社区)"
    assert by_row[5]["column"] == "手机号码"


def test_partial_saves_the_good_rows_only(towns_and_staff):
    job = run(towns_and_staff.cadre, xlsx([person(1), person(2, c4="不存在村")]), partial=True)
    assert (job.status, job.rows_written, job.error_count) == ("done", 1, 1)
    assert list(Resident.objects.filter(name__startswith="测试").values_list("name", flat=True)) == ["测试1"]


def test_duplicates_in_the_file_and_in_the_registry(towns_and_staff):
    taken = towns_and_staff.dai.id_number
    job = run(towns_and_staff.cadre, xlsx([person(1), person(1), ["某人", taken, "", "", "荆山村", ""]]))
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "第2行" in messages[3] or "row 2" in messages[3]
    assert "已" in messages[4]
    assert Resident.objects.filter(name__startswith="测试").count() == 0


def test_a_person_of_the_other_bureau_is_imported_as_a_move_once(towns_and_staff):
    """万盛's file lists someone 綦江 has registered: under the registered name they get 万盛's own
    record and the directory records the move; under another name the row is refused; a second
    import of the same file adds no one."""
    from linju.people.models import Person, PersonMove

    dai, zhou = towns_and_staff.dai, towns_and_staff.zhou
    nantong = towns_and_staff.wansheng_resident.village.name
    rows = [[dai.name, dai.id_number, "", "", nantong, ""], ["别人", zhou.id_number, "", "", nantong, ""]]
    job = run(towns_and_staff.ws_staff, xlsx(rows), partial=True)
    assert (job.status, job.rows_written, job.error_count) == ("done", 1, 1)
    assert job.errors[0]["row"] == 3 and "对不上" in job.errors[0]["message"]
    moved = Resident.objects.get(id_number=dai.id_number, bureau=towns_and_staff.ws_staff.bureau)
    move = PersonMove.objects.get()
    assert (move.from_resident, move.to_resident, move.how) == (dai, moved, "import")
    assert Person.objects.get(id_number=dai.id_number).bureau == towns_and_staff.ws_staff.bureau
    assert Person.objects.get(id_number=zhou.id_number).bureau == zhou.bureau  # not moved
    again = run(towns_and_staff.ws_staff, xlsx(rows[:1]))
    assert again.status == "rejected" and "已" in again.errors[0]["message"]  # already registered here
    assert PersonMove.objects.count() == 1 and Resident.objects.filter(id_number=dai.id_number).count() == 2


def test_a_village_outside_the_cadres_towns_is_refused(towns_and_staff):
    job = run(towns_and_staff.cadre, xlsx([person(1, village="龙井村")]))  # 东溪镇: not this cadre's
    assert job.status == "rejected" and job.errors[0]["column"] == "村(社区)"


def test_id_numbers_typed_as_numbers_are_caught(towns_and_staff):
    job = run(towns_and_staff.cadre, xlsx([["某人", 500222198001010011.0, "", "", "荆山村", ""]]))
    assert job.status == "rejected" and "15" in job.errors[0]["message"]


def test_broken_files_are_refused_in_plain_words(towns_and_staff):
    with pytest.raises(DomainError):
        import_start(
            actor=towns_and_staff.cadre,
            kind="residents",
            filename="a.xls",
            content=b"\xd0\xcf\x11\xe0old excel",
        )
    with pytest.raises(DomainError):
        import_start(actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=b"")
    job = run(towns_and_staff.cadre, xlsx([["x"]], header=["姓名", "电话"]))
    assert job.status == "rejected" and "身份证号" in job.errors[0]["message"]
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        import_start(
            actor=towns_and_staff.cadre,
            kind="residents",
            filename="a.xlsx",
            content=b"PK\x03\x04 not really a zip",
        )
    assert refused.value.field == "file" and "Excel" in refused.value.text()
    with pytest.raises(PermissionDenied):
        import_start(actor=towns_and_staff.leader, kind="residents", filename="a.xlsx", content=xlsx([]))


def test_english_headers_and_the_template_round_trip(towns_and_staff):
    template = load_workbook(BytesIO(template_xlsx("residents"))).active
    header = [c.value for c in template[1]]
    assert header[:2] in (["姓名", "身份证号"], ["Name", "ID number"])
    english = xlsx(
        [person(1)], header=["Name", "ID number", "Mobile phone", "Town", "Village", "Household number"]
    )
    assert run(towns_and_staff.cadre, english).status == "done"


def test_seekers_and_vacancies(towns_and_staff):
    park = towns_and_staff.longjing
    Employer.objects.create(name="电子厂(示例)", village=park)
    seekers = xlsx(
        [
            [
                towns_and_staff.dai.id_number,
                "初中",
                "电工、焊接",
                "60",
                "白班",
                "4000",
                "否",
                "是",
                "3",
                "要照顾老人",
            ],
            [
                towns_and_staff.zhou.id_number,
                "初中",
                "",
                "60",
                "白班",
                "4000",
                "否",
                "否",
                "",
                "",
            ],  # 东溪镇: not hers
            [towns_and_staff.dai.id_number, "博士后", "飞行", "999", "白班", "4000", "也许", "否", "", ""],
        ],
        header=[
            "公民身份号码",
            "文化程度",
            "技能",
            "最长通勤(分钟)",
            "班次",
            "期望月薪(元)",
            "接受重体力劳动",
            "想参加培训",
            "工作年限",
            "情况说明",
        ],
    )
    job = run(towns_and_staff.cadre, seekers, kind="seekers")
    assert job.status == "rejected" and JobSeeker.objects.count() == 0
    assert {e["row"] for e in job.errors} == {3, 4}, job.errors
    assert (
        len([e for e in job.errors if e["row"] == 4]) >= 3
    )  # education, skills, commute, yes/no: each named
    header = [
        "用人单位",
        "岗位名称",
        "职业大类",
        "技能",
        "最低文化程度",
        "月薪下限(元)",
        "月薪上限(元)",
        "班次",
        "招聘人数",
    ]
    vacancies = xlsx(
        [
            ["电子厂(示例)", "电子装配工", "6", "电子装配", "初中", "4200", "5600", "白班", "3"],
            ["电子厂(示例)", "女工", "6", "", "初中", "4200", "5600", "白班", "1"],
        ],
        header=header,
    )
    job = run(towns_and_staff.staff, vacancies, kind="vacancies")
    assert job.status == "rejected" and Vacancy.objects.count() == 0
    assert job.errors[0]["row"] == 3 and "就业促进法" in job.errors[0]["message"]
    job = run(
        towns_and_staff.staff,
        xlsx(
            [
                vacancies_row := [
                    "电子厂(示例)",
                    "电子装配工",
                    "6",
                    "电子装配",
                    "初中",
                    "4200",
                    "5600",
                    "白班",
                    "3",
                ]
            ],
            header=header,
        ),
        kind="vacancies",
    )
    assert vacancies_row and job.status == "done" and Vacancy.objects.get().headcount == 3


def test_pages_upload_progress_and_error_sheet(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    assert client.get("/staff/insights/imports/template/residents.xlsx").status_code == 200
    assert client.get("/staff/insights/imports/template/nothing.xlsx").status_code == 404
    upload = SimpleUploadedFile("名单.xlsx", xlsx([person(1), person(2, c4="不存在村")]))
    response = client.post("/staff/insights/imports/", {"kind": "residents", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "不存在村" in page.content.decode() and "3" in page.content.decode()
    errors = client.get(response["Location"] + "errors.xlsx")
    sheet = load_workbook(BytesIO(errors.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "村(社区)"]
    refused = client.post(
        "/staff/insights/imports/", {"kind": "residents", "file": SimpleUploadedFile("a.csv", b"a,b")}
    )
    assert refused.status_code == 400 and ".xlsx" in refused.content.decode()
    client.force_login(towns_and_staff.dongxi_cadre)  # someone else's import is not theirs to read
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.heavy
def test_a_huge_file_of_100000_rows(towns_and_staff):
    rows = (person(i) for i in range(100_000))
    content = xlsx(rows)
    job = run(towns_and_staff.cadre, content)
    assert (job.status, job.rows_total, job.rows_written) == ("done", 100_000, 100_000)
    assert Resident.objects.filter(village=towns_and_staff.jingshan).count() == 100_001


def test_a_file_that_crosses_a_batch_boundary(towns_and_staff):
    """More rows than one batch (BATCH = 2,000): every row is written once, none twice. The 100,000-row
    file above runs in `make test-all` and in bench/import_rate.py."""
    from linju.insights.imports import BATCH

    total = BATCH + 500
    job = run(towns_and_staff.cadre, xlsx(person(i) for i in range(total)))
    assert (job.status, job.rows_total, job.rows_written) == ("done", total, total)
    assert Resident.objects.filter(village=towns_and_staff.jingshan).count() == total + 1
    assert (
        Resident.objects.filter(village=towns_and_staff.jingshan).values("id_number").distinct().count()
        == total + 1
    )


def office_roster(rows) -> bytes:
    """A township roster (花名册) as offices keep it: a merged title row, a row naming the unit and
    the date, then the header, with 序号, 性别 and 备注 beside Linju's columns and padded headers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["永新镇2026年城乡居民花名册"])
    sheet.merge_cells("A1:H1")
    sheet.append(["填报单位:永新镇社保服务所", None, None, None, "填报日期:2026年12月4日"])
    sheet.append(["序号", "姓  名", "性别", "公民身份号码 ", "联系电话", "镇街", "村(社区)", "备注"])
    for serial, row in enumerate(rows, start=1):
        sheet.append([serial, *row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or c == "X" else c for c in text)


def test_a_roster_as_offices_keep_it(towns_and_staff):
    """The header found under the title rows; 序号 and 备注 left alone; 性别 checked
    against the ID number; full-width digits and stray spaces made plain; an ID number Excel turned
    into a number is a row error that says how to keep the column as text."""
    woman = build_id_number("500222", datetime.date(1975, 3, 8), 42)  # an even sequence: a woman
    man = build_id_number("500222", datetime.date(1966, 7, 1), 13)
    rows = [
        ["王  芳", "女", to_full_width(woman) + " ", "139 1234 5678", "永新镇", "荆山村", ""],
        ["代\u3000国强", "男", f" {man}\u3000", "", "", "荆山村", "外出务工"],
    ]
    job = run(towns_and_staff.cadre, office_roster(rows))
    assert (job.status, job.rows_total, job.rows_written, job.errors) == ("done", 2, 2, [])
    wang = Resident.objects.get(id_number=woman)
    assert (wang.name, wang.phone, wang.sex) == ("王芳", "13912345678", "F")
    assert Resident.objects.get(id_number=man).name == "代国强"

    wrong_sex = build_id_number("500222", datetime.date(1980, 2, 2), 15)  # odd: a man
    as_number = build_id_number("500222", datetime.date(1981, 3, 3), 16)
    job = run(
        towns_and_staff.cadre,
        office_roster(
            [
                ["李四", "女", wrong_sex, "", "", "荆山村", ""],
                ["张三", "男", float(as_number[:17] + "0"), "", "", "荆山村", ""],
                [
                    "赵五",
                    "未知",
                    build_id_number("500222", datetime.date(1982, 4, 4), 17),
                    "",
                    "",
                    "荆山村",
                    "",
                ],
            ]
        ),
    )
    assert job.status == "rejected" and job.rows_written == 0
    by_row = {e["row"]: e for e in job.errors}
    assert set(by_row) == {4, 5, 6}  # Excel's rows: two title rows and the header above
    assert by_row[4]["column"] == "性别" and "身份证号" in by_row[4]["message"]
    assert "文本" in by_row[5]["message"]  # keep the column as text
    assert "男" in by_row[6]["message"] and "女" in by_row[6]["message"]


def test_a_file_with_no_header_row_says_where_it_looked(towns_and_staff):
    job = run(towns_and_staff.cadre, xlsx([["x"]], header=["序号", "备注"]))
    assert job.status == "rejected"
    message = job.errors[0]["message"]
    assert "前 10 行" in message and "姓名" in message and "身份证号" in message
