"""Demo outreach: market cycles, booth plans for last month and this, consultations, village visits
with the needs raised, the pension certification roster and home tasks, leaders' quotas and visits.
Seeded and synthetic; a second run adds nothing."""

from __future__ import annotations

import datetime
import itertools
import random

from django.db import transaction
from django.utils import timezone

from linju.accounts.models import User
from linju.catalog.models import ServiceItem
from linju.core.pgcopy import insert_objects
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.outreach.models import (
    BoothSession,
    Certification,
    Consultation,
    HomeTask,
    LeaderQuota,
    LeaderVisit,
    Pensioner,
    SignOfLife,
    StaffOutreach,
    TownOutreach,
    VisitNeed,
    VisitRecord,
)
from linju.outreach.selectors import due_by_birth_month, quarter_of
from linju.outreach.services import (
    booth_plan_generate,
    certification_by_data_run,
    certification_home_tasks,
)
from linju.people.models import Resident

SOLAR = ["逢一四七", "逢二五八", "逢三六九", "逢五逢十"]
LUNAR = ["农历逢三六九", "农历逢二五八", "农历逢一四七"]
PLANNING_TOWNS = ("永新镇", "东溪镇")
ENTERPRISES = [
    "綦江工业园区·齿轮厂(示例)",
    "綦江工业园区·铝材厂(示例)",
    "万盛经开区·玻璃厂(示例)",
    "綦江工业园区·电子厂(示例)",
]


def set_cycles() -> None:
    """Synthetic market cycles (but 升平片场's, which the article fixes); a town's markets meet on
    different days, so that one cadre can staff each in turn."""
    towns = list(Town.objects.order_by("code"))
    for index, town in enumerate(towns):
        taken = set(MarketPlace.objects.filter(town=town).exclude(cycle="").values_list("cycle", flat=True))
        # 升平片场 first: the others of its town step aside from its days
        for market in sorted(
            MarketPlace.objects.filter(town=town, cycle=""), key=lambda m: (m.name != "升平片场", m.code)
        ):
            if market.name == "升平片场":
                # the article's market day, 11 June 2014, was the 14th of the fifth lunar month
                cycle = "农历逢一四七"
            else:
                pool = LUNAR if market.kind == MarketPlace.Kind.SATELLITE or not index % 5 else SOLAR
                rotated = pool[index % len(pool) :] + pool[: index % len(pool)]
                cycle = next((c for c in rotated if c not in taken), rotated[0])
            market.cycle = cycle
            taken.add(cycle)
            market.save(update_fields=["cycle", "updated_at"])


ROSTER_BATCH = 20_000


def _pension_roster(rng: random.Random, today: datetime.date) -> int:
    """Seven in ten residents of 60 and over receive a pension; most have confirmed this year by their
    due date. Written in batches (a million residents give some 170,000 pensioners)."""
    cutoff = today.replace(year=today.year - 60)
    methods = ["station", "home_visit", "remote"]  # in person; by data comes after, from signs of life
    created = 0
    people = (
        Resident.objects.filter(birth_date__lte=cutoff)
        .order_by("pk")
        .values_list("pk", "bureau_id", "birth_date")
        .iterator(chunk_size=ROSTER_BATCH)
    )
    while batch := list(itertools.islice(people, ROSTER_BATCH)):
        pensioners, certified = [], []
        for resident_id, bureau_id, birth_date in batch:
            if rng.random() >= 0.7:
                continue
            pensioner = Pensioner(
                bureau_id=bureau_id, resident_id=resident_id, cannot_travel=rng.random() < 0.1
            )
            pensioners.append(pensioner)
            due_by = due_by_birth_month(birth_date, today.year)
            if due_by < today and rng.random() < 0.85 or due_by >= today and rng.random() < 0.3:
                method = rng.choices(methods, weights=[60, 10, 30])[0]
                if pensioner.cannot_travel:
                    method = Certification.Method.HOME_VISIT
                day = min(due_by, today) - datetime.timedelta(days=rng.randrange(0, 60))
                certified.append((pensioner, method, day))
        Pensioner.objects.bulk_create(pensioners, batch_size=5_000)
        insert_objects(  # binary COPY on PostgreSQL
            Certification,
            [
                Certification(bureau_id=p.bureau_id, pensioner=p, year=today.year, method=m, certified_on=d)
                for p, m, d in certified
            ],
        )
        created += len(pensioners)
    return created


SIGN_KINDS = (SignOfLife.Kind.MEDICAL, SignOfLife.Kind.BANK, SignOfLife.Kind.CARD)
SIGN_SOURCE = "合成(演示)"


