"""Demo gig market (零工市场): the district's list of kinds of work, gigs of the day and the coming
week at 升平片场 and other markets, registered gig workers (a few made from job seekers' records) and
this morning's sign-ins at 升平片场. Synthetic; idempotent (a second run the same day changes nothing)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linju.accounts.models import User
from linju.demo.places import SHENGPING
from linju.geo.models import MarketPlace, ServicePoint, Village
from linju.gigs.directory import Quarter
from linju.gigs.models import Dispatch, Gig, GigWorker, SignIn, WorkType
from linju.jobs.models import JobSeeker
from linju.people.models import Resident

# code, name, English name, heavy: the district's one list of kinds of work a rural gig market sees —
# the gigs, the workers' skills and the wage guide (linju/demo/gigs_pay.py) all name these
WORK_TYPES = [
    ("harvest", "采摘", "harvesting and picking", False),
    ("tea_picking", "采茶", "tea picking", False),
    ("crop_growing", "种植栽种", "planting", False),
    ("animal_raising", "养殖帮工", "helping with livestock", False),
    ("construction_labour", "建筑小工", "building-site labour", True),
    ("masonry", "泥瓦工", "masonry", True),
    ("carpentry", "木工", "carpentry", False),
    ("moving", "搬运装卸", "loading and carrying", True),
    ("cleaning", "保洁", "cleaning", False),
    ("cooking", "帮厨(坝坝宴)", "kitchen help (village banquets)", False),
    ("housekeeping", "家政服务", "housekeeping", False),
    ("elderly_care", "陪护", "care of the elderly", False),
    ("packaging", "包装分拣", "packing and sorting", False),
    ("logistics_sorting", "快递分拣", "parcel sorting", False),
    ("road_maintenance", "道路养护", "road upkeep", True),
]
# the wage guide's low, middle, high a day for the kinds of work it prices (synthetic figures)
GUIDE_A_DAY = {
    "harvest": (140, 170, 210),
    "crop_growing": (130, 160, 200),
    "construction_labour": (180, 220, 280),
    "masonry": (260, 320, 400),
    "moving": (170, 210, 260),
    "cleaning": (110, 130, 160),
}
GUIDE_AN_HOUR = {"cleaning": (15, 18, 22)}

# title, work type, start hour, end hour, pay, unit, headcount, tools, employer, contact name
GIGS = [
    ("采摘柑橘", "harvest", 8, 12, "120", "day", 6, "剪刀、背篓", "荆山柑橘合作社(示例)", "刘社长"),
    ("坝坝宴帮厨", "cooking", 14, 20, "150", "day", 3, "", "升平村民(示例)", "张师傅"),
    ("农房修缮小工", "construction_labour", 7, 17, "200", "day", 2, "手套", "永新建筑队(示例)", "陈队长"),
    ("采茶", "tea_picking", 7, 11, "8", "piece", 10, "背篓", "古剑山茶园(示例)", "王场长"),
    ("快递分拣", "logistics_sorting", 18, 22, "25", "hour", 4, "", "镇快递驿站(示例)", "李站长"),
    ("搬运化肥", "moving", 13, 17, "180", "day", 2, "", "农资店(示例)", "周老板"),
]
WORKERS_PER_MARKET = 25
SIGNED_IN_AT_SHENGPING = 12


def _poster(town) -> User:
    return (
        User.objects.filter(towns=town, is_active=True).order_by("pk").first()
        or User.objects.filter(bureau_id=town.bureau_id, is_active=True).order_by("pk").first()
    )


def load_work_types() -> int:
    made = 0
    for code, name, name_en, heavy in WORK_TYPES:
        _type, created = WorkType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "heavy": heavy}
        )
        made += created
    return made


def _markets() -> list[MarketPlace]:
    """升平片场 first, then a market in every other town that has one (by code), eight in all."""
    markets = list(MarketPlace.objects.select_related("town").order_by("code"))
    shengping = [m for m in markets if m.name == SHENGPING[1] and m.town.code == SHENGPING[0]]
    others, seen = [], {m.town_id for m in shengping}
    for market in markets:
        if market.town_id not in seen:
            others.append(market)
            seen.add(market.town_id)
    return (shengping + others)[:8]


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@transaction.atomic  # one transaction for the whole load: the loader owns durability
def load_gigs(*, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"work types": load_work_types(), "gigs": 0, "workers": 0, "sign-ins": 0}
    types = {w.code: w for w in WorkType.objects.all()}
    for n, market in enumerate(_markets()):
        town = market.town
        poster = _poster(town)
        villages = list(
            Village.objects.filter(Q(market_places=market) | Q(town=town)).distinct().order_by("code")
        )
        if poster is None or not villages:
            continue
        shengping = n == 0
        rng = random.Random(f"{seed}:{market.code}")  # each market its own draws: a second run draws the same
        picks = GIGS if shengping else rng.sample(GIGS, 2)
        for k, (title, code, start, end, pay, unit, headcount, tools, employer, contact) in enumerate(picks):
            starts_on = today + datetime.timedelta(days=0 if shengping and k < 3 else rng.randint(0, 6))
            _gig, created = Gig.objects.get_or_create(
                market=market,
                title=title,
                starts_on=starts_on,
                defaults={
                    "bureau_id": town.bureau_id,
                    "town": town,
                    "work_type": types[code],
                    "village": villages[k % len(villages)],
                    "ends_on": starts_on + datetime.timedelta(days=2 if code == "tea_picking" else 0),
                    "start_time": datetime.time(start),
                    "end_time": datetime.time(end),
                    "pay": Decimal(pay),
                    "pay_unit": unit,
                    "headcount": headcount,
                    "max_age": 60 if types[code].heavy else None,
                    "heavy": types[code].heavy,
                    "tools": tools,
                    "employer_name": employer,
                    "contact_name": contact,
                    "contact_phone": f"1390000{1000 + n * 10 + k}",
                    "posted_by": poster,
                    "is_synthetic": True,
                },
            )
            counts["gigs"] += created
        residents = [
            r
            for r in Resident.objects.filter(village__in=villages).order_by("pk")[: WORKERS_PER_MARKET * 4]
            if 18 <= _age(r.birth_date, today) <= 62
        ][:WORKERS_PER_MARKET]
        workers = []
        for resident in residents:
            draw = random.Random(f"{seed}:{resident.pk}")  # each worker's own: the same on every run
            worker, created = GigWorker.objects.get_or_create(
                resident=resident,
                defaults={
                    "bureau_id": resident.bureau_id,
                    "accepts_heavy": draw.random() < 0.5,
                    "hardship": draw.random() < 0.15,
                    "available_from": datetime.time(draw.choice([6, 7, 7, 7])),
                    "available_until": datetime.time(draw.choice([12, 18, 20, 22])),
                    "registered_by": poster,
                    "is_synthetic": True,
                },
            )
            if created:
                worker.work_types.set(draw.sample(list(types.values()), draw.randint(1, 3)))
                # the villages of the market's gigs, a few more, and their own
                worker.villages.set(
                    villages[: len(GIGS)]
                    + draw.sample(villages, min(len(villages), draw.randint(1, 5)))
                    + [resident.village]
                )
                counts["workers"] += 1
            workers.append(worker)
        if shengping:
            counts["workers"] += _workers_from_seekers(town, villages, poster)
            morning = timezone.make_aware(datetime.datetime.combine(today, datetime.time(6, 30)))
            for worker in workers[:SIGNED_IN_AT_SHENGPING]:
                _sign_in, created = SignIn.objects.get_or_create(
                    worker=worker,
                    day=today,
                    defaults={
                        "bureau_id": worker.bureau_id,
                        "signed_in_at": morning + datetime.timedelta(minutes=rng.randint(0, 120)),
                        "market": market,
                        "channel": SignIn.Channel.BOOTH,
                        "recorded_by": poster,
                    },
                )
                counts["sign-ins"] += created
    counts["at directory places"] = _at_directory_places(seed=seed, today=today, types=types)
    return counts


DIRECTORY_KINDS = (ServicePoint.Kind.GIG_MARKET, ServicePoint.Kind.GIG_STATION, ServicePoint.Kind.JOB_STATION)
AT_EACH_PLACE = 3  # workers signed in at each 零工市场, 零工驿站 and 家门口就业服务站; two of them sent


def _at_directory_places(*, seed: int, today: datetime.date, types: dict[str, WorkType]) -> int:
    """The directory's places at work: at each, yesterday (today on a quarter's first day, so the
    quarter's figures show), a gig posted there, three of the town's workers signed in there and
    two sent, done and paid in full. Counted in the directory as that place's own: a 赶场 booth's
    sign-ins are the booth's, not a station's. Returns the dispatches made."""
    day = max(today - datetime.timedelta(days=1), Quarter.of(today).start)
    made = 0
    points = ServicePoint.objects.filter(kind__in=DIRECTORY_KINDS).select_related("town", "village")
    for point in points.order_by("code"):
        town = point.town
        poster = _poster(town) if town is not None else None
        village = point.village or (town.villages.order_by("code").first() if town else None)
        if poster is None or village is None:
            continue
        rng = random.Random(f"{seed}:{point.code}")
        title, code, start, end, pay, unit, _headcount, tools, employer, contact = rng.choice(GIGS[:3])
        gig, created = Gig.objects.get_or_create(
            service_point=point,
            title=title,
            starts_on=day,
            defaults={
                "bureau_id": point.bureau_id,
                "town": town,
                "work_type": types[code],
                "village": village,
                "ends_on": day,
                "start_time": datetime.time(start),
                "end_time": datetime.time(end),
                "pay": Decimal(pay),
                "pay_unit": unit,
                "headcount": 2,
                "heavy": types[code].heavy,
                "max_age": 60 if types[code].heavy else None,
                "tools": tools,
                "employer_name": employer,
                "contact_name": contact,
                "contact_phone": "13900009999",
                "posted_by": poster,
                "is_synthetic": True,
            },
        )
        if not created:
            continue  # this place's day is made: a second run changes nothing
        residents = [
            r
            for r in Resident.objects.filter(village__town=town, is_synthetic=True)
            .exclude(gig_worker__sign_ins__day=day)
            .order_by("-pk")[: AT_EACH_PLACE * 4]
            if 18 <= _age(r.birth_date, day) <= 55
        ][:AT_EACH_PLACE]
        for n, resident in enumerate(residents):
            worker, _created = GigWorker.objects.get_or_create(
                resident=resident,
                defaults={
                    "bureau_id": resident.bureau_id,
                    "accepts_heavy": True,
                    "registered_by": poster,
                    "is_synthetic": True,
                },
            )
            worker.work_types.add(types[code])
            worker.villages.add(village, resident.village)
            sign_in = SignIn.objects.create(
                bureau_id=resident.bureau_id,
                worker=worker,
                day=day,
                signed_in_at=timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(6, 40 + 5 * n))
                ),
                service_point=point,
                channel=SignIn.Channel.STATION,
                recorded_by=poster,
            )
            if n >= gig.headcount or Dispatch.objects.filter(gig=gig, worker=worker).exists():
                continue
            Dispatch.objects.create(
                bureau_id=gig.bureau_id,
                gig=gig,
                worker=worker,
                sign_in=sign_in,
                position=n + 1,
                reasons=[f"签到第{n + 1}位(示例)"],
                dispatched_by=poster,
                status=Dispatch.Status.DONE,
                done_on=day,
                paid=Dispatch.Paid.FULL,
                paid_amount=gig.pay,
            )
            made += 1
    return made


def _workers_from_seekers(town, villages, poster) -> int:
    """A few of the town's job seekers also take gigs: their gig worker made from their record."""
    made = 0
    seekers = JobSeeker.objects.filter(resident__village__town=town).select_related("resident")
    for seeker in seekers.order_by("pk")[:5]:
        worker, created = GigWorker.objects.get_or_create(
            resident=seeker.resident,
            defaults={
                "bureau_id": seeker.bureau_id,
                "accepts_heavy": seeker.accepts_heavy_manual,
                "registered_by": poster,
                "is_synthetic": True,
            },
        )
        if not created:
            continue
        worker.work_types.set(WorkType.objects.filter(code__in=seeker.skills))
        worker.villages.set(villages)
        made += 1
    return made
