"""A small world counted by hand: November 2026 in 永新镇 and 东溪镇 (and a case of another bureau)."""

import datetime

import pytest

from linju.cases.models import Case, Rating
from linju.conftest_world import ServedTowns, at
from linju.geo.models import TravelTime
from linju.geo.tests.factories import TownFactory, VillageFactory
from linju.insights.selectors import Period
from linju.outreach.models import BoothSession, Consultation, HomeTask
from linju.people.tests.factories import ResidentFactory

TODAY = datetime.date(2026, 11, 26)
NOVEMBER = Period.month(2026, 11)
_numbers = iter(range(1, 1000))


def case(
    served: ServedTowns,
    *,
    town,
    item,
    channel,
    applicant,
    accepted,
    promised,
    closed=None,
    status=None,
    **where,
):
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
        taken_by=served.staff,
        status=status,
        accepted_at=accepted,
        promised_date=promised,
        closed_at=closed,
        **where,
    )


@pytest.fixture
def counted_november(served) -> ServedTowns:
    """`served` with November 2026 counted by hand, as rows only (the same `ServedTowns` comes back):
    travel times from 荆山村 and 龙井村; seven cases of 綦江 (five accepted in November: finished in
    time, finished late, finished on its promised day, open and overdue, open and not yet due; one of
    October finished late in November; one finished in October) and one of another bureau; two
    ratings; a held and a planned booth day at 升平 with two consultations; a home task for 代云峰."""
    yongxin, dongxi, dai, zhou = served.yongxin, served.dongxi, served.dai, served.zhou
    station, hall, market = served.station, served.hall, served.market
    for village, target, minutes in (
        (served.jingshan, {"service_point": hall}, 120),
        (served.jingshan, {"service_point": station}, 30),
        (served.jingshan, {"market_place": market}, 15),
        (served.longjing, {"service_point": hall}, 40),
    ):
        TravelTime.objects.create(village=village, minutes=minutes, mode="bus", source="synthetic", **target)
    d = datetime.date
    c1 = case(
        served,
        town=yongxin,
        item=served.ui,
        channel="counter",
        applicant=dai,
        accepted=at(2026, 11, 2),
        promised=d(2026, 11, 9),
        closed=at(2026, 11, 6),
        taken_at_point=station,
    )
    case(
        served,
        town=yongxin,
        item=served.ui,
        channel="booth",
        applicant=dai,
        accepted=at(2026, 11, 3),
        promised=d(2026, 11, 10),
        closed=at(2026, 11, 12),
        taken_at_market=market,
    )
    c3 = case(
        served,
        town=dongxi,
        item=served.md,
        channel="counter",
        applicant=zhou,
        accepted=at(2026, 11, 4),
        promised=d(2026, 11, 13),
        closed=at(2026, 11, 13, 23),
        taken_at_point=hall,
    )  # kept: same day
    case(
        served,
        town=yongxin,
        item=served.md,
        channel="phone",
        applicant=dai,
        accepted=at(2026, 11, 5),
        promised=d(2026, 11, 12),
    )  # open and overdue
    case(
        served,
        town=dongxi,
        item=served.ui,
        channel="home_visit",
        applicant=zhou,
        accepted=at(2026, 10, 20),
        promised=d(2026, 10, 27),
        closed=at(2026, 11, 2),
        taken_at_village=served.longjing,
    )  # late, in November
    case(
        served,
        town=yongxin,
        item=served.ui,
        channel="online",
        applicant=dai,
        accepted=at(2026, 11, 20),
        promised=d(2026, 11, 27),
    )  # open, not yet due
    case(
        served,
        town=yongxin,
        item=served.ui,
        channel="counter",
        applicant=dai,
        accepted=at(2026, 10, 1),
        promised=d(2026, 10, 8),
        closed=at(2026, 10, 5),
        taken_at_point=station,
    )  # October, kept
    # another bureau's case, invisible to 綦江's staff
    nantong = TownFactory(code="500110101999", name="外区镇", bureau=served.ws_staff.bureau)
    stranger = ResidentFactory(village=VillageFactory(town=nantong, code="500110101998"))
    case(
        served,
        town=nantong,
        item=served.ui,
        channel="counter",
        applicant=stranger,
        accepted=at(2026, 11, 2),
        promised=d(2026, 11, 3),
    )
    for c, level in ((c1, 5), (c3, 3)):
        Rating.objects.create(
            bureau_id=c.bureau_id,
            case=c,
            town=c.town,
            item=c.item,
            channel=c.channel,
            level=level,
            source="resident",
        )
    Rating.objects.update(created_at=at(2026, 11, 20))
    held = BoothSession.objects.create(market=market, date=d(2026, 11, 8), status=BoothSession.Status.HELD)
    BoothSession.objects.create(market=market, date=d(2026, 11, 18))  # planned only
    for outcome in ("answered", "answered"):
        Consultation.objects.create(
            bureau=served.cadre.bureau,
            booth=held,
            town_id=market.town_id,
            outcome=outcome,
            created_by=served.cadre,
        )
    HomeTask.objects.create(
        bureau=dai.bureau, resident=dai, kind="other", asked_via="phone", due_date=d(2026, 12, 1)
    )
    return served
