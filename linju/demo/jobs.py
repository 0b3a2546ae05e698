"""Demo jobs: synthetic employers in the district's industrial parks (and two near home), their
vacancies, commutes from every village, seeded job seekers and referrals in every state."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from linju.accounts.models import User
from linju.demo.places import km_between
from linju.geo.models import Town, Village
from linju.jobs.models import Commute, Employer, JobSeeker, Vacancy
from linju.jobs.selectors import matches_for_seeker
from linju.jobs.services import referral_create_within, referral_step_within, vacancy_post
from linju.jobs.vocabulary import SKILL_CODES
from linju.people.models import Resident

QIJIANG_PARK = "綦江工业园区"
WANSHENG_PARK = "万盛经开区工业园区"
SHUTTLE_KMH, BUS_KMH, BUS_WAIT, WALK_KMH, DETOUR = 35.0, 25.0, 25, 4.0, 1.6

# name, town code, park, shuttle towns, dormitory, vacancies:
# (title, group, skills, min education, wage from, to, shifts, headcount, heavy, training, opened days ago)
EMPLOYERS = [
    (
        "綦江电子科技有限公司(示例)",
        "500110003000",
        QIJIANG_PARK,
        ["永新镇", "东溪镇", "石角镇", "三角镇"],
        True,
        [
            (
                "电子装配工",
                "6",
                ["electronics_assembly", "quality_inspection"],
                2,
                4200,
                5600,
                ["day", "rotating"],
                30,
                False,
                True,
                10,
            ),
            (
                "贴片机操作员",
                "6",
                ["smt_operation", "electronics_assembly"],
                3,
                4800,
                6200,
                ["rotating"],
                8,
                False,
                True,
                40,
            ),
        ],
    ),
    (
        "綦江齿轮传动有限公司(示例)",
        "500110002000",
        QIJIANG_PARK,
        ["古南街道"],
        True,
        [
            (
                "数控车工",
                "6",
                ["cnc_machining", "fitter"],
                3,
                5200,
                7200,
                ["rotating", "night"],
                12,
                False,
                True,
                50,
            ),
            ("装卸搬运工", "6", ["forklift"], 1, 4500, 5800, ["day", "night"], 6, True, False, 35),
        ],
    ),
    (
        "綦江铝材加工厂(示例)",
        "500110003000",
        QIJIANG_PARK,
        [],
        False,
        [
            ("铝材包装工", "6", ["packaging"], 1, 4000, 5000, ["day"], 10, True, False, 20),
        ],
    ),
    (
        "万盛玻璃制品有限公司(示例)",
        "500110004000",
        WANSHENG_PARK,
        ["南桐镇", "青年镇"],
        True,
        [
            ("玻璃制品质检员", "6", ["quality_inspection"], 3, 4300, 5500, ["rotating"], 5, False, True, 15),
        ],
    ),
    (
        "綦江服装厂(示例)",
        "500110002000",
        QIJIANG_PARK,
        [],
        False,
        [
            ("缝纫工", "6", ["sewing"], 1, 3800, 6000, ["day"], 15, False, True, 60),
        ],
    ),
    (
        "綦江物流分拣中心(示例)",
        "500110001000",
        "",
        [],
        False,
        [
            (
                "夜班分拣员",
                "4",
                ["logistics_sorting", "forklift"],
                2,
                4600,
                5800,
                ["night"],
                10,
                True,
                False,
                45,
            ),
        ],
    ),
    (
        "古南街道养老服务中心(示例)",
        "500110001000",
        "",
        [],
        False,
        [
            (
                "养老护理员",
                "4",
                ["elderly_care", "nursing"],
                2,
                3800,
                4800,
                ["day", "rotating"],
                6,
                False,
                True,
                33,
            ),
        ],
    ),
    (
        "永新镇茶叶专业合作社(示例)",
        "500110113000",
        "",
        [],
        False,
        [
            ("采茶工(季节性)", "5", ["crop_growing"], 0, 2400, 3200, ["part_time"], 20, False, False, 12),
        ],
    ),
    (
        "东溪镇电商服务站(示例)",
        "500110109000",
        "",
        [],
        False,
        [
            (
                "电商客服",
                "4",
                ["ecommerce", "customer_service", "office_computer"],
                3,
                3500,
                4500,
                ["day", "part_time"],
                3,
                False,
                True,
                8,
            ),
        ],
    ),
]


def _commute(village: Village, employer: Employer, shuttle_town_ids: set[int]) -> tuple[int, str]:
    road = (
        km_between(
            (village.latitude, village.longitude), (employer.village.latitude, employer.village.longitude)
        )
        * DETOUR
    )
    options = [
        (round(road / WALK_KMH * 60), Commute.Mode.WALK),
        (round(BUS_WAIT + road / BUS_KMH * 60), Commute.Mode.BUS),
    ]
    if village.town_id in shuttle_town_ids:
        options.append((round(5 + road / SHUTTLE_KMH * 60), Commute.Mode.SHUTTLE))
    minutes, mode = min(options)
    return max(1, min(minutes, 999)), mode


@transaction.atomic
def load_jobs(*, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(seed + 23)
    counts = {"employers": 0, "vacancies": 0, "seekers": 0, "referrals": 0}
    villages = list(Village.objects.select_related("town"))
    for name, town_code, park, shuttle_towns, dormitory, vacancies in EMPLOYERS:
        town = Town.objects.get(code=town_code)
        seat = town.villages.order_by("code").first()
        employer, created = Employer.objects.get_or_create(
            name=name,
            defaults={
                "village": seat,
                "park": park,
                "dormitory": dormitory,
                "is_synthetic": True,
                "contact_phone": "023-4860" + str(1000 + counts["employers"]),
            },
        )
        if not created:
            continue
        counts["employers"] += 1
        employer.shuttle_towns.set(Town.objects.filter(name__in=shuttle_towns))
        shuttle_ids = set(employer.shuttle_towns.values_list("pk", flat=True))
        Commute.objects.bulk_create(
            [
                Commute(village=v, employer=employer, minutes=m, mode=mode, is_synthetic=True)
                for v in villages
                for m, mode in [_commute(v, employer, shuttle_ids)]
            ]
        )
        for (
            title,
            group,
            skills,
            education,
            low,
            high,
            shifts,
            headcount,
            heavy,
            training,
            days_ago,
        ) in vacancies:
            vacancy = vacancy_post(
                actor=None,
                employer_id=employer.pk,
                title=title,
                occupation_group=group,
                skills=skills,
                min_education=education,
                wage_min=low,
                wage_max=high,
                shifts=shifts,
                headcount=headcount,
                heavy_manual=heavy,
                training_offered=training,
                max_age=55 if heavy else None,
                opened_on=today - datetime.timedelta(days=days_ago),
            )
            Vacancy.objects.filter(pk=vacancy.pk).update(is_synthetic=True)
            counts["vacancies"] += 1
    if JobSeeker.objects.exists():
        return counts
    dai = Resident.objects.filter(name="代云峰", village__code="500110113225").first()
    if dai:
        JobSeeker.objects.create(
            bureau_id=dai.bureau_id,
            resident=dai,
            education=3,
            skills=["office_computer"],
            experience_years=0,
            max_commute_minutes=60,
            shifts=["day", "rotating"],
            accepts_heavy_manual=False,
            wants_training=True,
            wage_wanted=4000,
            constraints="要照顾奶奶,不能离家太远,不想只干力气活",
            is_synthetic=True,
        )
        counts["seekers"] += 1
    cutoff_old, cutoff_young = today.replace(year=today.year - 55), today.replace(year=today.year - 18)
    candidates = list(  # ids only: at a million residents, most of them are of working age
        Resident.objects.filter(birth_date__range=(cutoff_old, cutoff_young))
        .exclude(pk=getattr(dai, "pk", None))
        .order_by("pk")
        .values_list("pk", "bureau_id")
    )
    for resident_id, bureau_id in rng.sample(candidates, min(180, len(candidates))):
        JobSeeker.objects.create(
            bureau_id=bureau_id,
            resident_id=resident_id,
            education=rng.choice([1, 2, 2, 2, 3, 3, 4]),
            skills=rng.sample(SKILL_CODES, rng.randrange(0, 4)),
            experience_years=rng.randrange(0, 15),
            max_commute_minutes=rng.choice([30, 45, 60, 60, 90, 120]),
            shifts=rng.sample(["day", "night", "rotating", "part_time"], rng.randrange(1, 4)),
            accepts_heavy_manual=rng.random() < 0.45,
            wants_training=rng.random() < 0.5,
            wage_wanted=rng.randrange(30, 70) * 100,
            is_synthetic=True,
            constraints=rng.choice(["", "", "照顾老人", "孩子上学需要接送", "身体不适合重活"]),
        )
        counts["seekers"] += 1
    staff = User.objects.filter(role=User.Role.DISTRICT_STAFF, bureau__zone="綦江").order_by("pk").first()
    if staff is None:
        return counts
    path_by_index = [[], ["interview"], ["interview", "hired"], ["interview", "not_hired"], ["declined"]]
    seekers = list(
        JobSeeker.objects.filter(resident__village__town__bureau=staff.bureau)
        .exclude(resident=dai)
        .order_by("pk")[:60]
    )
    for index, seeker in enumerate(seekers):
        matches = matches_for_seeker(viewer=staff, seeker_id=seeker.pk, k=1)
        if not matches:
            continue
        referral = referral_create_within(
            actor=staff,
            seeker_id=seeker.pk,
            vacancy_id=matches[0].vacancy.pk,
            today=today - datetime.timedelta(days=20),
        )
        counts["referrals"] += 1
        for step in path_by_index[index % len(path_by_index)]:
            if Vacancy.objects.get(pk=referral.vacancy_id).status != Vacancy.Status.OPEN and step == "hired":
                break
            referral_step_within(
                actor=staff,
                referral_id=referral.pk,
                status=step,
                reason="技能不符(演示)" if step == "not_hired" else "",
            )

    return counts