def _signs_of_life(rng: random.Random, today: datetime.date) -> int:
    """Synthetic signs of life, labelled so: a third of the pensioners have one this year (a medical
    reimbursement, a bank or card event), a few only last year's (outside the period: not enough)."""
    start = today.replace(month=1, day=1)
    signs = []
    for resident_id, bureau_id in Pensioner.objects.order_by("pk").values_list("resident_id", "bureau_id"):
        draw = rng.random()
        if draw < 0.35:
            day = start + datetime.timedelta(days=rng.randrange(0, (today - start).days + 1))
        elif draw < 0.4:
            day = start - datetime.timedelta(days=rng.randrange(1, 200))
        else:
            continue
        signs.append(
            SignOfLife(
                bureau_id=bureau_id,
                resident_id=resident_id,
                kind=rng.choice(SIGN_KINDS),
                date=day,
                source_note=SIGN_SOURCE,
                is_synthetic=True,
            )
        )
    SignOfLife.objects.bulk_create(signs, batch_size=5_000, ignore_conflicts=True)
    return len(signs)


BOOTHS_AHEAD_DAYS = 61  # "the coming two months"


def load_outreach(*, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    """Outreach's demo rows. Not one transaction: the booth plans and the certification visits are
    outreach's own writes, each a durable transaction of its own; the demo's rows around them are
    written a part at a time."""
    today = today or timezone.localdate()
    rng = random.Random(seed + 11)
    counts = {
        "booths": 0,
        "consultations": 0,
        "visits": 0,
        "pensioners": 0,
        "home_tasks": 0,
        "leader_visits": 0,
    }
    with transaction.atomic():
        set_cycles()
        for town in Town.objects.order_by("code"):
            TownOutreach.objects.get_or_create(
                town=town,
                defaults={
                    "plans_booths": town.name in PLANNING_TOWNS,
                    "visit_every_days": 60 if town.name.endswith("镇") else 90,
                },
            )
        for cadre in User.objects.filter(role=User.Role.TOWNSHIP_CADRE):
            StaffOutreach.objects.get_or_create(user=cadre, defaults={"booth_days_per_month": 12})
    planner = User.objects.filter(role=User.Role.DISTRICT_STAFF, bureau__zone="綦江").order_by("pk").first()
    if planner is None:
        return counts
    # last month (held, with its consultations) and the coming two months from the day this runs:
    # a resident asking "where" on any day of the demo finds booths ahead (run again later, the plan
    # reaches further; months already planned are kept)
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    months = [last_month, this_month]
    while months[-1] <= today + datetime.timedelta(days=BOOTHS_AHEAD_DAYS):
        months.append((months[-1] + datetime.timedelta(days=32)).replace(day=1))
    for month in months:
        counts["booths"] += len(booth_plan_generate(actor=planner, month=month).created)
    with transaction.atomic():
        topics = list(
            ServiceItem.objects.filter(
                code__in=["UI-002", "PE-002", "MD-003", "MD-006", "EM-006", "SI-002", "PE-001"]
            )
        )
        for booth in (
            BoothSession.objects.filter(
                date__lt=today, status=BoothSession.Status.PLANNED, consultations__isnull=True
            )
            .select_related("market__town")
            .order_by("date", "pk")
        ):
            cadre = booth.staff.first()
            for _ in range(rng.randrange(1, 6)):
                Consultation.objects.create(
                    bureau_id=booth.market.town.bureau_id,
                    booth=booth,
                    town_id=booth.market.town_id,
                    item=rng.choice(topics),
                    outcome=Consultation.Outcome.ANSWERED,
                    created_by=cadre,
                    note="(演示)",
                )
                counts["consultations"] += 1
            booth.status = BoothSession.Status.HELD
            booth.save(update_fields=["status", "updated_at"])
        # questions answered at the stations' counters with no case, over the last 30 days
        if not Consultation.objects.filter(service_point__isnull=False).exists():
            for station in ServicePoint.objects.filter(kind=ServicePoint.Kind.TOWN_STATION).order_by("code"):
                cadre = User.objects.filter(role=User.Role.TOWNSHIP_CADRE, towns=station.town_id).first()
                if cadre is None:
                    continue
                for _ in range(rng.randrange(0, 4)):
                    day = today - datetime.timedelta(days=rng.randrange(0, 30))
                    Consultation.objects.create(
                        bureau_id=station.bureau_id,
                        service_point=station,
                        town_id=station.town_id,
                        item=rng.choice(topics),
                        outcome=Consultation.Outcome.ANSWERED,
                        created_by=cadre,
                        created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
                        note="(演示)",
                    )
                    counts["consultations"] += 1

    with transaction.atomic():
        if not VisitRecord.objects.exists():
            for village in Village.objects.select_related("town").order_by("code"):
                if rng.random() > 0.6:
                    continue
                cadre = (
                    User.objects.filter(role=User.Role.TOWNSHIP_CADRE, towns=village.town).first() or planner
                )
                if cadre.bureau_id != village.town.bureau_id:
                    continue
                day = today - datetime.timedelta(days=rng.randrange(1, 120))
                visit = VisitRecord.objects.create(
                    bureau_id=village.town.bureau_id,
                    village=village,
                    date=day,
                    households_met=rng.randrange(3, 25),
                    notes="入户走访(演示)",
                    created_by=cadre,
                )
                visit.cadres.set([cadre])
                for _ in range(rng.randrange(0, 3)):
                    if rng.random() < 0.6:
                        VisitNeed.objects.create(
                            bureau_id=visit.bureau_id,
                            visit=visit,
                            description=rng.choice(["咨询养老金领取", "询问医保报销", "问家门口的工作"]),
                            outcome=VisitNeed.Outcome.CLOSED,
                            done=True,
                        )
                    else:
                        VisitNeed.objects.create(
                            bureau_id=visit.bureau_id,
                            visit=visit,
                            description=rng.choice(["老人行动不便需上门认证", "需要帮忙办理医疗费用报销"]),
                            outcome=VisitNeed.Outcome.FOLLOW_UP,
                            due_date=day + datetime.timedelta(days=14),
                            done=rng.random() < 0.5,
                        )
                counts["visits"] += 1

    if not Pensioner.objects.exists():
        with transaction.atomic():
            counts["pensioners"] = _pension_roster(rng, today)
            counts["signs_of_life"] = _signs_of_life(rng, today)
        # the nightly job's order: those with a sign are certified by data, the rest get home visits
        run = certification_by_data_run(actor=None, year=today.year, today=today)
        counts["certified_by_data"] = run.certified
        counts["home_tasks"] += certification_home_tasks(year=today.year, today=today)
        with transaction.atomic():
            for resident in Resident.objects.filter(village__town__name__in=PLANNING_TOWNS).order_by("?")[:6]:
                HomeTask.objects.create(
                    bureau_id=resident.bureau_id,
                    kind=HomeTask.Kind.MEDICAL_HELP,
                    resident=resident,
                    asked_via=HomeTask.AskedVia.PHONE,
                    due_date=today + datetime.timedelta(days=rng.randrange(1, 10)),
                )
                counts["home_tasks"] += 1

    with transaction.atomic():
        leader = User.objects.filter(role=User.Role.LEADER).order_by("pk").first()
        if leader and not LeaderVisit.objects.exists():
            quarter = quarter_of(today)
            last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
            for year, q in (last, (today.year, quarter)):
                LeaderQuota.objects.get_or_create(
                    leader=leader, year=year, quarter=q, defaults={"towns": 4, "enterprises": 2}
                )
            towns = list(Town.objects.filter(bureau=leader.bureau).order_by("code"))
            last_start = datetime.date(last[0], 3 * last[1] - 2, 1)
            for index, (offset, kind) in enumerate(
                [
                    (5, "town"),
                    (20, "town"),
                    (34, "town"),
                    (50, "town"),
                    (62, "town"),
                    (15, "enterprise"),
                    (70, "enterprise"),
                ]
            ):
                LeaderVisit.objects.create(
                    leader=leader,
                    kind=kind,
                    date=last_start + datetime.timedelta(days=offset),
                    town=towns[index * 3 % len(towns)],
                    enterprise=ENTERPRISES[index % len(ENTERPRISES)] if kind == "enterprise" else "",
                    findings="群众反映办事要跑城里(演示)"
                    if kind == "town"
                    else "企业招工难,缺少熟练工(演示)",
                    follow_up="协调就业服务进园区(演示)" if kind == "enterprise" else "",
                    follow_up_due=last_start + datetime.timedelta(days=offset + 30)
                    if kind == "enterprise"
                    else None,
                )
                counts["leader_visits"] += 1
            this_start = datetime.date(today.year, 3 * quarter - 2, 1)
            if this_start + datetime.timedelta(days=3) <= today:
                LeaderVisit.objects.create(
                    leader=leader,
                    kind="town",
                    date=this_start + datetime.timedelta(days=3),
                    town=towns[0],
                    findings="检查服务所窗口(演示)",
                )
                counts["leader_visits"] += 1
    return counts
