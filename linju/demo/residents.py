"""Synthetic residents: seeded, so two runs give the same people; bulk inserts, so a million is practical.

Nobody generated here exists. ID numbers are valid in form (region, birth date, check digit)
but made up; names are drawn from common surnames and given-name characters.
"""

from __future__ import annotations

import datetime
import queue
import random
import threading
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from linju.core.pgcopy import insert_rows
from linju.geo.models import Village
from linju.people.idnumbers import build_id_number
from linju.people.models import Household, Resident
from linju.people.names import name_initials, name_pinyin
from linju.people.services import people_directory_fill

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪"
    "田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文代罗陶"
)
# Surnames pypinyin misreads by default: present so that search by initials is exercised on them.
TRICKY_SURNAMES = "曾单解仇查区"
GIVEN_CHARS = (
    "明国华建平志红军英芳秀兰玉珍伟强磊洋勇艳杰娟涛超霞刚平辉鹏敏静丽婷雪梅林峰云飞成德福贵"
    "春秋冬海江山川光荣兴旺富发家文武永长安康宁松柏桂菊莲琴燕凤萍桃翠清远开"
)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "187",
    "188",
    "189",
    "199",
]
# People named in the founding article, placed in their real villages (their numbers are synthetic).
ARTICLE_RESIDENTS = [
    ("周开明", "500110109210", datetime.date(1962, 3, 14), "M"),  # 东溪镇龙井村
    ("代云峰", "500110113225", datetime.date(1993, 8, 2), "M"),  # 永新镇荆山村
]
REFERENCE_DATE = datetime.date(2026, 1, 1)


def _region_for(zone: str, birth: datetime.date) -> str:
    # 綦江县 (500222) became 綦江区 (500110) in 2011; people born before keep the old code.
    if zone == "綦江" and birth.year < 2012:
        return "500222"
    return "500110"


def _birth_date(rng: random.Random) -> datetime.date:
    # Rural Qijiang is old: many in their fifties to seventies, fewer children and young adults.
    age = min(100, max(0, int(rng.triangular(0, 95, 58))))
    return REFERENCE_DATE - datetime.timedelta(days=age * 365 + rng.randrange(365))


def _name(rng: random.Random) -> str:
    surname = rng.choice(TRICKY_SURNAMES) if rng.random() < 0.03 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(1 if rng.random() < 0.3 else 2))
    return surname + given


