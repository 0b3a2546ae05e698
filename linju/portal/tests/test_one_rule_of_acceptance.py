"""What a resident is told about a place is what the place does: for every item of the demo and every
kind of place (the station, each market's next booth, a home visit, the district hall), the public
"where" answer and the intake (its step 1 and the case it makes) say the same thing — finished there,
taken there and sent to the district the same day, or not taken there at all."""

import datetime

import pytest
from django.utils import timezone

from linju.accounts.models import User
from linju.cases.models import Case
from linju.cases.services import Intake, case_accept
from linju.catalog.acceptance import ways_to_hand_in
from linju.catalog.selectors import district_hall_of, item_list, station_for, village_get
from linju.core.errors import DomainError
from linju.outreach.models import BoothSession
from linju.outreach.selectors import first_booth_day
from linju.people.models import Resident
from linju.portal.intake import FINISH_HERE, FORWARD, intake_options
from linju.portal.where import places_to_apply

FUNIU = "500110113200"  # 伏牛村, 永新镇: the article's market day at 升平片场
LONGJING = "500110109210"  # 龙井村, 东溪镇: the other town that holds booths

# what "where" says of a place, as intake's step 1 and the case taken there say it
STEP_ONE = {FINISH_HERE: "finish", FORWARD: "accept_forward"}


def case_says(case: Case) -> str:
    return "accept_forward" if case.status == Case.Status.FORWARDED else "finish"


def intake_says(*, actor, place: str, channel: str, applicant: Resident, item, now) -> str | None:
    """What taking the item at the place does: the case it makes, or None when it is refused."""
    kind, _sep, code = place.partition(":")
    where = {"point": "service_point_code", "market": "market_code", "village": "village_code"}[kind]
    try:
        case = case_accept(
            actor=actor,
            intake=Intake(item_code=item.code, channel=channel, applicant_id=applicant.pk, **{where: code}),
            now=now,
        )
    except DomainError:
        return None
    return case_says(case)


@pytest.mark.django_db
@pytest.mark.parametrize("village_code", [FUNIU, LONGJING])
def test_where_says_what_intake_does_for_every_item_at_every_kind_of_place(demo_read, village_code):
    village = village_get(code=village_code)
    town = village.town
    cadre = User.objects.get(towns=town, role=User.Role.TOWNSHIP_CADRE)
    staff = User.objects.get(username="qj_staff")
    applicant = Resident.objects.filter(village__town=town).order_by("pk").first()
    now = timezone.localtime()
    station, hall = station_for(town), district_hall_of(town)
    items = item_list(on_date=now.date())
    assert len(items) >= 40
    booth_markets = set(
        BoothSession.objects.filter(
            market__town=town, date__range=(first_booth_day(now), now.date() + datetime.timedelta(days=21))
        ).values_list("market__code", flat=True)
    )
    assert booth_markets  # the demo holds booths in the town: the kind is tested, not skipped
    seen = {"finish": 0, "accept_forward": 0, None: 0}
    # by phone or online the hall takes what the item lists for the channel (a station, the same)
    by_remote = {
        remote: {
            o.item.code: o
            for o in intake_options(viewer=staff, place=f"point:{hall.code}", channel=remote)[1]
        }
        for remote in ("phone", "online")
    }
    for item in items:
        places = places_to_apply(item=item, village=village, now=now)
        said = {(p.kind, p.code): p for p in places}
        # where lists each booth once, at its next day; every coming booth that takes the item is there
        listed_booths = {code for kind, code in said if kind == "booth"}
        ways = set()  # the channels intake took the item by
        for kind, code, actor, place, channel, moment in [
            ("station", station.code, cadre, f"point:{station.code}", "counter", now),
            ("hall", hall.code, staff, f"point:{hall.code}", "counter", now),
            *[
                ("booth", market, cadre, f"market:{market}", "booth", said[("booth", market)].next_open)
                if ("booth", market) in said
                else ("booth", market, cadre, f"market:{market}", "booth", now)
                for market in sorted(booth_markets)
            ],
        ]:
            where_mode = said[(kind, code)].mode if (kind, code) in said else None
            _spot, options = intake_options(
                viewer=actor, place=place, channel=channel, on_date=timezone.localtime(moment).date()
            )
            step_one = next(o for o in options if o.item.pk == item.pk)
            assert STEP_ONE.get(step_one.mode) == where_mode, (item.code, kind, code, step_one.mode)
            taken = intake_says(
                actor=actor, place=place, channel=channel, applicant=applicant, item=item, now=moment
            )
            assert taken == where_mode, (item.code, kind, code, taken, where_mode)
            seen[where_mode] += 1
            if taken:
                ways.add(channel)
        assert listed_booths <= booth_markets
        # a home visit is the station's cadre at the door: it takes what the station takes, alike
        station_mode = said[("station", station.code)].mode if ("station", station.code) in said else None
        at_home = intake_says(
            actor=cadre,
            place=f"village:{village.code}",
            channel="home_visit",
            applicant=applicant,
            item=item,
            now=now,
        )
        assert at_home == station_mode, (item.code, "village", at_home, station_mode)
        if at_home:
            ways.add("home_visit")
        ways |= {remote for remote, options in by_remote.items() if not options[item.code].refused}
        # the item page's "how to hand it in" and the API's channels say the same
        assert set(ways_to_hand_in(item)) == ways, (item.code, ways_to_hand_in(item), ways)
    assert all(seen.values()), seen  # the demo has items finished, forwarded and refused at its places


@pytest.mark.django_db
def test_from_funiu_the_shengping_booth_comes_first_for_emergency_assistance(demo_read, client):
    """The article's scene: 升平片场 is nearer to 伏牛村 than the station, and takes 临时救急 for the
    district the same day, though the booth does not feature it."""
    from linju.catalog.selectors import item_by_code

    places = places_to_apply(item=item_by_code(code="AS-001"), village=village_get(code=FUNIU))
    first = places[0]
    assert first.kind == "booth" and first.address == "升平片场"
    assert first.mode == "accept_forward" and first.says == "此处受理,当天转区局"
    assert first.minutes < next(p.minutes for p in places if p.kind == "station")
    assert not BoothSession.objects.filter(market__code=first.code, items__code="AS-001").exists()
    answer = client.get("/api/v1/where", {"item": "AS-001", "village": FUNIU}).json()["places"][0]
    assert answer["code"] == first.code and answer["says"] == "此处受理,当天转区局"
