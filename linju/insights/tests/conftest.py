"""A small world counted by hand: November 2026 in 永新镇 and 东溪镇 (and a case of another bureau)."""

import datetime

import pytest

from linju.cases.models import Case, Rating
from linju.conftest_world import at
from linju.geo.models import TravelTime
from linju.geo.tests.factories import TownFactory, VillageFactory
from linju.insights.selectors import Period
from linju.outreach.models import BoothSession, Consultation, HomeTask
from linju.people.tests.factories import ResidentFactory

TODAY = datetime.date(2026, 11, 26)
NOVEMBER = Period.month(2026, 11)
_numbers = iter(range(1, 1000))


def case(cw, *, town, item, channel, applicant, accepted, promised, closed=None, status=None, **where):
    status = status or (Case.Status.FINISHED if closed else Case.Status.IN_PROGRESS)
    if status == Case.Status.FINISHED:
        where.setdefault("outcome", Case.Outcome.GRANTED)
    return Case.objects.create(
        bureau_id=town.bureau_id,
        number=f"T{next(_numbers):06d}",
        applicant=applicant,
        item=item,
        channel=channel,
        town=town,
        taken_by=cw["staff"],
        status=status,
        accepted_at=accepted,
        promised_date=promised,
        closed_at=closed,
        **where,
    )


@pytest.fixture
def dw(cw):
    yongxin, dongxi, dai, zhou = cw["yongxin"], cw["dongxi"], cw["dai"], cw["zhou"]
    station, hall, market = cw["station"], cw["hall"], cw["market"]
    for village, target, minutes in (
        (cw["jingshan"], {"service_point": hall}, 120),
        (cw["jingshan"], {"service_point": station}, 30),
        (cw["jingshan"], {"market_place": market}, 15),
        (cw["longjing"], {"service_point": hall}, 40),
    ):
        TravelTime.objects.create(village=village, minutes=minutes, mode="bus", source="synthetic", **target)
    d = datetime.date
    c1 = case(
        cw,
        town=yongxin,
        item=cw["ui"],
        channel="counter",
        applicant=dai,
        accepted=at(2026, 11, 2),
        promised=d(2026, 11, 9),
        closed=at(2026, 11, 6),
        taken_at_point=station,
    )
    case(
        cw,
        town=yongxin,
        item=cw["ui"],
        channel="booth",
        applicant=dai,
        accepted=at(2026, 11, 3),
        promised=d(2026, 11, 10),
        closed=at(2026, 11, 12),
        taken_at_market=market,
    )
    c3 = case(
        cw,
        town=dongxi,
        item=cw["md"],
        channel="counter",
        applicant=zhou,
        accepted=at(2026, 11, 4),
        promised=d(2026, 11, 13),
        closed=at(2026, 11, 13, 23),
        taken_at_point=hall,
    )  # kept: same day
    case(
        cw,
        town=yongxin,
        item=cw["md"],
        channel="phone",
        applicant=dai,
        accepted=at(2026, 11, 5),
        promised=d(2026, 11, 12),
    )  # open and overdue
    case(
        cw,
        town=dongxi,
        item=cw["ui"],
        channel="home_visit",
        applicant=zhou,
        accepted=at(2026, 10, 20),
        promised=d(2026, 10, 27),
        closed=at(2026, 11, 2),
        taken_at_village=cw["longjing"],
    )  # late, in November
    case(
        cw,
        town=yongxin,
        item=cw["ui"],
        channel="online",
        applicant=dai,
        accepted=at(2026, 11, 20),
        promised=d(2026, 11, 27),
    )  # open, not yet due
    case(
        cw,
        town=yongxin,
        item=cw["ui"],
        channel="counter",
        applicant=dai,
        accepted=at(2026, 10, 1),
        promised=d(2026, 10, 8),
        closed=at(2026, 10, 5),
        taken_at_point=station,
    )  # October, kept
    # another bureau's case, invisible to 綦江's staff
    nantong = TownFactory(code="500110101999", name="外区镇", bureau=cw["ws_staff"].bureau)
    stranger = ResidentFactory(village=VillageFactory(town=nantong, code="500110101998"))
    case(
        cw,
        town=nantong,
        item=cw["ui"],
        channel="counter",
        applicant=stranger,
        accepted=at(2026, 11, 2),
        promised=d(2026, 11, 3),
    )
    for c, level in ((c1, 5), (c3, 3)):
        Rating.objects.create(bureau_id=c.bureau_id, case=c, level=level, source="resident")
    Rating.objects.update(created_at=at(2026, 11, 20))
    held = BoothSession.objects.create(market=market, date=d(2026, 11, 8), status=BoothSession.Status.HELD)
    BoothSession.objects.create(market=market, date=d(2026, 11, 18))  # planned only
    for outcome in ("answered", "answered"):
        Consultation.objects.create(
            bureau=cw["cadre"].bureau, booth=held, outcome=outcome, created_by=cw["cadre"]
        )
    HomeTask.objects.create(
        bureau=dai.bureau, resident=dai, kind="other", asked_via="phone", due_date=d(2026, 12, 1)
    )
    return cw