def _phone(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.82:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    if roll < 0.92:
        return f"023-4{rng.randrange(10**7):07d}"
    return ""


def _villages() -> list[Village]:
    return list(Village.objects.select_related("town__bureau").order_by("code"))


def generate(count: int, *, seed: int, villages: list[Village] | None = None) -> Iterator[tuple[str, dict]]:
    """Yield (household number, resident fields) for `count` residents, always the same for a seed."""
    rng = random.Random(seed)
    villages = _villages() if villages is None else villages
    # Communities in the town centres are larger than mountain villages.
    weights = [3.0 if "社区" in v.name else 1.0 for v in villages]
    used: dict[tuple[str, datetime.date], set[int]] = defaultdict(set)
    household_seq: dict[str, int] = defaultdict(int)
    by_code = {v.code: v for v in villages}
    produced = 0
    pending: list[tuple[Village, str, datetime.date, str]] = [
        (by_code[code], name, birth, sex) for name, code, birth, sex in ARTICLE_RESIDENTS if code in by_code
    ]
    while produced < count:
        if pending:
            village, name, birth, sex = pending.pop(0)
            household_size = 1
        else:
            village = rng.choices(villages, weights)[0]
            household_size = rng.choice((1, 2, 2, 3, 3, 4, 5))
            name = birth = sex = None
        household_seq[village.code] += 1
        household = f"{village.code}{household_seq[village.code]:05d}"
        family_surname = None
        for _member in range(household_size):
            if produced >= count:
                break
            member_name = name or _name(rng)
            if family_surname and rng.random() < 0.7 and member_name[0] not in TRICKY_SURNAMES:
                member_name = family_surname + member_name[1:]
            family_surname = family_surname or member_name[0]
            member_birth = birth or _birth_date(rng)
            member_sex = sex or rng.choice("MF")
            region = _region_for(village.town.bureau.zone, member_birth)
            key = (region, member_birth)
            # Sequence digits: odd for men, even for women; 500 of each per region and day,
            # drawn at random so that the last four characters spread as in a real registry.
            while len(used[key]) >= 500:
                member_birth += datetime.timedelta(days=1)
                key = (region, member_birth)
            serial = rng.randrange(500)
            while serial in used[key]:
                serial = rng.randrange(500)
            used[key].add(serial)
            sequence = serial * 2 + (1 if member_sex == "M" else 0)
            id_number = build_id_number(region, member_birth, sequence)
            yield (
                household,
                {
                    "name": member_name,
                    "name_initials": name_initials(member_name),
                    "name_pinyin": name_pinyin(member_name),
                    "id_number": id_number,
                    "id_last4": id_number[-4:],
                    "birth_date": member_birth,
                    "sex": member_sex,
                    "phone": _phone(rng),
                    "village_id": village.pk,
                    "is_synthetic": True,
                },
            )
            produced += 1
            name = birth = sex = None


RESIDENT_FIELDS = [
    "name",
    "name_initials",
    "name_pinyin",
    "id_number",
    "id_last4",
    "birth_date",
    "sex",
    "phone",
    "village",
    "bureau",
    "household",
    "is_synthetic",
    "created_at",
    "updated_at",
]


def load_residents(
    count: int,
    *,
    seed: int,
    batch_size: int = 10_000,
    progress=None,
    villages: list[Village] | None = None,
) -> int:
    """Insert the seeded residents that are not there yet (in `villages`, default all); return how
    many were created.

    The households and ID numbers already registered in those villages' bureaus are read once (none
    on a fresh database);
    then a batch at a time: its new households (bulk_create, which gives their ids back), then its
    new residents, in one binary COPY on PostgreSQL (bulk_create elsewhere)."""
    villages = _villages() if villages is None else villages
    bureaus = {village.town.bureau_id for village in villages}
    households = dict(
        Household.objects.filter(bureau_id__in=bureaus)
        .values_list("number", "pk")
        .iterator(chunk_size=50_000)
    )
    bureau_of = dict(Village.objects.values_list("pk", "town__bureau_id"))
    known = set(
        Resident.objects.filter(bureau_id__in=bureaus)
        .values_list("id_number", flat=True)
        .iterator(chunk_size=50_000)
    )
    created = 0

    def write(batch: list[tuple[str, dict]]) -> None:
        nonlocal created
        now = timezone.now()
        with transaction.atomic():
            new = {}
            for number, fields in batch:
                if number not in households:
                    new.setdefault(
                        number,
                        Household(
                            bureau_id=bureau_of[fields["village_id"]],
                            number=number,
                            village_id=fields["village_id"],
                        ),
                    )
            for household in Household.objects.bulk_create(list(new.values()), batch_size=5_000):
                households[household.number] = household.pk
            rows = [
                (
                    f["name"],
                    f["name_initials"],
                    f["name_pinyin"],
                    f["id_number"],
                    f["id_last4"],
                    f["birth_date"],
                    f["sex"],
                    f["phone"],
                    f["village_id"],
                    bureau_of[f["village_id"]],
                    households[n],
                    f["is_synthetic"],
                    now,
                    now,
                )
                for n, f in batch
                if f["id_number"] not in known
            ]
            insert_rows(Resident, RESIDENT_FIELDS, rows, batch_size=5_000)
        created += len(rows)
        if progress:
            progress(len(batch))

    for batch in _generated_batches(count, seed=seed, size=batch_size, villages=villages):
        write(batch)
    people_directory_fill()
    return created


def _generated_batches(count: int, *, seed: int, size: int, villages: list[Village]) -> Iterator[list]:
    """The generator's people in batches, made by a thread of their own: while the database takes
    one batch (the thread waiting on it lets go of the interpreter), the next is being made."""
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def put(value) -> bool:
        while not stop.is_set():
            try:
                batches.put(value, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            batch = []
            for item in generate(count, seed=seed, villages=villages):
                batch.append(item)
                if len(batch) >= size:
                    if not put(batch):
                        return
                    batch = []
            if batch:
                put(batch)
        except BaseException as error:  # handed to the consumer, raised there
            put(error)
        finally:
            put(done)

    thread = threading.Thread(target=produce, name="load-demo-residents", daemon=True)
    thread.start()
    try:
        while (item := batches.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(5)
