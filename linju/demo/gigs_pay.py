"""Demo after the gig: the bureau's wage guide for this year (synthetic figures, priced against the
gig market's one list of kinds of work, linju/demo/gigs.py), a gig at the 升平 market paying below
it (flagged on the pages), and a few gigs of the past days at the 升平 market done and paid — two in
full, one short, whose 劳动保障监察投诉 is opened by the real pay service (as a cadre records it at the
booth) — and one of yesterday left for the pay page.

The gigs, workers, sign-ins and dispatches here are this loader's own (titles marked 示例), made
whether or not the gig market's own demo made others. Idempotent: a second run finds them, and a
dispatch already recorded is not recorded again."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linju.accounts.models import User
from linju.demo.gigs import GUIDE_A_DAY, GUIDE_AN_HOUR, WORK_TYPES, load_work_types
from linju.geo.models import MarketPlace, Town
from linju.gigs.models import Dispatch, Gig, GigWorker, PayUnit, SignIn, WageGuidePrice, WorkType
from linju.gigs.services.pay import promised_total, record_done
from linju.gigs.wage_guide import wage_guide_changed
from linju.people.models import Resident

YONGXIN = "500110113000"
# title, work type (of the one list, linju/demo/gigs.py), days ago it began, pay a day, the worker's
# pay recorded (full / short; None: left for the cadre to record on the pay page)
PAST = [
    ("柑橘采摘(示例)", "harvest", 3, 160, "full"),
    ("新房搬砖(示例)", "construction_labour", 2, 200, "full"),
    ("仓库卸货(示例)", "moving", 2, 220, "short"),
    ("菜地翻土(示例)", "crop_growing", 1, 150, None),
]
BELOW = ("果园除草(示例)", "crop_growing", 120)  # in three days, below the guide's 130


def _work_types() -> dict[str, WorkType]:
    """The district's one list (the gig market's demo makes it; made here too when loaded alone)."""
    load_work_types()
    return {w.code: w for w in WorkType.objects.filter(code__in=[code for code, *_rest in WORK_TYPES])}


def _guide(types: dict[str, WorkType], bureau_id: int, year: int) -> int:
    made = 0
    rows = [(code, PayUnit.DAY, figures) for code, figures in GUIDE_A_DAY.items()]
    rows += [(code, PayUnit.HOUR, figures) for code, figures in GUIDE_AN_HOUR.items()]
    for code, unit, (low, middle, high) in rows:
        _price, created = WageGuidePrice.objects.get_or_create(
            bureau_id=bureau_id,
            year=year,
            work_type=types[code],
            unit=unit,
            defaults={"low": Decimal(low), "middle": Decimal(middle), "high": Decimal(high)},
        )
        made += created
    wage_guide_changed()
    return made


def _gig(title, work_type, day, pay, market, village, cadre) -> Gig:
    gig = Gig.objects.filter(title=title, market=market).first()
    if gig is not None:
        return gig
    return Gig.objects.create(
        bureau_id=market.town.bureau_id,
        town=market.town,
        market=market,
        work_type=work_type,
        title=title,
        village=village,
        starts_on=day,
        ends_on=day,
        start_time=datetime.time(8, 0),
        end_time=datetime.time(17, 0),
        pay=Decimal(pay),
        pay_unit=PayUnit.DAY,
        headcount=2,
        heavy=work_type.heavy,
        employer_name=f"{village.name}{work_type.name}用工户(示例)",
        contact_name="王师傅",
        contact_phone="13800000000",
        posted_by=cadre,
        is_synthetic=True,
    )


def _residents(town: Town, skip: int, count: int) -> list[Resident]:
    """The same synthetic residents of the town on every run (60 or younger: of working age)."""
    return list(
        Resident.objects.filter(village__town=town, is_synthetic=True, birth_date__year__gte=1966)
        .exclude(name="代云峰")
        .order_by("id")[skip : skip + count]
    )


def _to_help(
    residents: list[Resident], market: MarketPlace, village, cadre: User, today: datetime.date
) -> None:
    """Two for the help list (帮扶): one in a 就业困难 category, one signed in on the last six days
    without being sent anywhere."""
    for n, resident in enumerate(residents):
        worker, _created = GigWorker.objects.get_or_create(
            resident=resident,
            defaults={
                "bureau_id": resident.bureau_id,
                "registered_by": cadre,
                "hardship": n == 0,
                "is_synthetic": True,
            },
        )
        worker.villages.add(village, resident.village)
        if n == 0:
            continue
        for ago in range(1, 7):
            day = today - datetime.timedelta(days=ago)
            if not SignIn.objects.filter(worker=worker, day=day).exists():
                SignIn.objects.create(
                    bureau_id=resident.bureau_id,
                    worker=worker,
                    day=day,
                    signed_in_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 40))),
                    market=market,
                    channel=SignIn.Channel.BOOTH,
                    recorded_by=cadre,
                )


@transaction.atomic
def _past_dispatches(
    types, market: MarketPlace, cadre: User, today: datetime.date
) -> list[tuple[Dispatch, str]]:
    village = market.villages.order_by("code").first() or market.town.villages.order_by("code").first()
    residents = _residents(market.town, 0, len(PAST))
    made = []
    for (title, code, ago, pay, paid), resident in zip(PAST, residents, strict=False):
        day = today - datetime.timedelta(days=ago)
        gig = _gig(title, types[code], day, pay, market, village, cadre)
        worker, _created = GigWorker.objects.get_or_create(
            resident=resident,
            defaults={
                "bureau_id": resident.bureau_id,
                "registered_by": cadre,
                "accepts_heavy": True,
                "is_synthetic": True,
            },
        )
        worker.villages.add(village, resident.village)
        worker.work_types.add(types[code])
        sign_in = SignIn.objects.filter(worker=worker, day=gig.starts_on).first() or SignIn.objects.create(
            bureau_id=resident.bureau_id,
            worker=worker,
            day=gig.starts_on,
            signed_in_at=timezone.make_aware(datetime.datetime.combine(gig.starts_on, datetime.time(7, 20))),
            market=market,
            channel=SignIn.Channel.BOOTH,
            recorded_by=cadre,
        )
        dispatch, _created = Dispatch.objects.get_or_create(
            gig=gig,
            worker=worker,
            defaults={
                "bureau_id": gig.bureau_id,
                "sign_in": sign_in,
                "position": 1,
                "reasons": ["签到第1位(示例)"],
                "dispatched_by": cadre,
            },
        )
        made.append((dispatch, paid))
    _to_help(_residents(market.town, len(PAST), 2), market, village, cadre, today)
    below_title, below_code, below_pay = BELOW
    _gig(
        below_title, types[below_code], today + datetime.timedelta(days=3), below_pay, market, village, cadre
    )
    return made


def load_gigs_pay() -> dict[str, int]:
    """The wage guide, a gig below it, and past gigs recorded paid (one short, with its inspection
    case). Counts of what this run made."""
    today = timezone.localdate()
    town = Town.objects.filter(code=YONGXIN).first()
    cadre = User.objects.filter(username="yongxin_cadre").first()
    market = MarketPlace.objects.filter(code=f"satellite-{YONGXIN}").select_related("town").first()
    if town is None or cadre is None or market is None:
        return {"guide prices": 0, "recorded": 0, "inspection cases": 0}
    types = _work_types()
    prices = _guide(types, town.bureau_id, today.year)
    recorded = cases = 0
    for dispatch, paid in _past_dispatches(types, market, cadre, today):
        if paid is None or dispatch.paid or dispatch.status != Dispatch.Status.SENT:
            continue
        amount = None
        if paid == Dispatch.Paid.SHORT:
            amount = (promised_total(dispatch.gig) / 2).quantize(Decimal("1"))
        done = record_done(cadre, dispatch, paid, amount, today=today)  # a durable transaction of its own
        recorded += 1
        cases += done.case is not None
    return {"guide prices": prices, "recorded": recorded, "inspection cases": cases}
