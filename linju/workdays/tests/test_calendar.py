import datetime
import io

import pytest

from linju.workdays.models import Holiday, ScheduleYear
from linju.workdays.selectors import add_working_days, day_info
from linju.workdays.services import holidays_import_csv, holidays_import_from_package

D = datetime.date


@pytest.fixture
def holidays(db):
    holidays_import_from_package()


def test_package_import_is_idempotent(holidays):
    again = holidays_import_from_package()
    assert not again.created and not again.updated
    assert Holiday.objects.get(date=D(2025, 10, 1)).name == "国庆节"
    assert ScheduleYear.objects.filter(year=2026).exists()


@pytest.mark.parametrize(
    ("start", "add", "expected"),
    [
        # National Day 2025: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday → the adjusted Sunday
        (D(2025, 9, 29), 2, D(2025, 10, 9)),  # Sep 30, then the holiday, then Oct 9
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 10, 9), 2, D(2025, 10, 11)),  # Oct 10 (Fri), Oct 11 (adjusted Saturday)
        (D(2025, 10, 1), 0, D(2025, 10, 1)),  # 0: the same day, even a holiday
        # Spring Festival 2026: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 13), 7, D(2026, 3, 2)),  # 14, 24, 25, 26, 27, 28 (Sat, worked), Mar 2
        # National Day 2026: Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 8), 2, D(2026, 10, 10)),
        # Spring Festival 2025: Jan 28 – Feb 4 off, Sun Jan 26 and Sat Feb 8 worked.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
    ],
)
def test_working_days_around_the_big_holidays(holidays, start, add, expected):
    deadline = add_working_days(start, add)
    assert deadline.date == expected
    assert deadline.estimated is False


def test_beyond_the_known_schedule_is_estimated(holidays):
    deadline = add_working_days(D(2026, 12, 30), 3)
    assert deadline.date == D(2027, 1, 4)  # weekends only: Dec 31, Jan 1, Jan 4
    assert deadline.estimated is True
    assert day_info(D(2027, 10, 1)).estimated is True


def test_a_new_years_notice_imported_as_csv_removes_the_estimate(holidays):
    csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-10-01,holiday,国庆节\n"
    result = holidays_import_csv(source=io.StringIO(csv), note="示例通知")
    assert result.created["holiday"] == 2
    deadline = add_working_days(D(2026, 12, 30), 3)
    assert deadline.date == D(2027, 1, 5)
    assert deadline.estimated is False


def test_broken_csv_imports_nothing(holidays):
    from linju.core.csv_import import ImportFileError

    with pytest.raises(ImportFileError) as error:
        holidays_import_csv(
            source=io.StringIO("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n")
        )
    assert error.value.row_errors[0][0] == 3
    assert not Holiday.objects.filter(date__year=2027).exists()


def test_package_import_keeps_manual_changes(holidays):
    Holiday.objects.filter(date=D(2026, 10, 8)).delete()
    Holiday.objects.create(date=D(2026, 10, 8), kind="workday", name="调整", source="manual")
    holidays_import_from_package()
    assert Holiday.objects.get(date=D(2026, 10, 8)).source == "manual"


def test_api(client, holidays):
    response = client.get("/api/v1/calendar/workdays", {"from": "2025-09-30", "add": 1})
    assert response.json() == {"date": "2025-10-09", "estimated": False}
    response = client.get("/api/v1/calendar/workdays", {"from": "2027-03-01", "add": 5})
    assert response.json()["estimated"] is True
    assert client.get("/api/v1/calendar/workdays", {"from": "2025-02-30", "add": 1}).status_code == 422
    assert client.get("/api/v1/calendar/workdays", {"from": "2025-02-03", "add": -1}).status_code == 400
