"""The demo's gig market: one list of kinds of work for the gigs, the workers and the wage guide, and
the directory's places at work with figures of their own."""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from linju.accounts.models import User
from linju.demo.gigs import WORK_TYPES
from linju.gigs.directory import Quarter, directory, directory_xlsx
from linju.gigs.models import Gig, GigWorker, WageGuidePrice, WorkType
from linju.gigs.wage_guide import below_guide


def test_the_demo_gigs_workers_and_wage_guide_share_one_list_of_work_types(demo):
    codes = {code for code, *_rest in WORK_TYPES}
    assert set(WorkType.objects.values_list("code", flat=True)) == codes
    assert len(set(WorkType.objects.values_list("name", flat=True))) == len(codes)
    priced = set(WageGuidePrice.objects.values_list("work_type__code", flat=True))
    assert priced and priced <= codes
    assert set(Gig.objects.values_list("work_type__code", flat=True)) <= codes
    assert set(GigWorker.work_types.through.objects.values_list("worktype__code", flat=True)) <= codes
    # the morning's 采摘柑橘 at 升平片场, 120 a day: below the guide's 采摘 figure, so flagged
    oranges = Gig.objects.get(title="采摘柑橘", market__name="升平片场", starts_on=timezone.localdate())
    assert oranges.pay == Decimal("120") and below_guide(oranges)


def test_every_place_of_the_demos_directory_has_seekers_and_hires_this_quarter(demo):
    staff, quarter = User.objects.get(username="qj_staff"), Quarter.of(timezone.localdate())
    rows = directory(viewer=staff, quarter=quarter)
    kinds = {"gig_market", "gig_station", "job_station"}
    assert {row.point.kind for row in rows} == kinds
    assert all(row.seekers > 0 and row.hires > 0 and row.hires_a_day > 0 for row in rows)
    content, _count = directory_xlsx(viewer=staff, quarter=quarter)
    cells = [c for row in load_workbook(BytesIO(content)).active.iter_rows(min_row=2) for c in row]
    assert cells and all(c.data_type != "f" for c in cells)  # no formula, whatever a name holds
    hires = [c.value for c in cells if c.column == 13]
    assert len(hires) == len(rows) and all(int(h) > 0 for h in hires)
