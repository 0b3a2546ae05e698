import dataclasses
import datetime

import pytest

from linju.catalog.tests.bundle_world import bundled  # noqa: F401 (a fixture)
from linju.pensions.models import FormerRetirementAge
from linju.people.models import Resident
from linju.people.tests.factories import ResidentFactory

TODAY = datetime.date(2026, 12, 6)  # the roster's window: December 2026 to December 2027


@dataclasses.dataclass(frozen=True)
class Retiring:
    """Residents of 荆山村 (永新镇) and one of 龙井村 (东溪镇), seen on 6 December 2026."""

    man_march: Resident  # born 1966-09: 60 years 6 months, March 2027
    woman_august: Resident  # born 1976-09, former age 50: 50 years 11 months, August 2027
    cadre_woman_march: Resident  # born 1971-09, 55 recorded: 55 years 6 months, March 2027
    cadre_woman_later: Resident  # born 1976-09, 55 recorded: 56 years 9 months, June 2033 (not yet)
    man_this_month: Resident  # born 1966-07: 60 years 5 months, December 2026 (this month)
    man_last_month: Resident  # born 1966-06: November 2026 (passed)
    man_last_in: Resident  # born 1967-04: 60 years 7 months, November 2027
    man_first_out: Resident  # born 1967-05: 60 years 8 months, January 2028
    dongxi_man: Resident  # of 龙井村, born 1966-09 too: March 2027, not the 永新 cadre's
    no_phone: Resident  # born 1966-10, no phone: April 2027


def _person(village, born, sex="M", phone=None, former=None):
    extra = {"phone": phone} if phone is not None else {}
    resident = ResidentFactory(village=village, birth_date=born, sex=sex, **extra)
    if former:
        FormerRetirementAge.objects.create(bureau_id=resident.bureau_id, resident=resident, former_age=former)
    return resident


@pytest.fixture
def retiring(towns_and_staff) -> Retiring:
    js, lj = towns_and_staff.jingshan, towns_and_staff.longjing
    d = datetime.date
    return Retiring(
        man_march=_person(js, d(1966, 9, 15)),
        woman_august=_person(js, d(1976, 9, 1), sex="F"),
        cadre_woman_march=_person(js, d(1971, 9, 30), sex="F", former=55),
        cadre_woman_later=_person(js, d(1976, 9, 2), sex="F", former=55),
        man_this_month=_person(js, d(1966, 7, 1)),
        man_last_month=_person(js, d(1966, 6, 30)),
        man_last_in=_person(js, d(1967, 4, 30)),
        man_first_out=_person(js, d(1967, 5, 1)),
        dongxi_man=_person(lj, d(1966, 9, 3)),
        no_phone=_person(js, d(1966, 10, 3), phone=""),
    )
