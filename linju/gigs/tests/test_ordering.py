"""The published order: the indexed walk (`DayOrder`) agrees with the rule as written
(`order_plainly`, every signed-in worker checked in a plain loop), and the rule itself holds."""

import dataclasses
import datetime
import random

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.gigs.ordering import (
    Busy,
    DayOrder,
    GigFacts,
    WorkerFacts,
    age_on,
    exclusions,
    order_plainly,
    reasons,
    sign_in_round,
)

DAY = datetime.date(2026, 12, 7)


def plain_loop(gig: GigFacts, workers: list[WorkerFacts]) -> list[int]:
    """The rule spelled out once more, without the module's helpers: who may go, then the order."""
    kept = []
    for w in workers:
        age = gig.first_day.year - w.birth_date.year
        if (gig.first_day.month, gig.first_day.day) < (w.birth_date.month, w.birth_date.day):
            age -= 1
        if age < gig.min_age or (gig.max_age is not None and age > gig.max_age):
            continue
        if gig.village_id not in w.village_ids:
            continue
        if gig.heavy and not w.accepts_heavy:
            continue
        if w.free_from > gig.start or w.free_until < gig.end:
            continue
        clash = False
        for b in w.busy:
            days_meet = b.first_day <= gig.last_day and gig.first_day <= b.last_day
            hours_meet = b.start < gig.end and gig.start < b.end
            if b.gig_id != gig.id and days_meet and hours_meet:
                clash = True
        if clash:
            continue
        quarter = (w.signed_in_at.hour * 60 + w.signed_in_at.minute) // 15
        knows = gig.work_type_id in w.work_type_ids
        kept.append(((quarter, not knows, -w.days_waited, w.signed_in_at, w.id), w.id))
    return [worker_id for _, worker_id in sorted(kept)]


def random_worker(rng: random.Random, worker_id: int, villages: int, types: int) -> WorkerFacts:
    free_from = rng.choice([6, 7, 8, 9, 13]) * 60
    busy = tuple(
        Busy(
            first_day=DAY + datetime.timedelta(days=rng.randint(-1, 2)),
            last_day=DAY + datetime.timedelta(days=rng.randint(2, 4)),
            start=(s := rng.randint(6, 16) * 60),
            end=s + rng.choice([60, 120, 240]),
            gig_id=rng.randint(1, 40),
        )
        for _ in range(rng.choice([0, 0, 0, 1, 2]))
    )
    return WorkerFacts(
        id=worker_id,
        signed_in_at=datetime.datetime(
            2026, 12, 7, rng.randint(6, 9), rng.randint(0, 59), rng.randint(0, 59)
        ),
        birth_date=datetime.date(rng.randint(1955, 2010), rng.randint(1, 12), rng.randint(1, 28)),
        work_type_ids=frozenset(rng.sample(range(1, types + 1), rng.randint(0, 3))),
        village_ids=frozenset(rng.sample(range(1, villages + 1), rng.randint(1, 4))),
        free_from=free_from,
        free_until=free_from + rng.choice([4, 8, 10, 12]) * 60,
        accepts_heavy=rng.random() < 0.5,
        days_waited=rng.randint(0, 6),
        busy=busy,
    )


def random_gig(rng: random.Random, gig_id: int, villages: int, types: int) -> GigFacts:
    start = rng.randint(6, 17) * 60 + rng.choice([0, 30])
    first = DAY + datetime.timedelta(days=rng.randint(0, 3))
    min_age = rng.choice([16, 16, 18, 25])
    return GigFacts(
        id=gig_id,
        work_type_id=rng.randint(1, types),
        village_id=rng.randint(1, villages),
        first_day=first,
        last_day=first + datetime.timedelta(days=rng.choice([0, 0, 1, 6])),
        start=start,
        end=start + rng.choice([60, 120, 180, 480]),
        min_age=min_age,
        max_age=rng.choice([None, None, 45, 60, 65]),
        heavy=rng.random() < 0.3,
    )


def test_the_indexed_order_agrees_with_a_plain_loop_on_ten_thousand_random_gigs():
    rng = random.Random(20261207)
    villages, types = 30, 12
    workers = [random_worker(rng, n, villages, types) for n in range(1, 1001)]
    day = DayOrder(workers)
    compared = nonempty = 0
    for gig_id in range(1, 10_001):
        gig = random_gig(rng, gig_id, villages, types)
        indexed = [c.worker.id for c in day.order(gig)]
        assert indexed == plain_loop(gig, workers), gig
        if gig_id % 10 == 0:  # the module's own plain order, on every tenth
            assert [c.worker.id for c in order_plainly(gig, workers)] == indexed
        compared += 1
        nonempty += bool(indexed)
    assert compared == 10_000
    assert nonempty > 9_000  # the gigs did find people: the comparison was not of empty lists


workers_strategy = st.lists(
    st.builds(
        WorkerFacts,
        id=st.integers(1, 10_000),
        signed_in_at=st.datetimes(
            min_value=datetime.datetime(2026, 12, 7, 6, 0), max_value=datetime.datetime(2026, 12, 7, 7, 0)
        ),
        birth_date=st.dates(datetime.date(1950, 1, 1), datetime.date(2011, 12, 31)),
        work_type_ids=st.frozensets(st.integers(1, 3), max_size=3),
        village_ids=st.frozensets(st.integers(1, 3), min_size=1, max_size=3),
        free_from=st.sampled_from([360, 420, 480]),
        free_until=st.sampled_from([720, 1080]),
        accepts_heavy=st.booleans(),
        days_waited=st.integers(0, 3),
        busy=st.lists(
            st.builds(
                Busy,
                first_day=st.just(DAY),
                last_day=st.just(DAY),
                start=st.sampled_from([420, 540, 780]),
                end=st.sampled_from([600, 900]),
                gig_id=st.integers(0, 3),
            ),
            max_size=2,
        ).map(tuple),
    ),
    max_size=40,
    unique_by=lambda w: w.id,
)
gigs_strategy = st.builds(
    GigFacts,
    id=st.integers(1, 3),
    work_type_id=st.integers(1, 3),
    village_id=st.integers(1, 3),
    first_day=st.just(DAY),
    last_day=st.just(DAY),
    start=st.sampled_from([420, 480, 810]),
    end=st.sampled_from([900, 1020]),
    min_age=st.sampled_from([16, 30]),
    max_age=st.sampled_from([None, 50, 60]),
    heavy=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(workers=workers_strategy, gigs=st.lists(gigs_strategy, min_size=1, max_size=10))
def test_the_indexed_order_agrees_with_the_plain_loop_on_crowded_quarters(workers, gigs):
    """Many sign-ins in the same quarter hour, few villages and skills: ties are decided alike."""
    day = DayOrder(workers)
    for gig in gigs:
        assert [c.worker.id for c in day.order(gig)] == plain_loop(gig, workers)


def _worker(**changes) -> WorkerFacts:
    base = WorkerFacts(
        id=1,
        signed_in_at=datetime.datetime(2026, 12, 7, 7, 5),
        birth_date=datetime.date(1980, 5, 1),
        work_type_ids=frozenset({1}),
        village_ids=frozenset({10}),
        free_from=7 * 60,
        free_until=18 * 60,
        accepts_heavy=True,
        days_waited=2,
    )
    return dataclasses.replace(base, **changes)


GIG = GigFacts(
    id=99,
    work_type_id=1,
    village_id=10,
    first_day=DAY,
    last_day=DAY,
    start=8 * 60,
    end=12 * 60,
    min_age=18,
    max_age=60,
    heavy=True,
)


def test_an_earlier_quarter_comes_before_a_better_fit():
    early_unskilled = _worker(
        id=1, signed_in_at=datetime.datetime(2026, 12, 7, 7, 14), work_type_ids=frozenset()
    )
    late_skilled = _worker(id=2, signed_in_at=datetime.datetime(2026, 12, 7, 7, 15))
    assert [c.worker.id for c in order_plainly(GIG, [late_skilled, early_unskilled])] == [1, 2]


def test_within_a_quarter_the_fit_then_the_days_waited_decide():
    a = _worker(
        id=1, signed_in_at=datetime.datetime(2026, 12, 7, 7, 1), work_type_ids=frozenset(), days_waited=9
    )
    b = _worker(id=2, signed_in_at=datetime.datetime(2026, 12, 7, 7, 10), days_waited=1)
    c = _worker(id=3, signed_in_at=datetime.datetime(2026, 12, 7, 7, 12), days_waited=4)
    assert [x.worker.id for x in order_plainly(GIG, [a, b, c])] == [3, 2, 1]


def test_hard_rules_are_never_broken():
    assert exclusions(GIG, _worker(birth_date=datetime.date(2010, 1, 1))) == ["too_young"]
    assert exclusions(GIG, _worker(birth_date=datetime.date(1950, 1, 1))) == ["too_old"]
    assert exclusions(GIG, _worker(village_ids=frozenset({11}))) == ["out_of_reach"]
    assert exclusions(GIG, _worker(accepts_heavy=False)) == ["not_heavy"]
    assert exclusions(GIG, _worker(free_from=9 * 60)) == ["hours"]
    morning = Busy(first_day=DAY, last_day=DAY, start=7 * 60, end=9 * 60, gig_id=5)
    assert exclusions(GIG, _worker(busy=(morning,))) == ["taken"]
    afternoon = Busy(first_day=DAY, last_day=DAY, start=13 * 60, end=17 * 60, gig_id=5)
    assert exclusions(GIG, _worker(busy=(afternoon,))) == []  # two short gigs the same day


def test_the_order_reads_no_sex_ethnicity_or_household_registration():
    names = {f.name for f in dataclasses.fields(WorkerFacts)}
    assert not names & {"sex", "gender", "ethnicity", "hukou", "household", "village", "resident"}


def test_a_birthday_on_the_first_day_counts():
    assert age_on(datetime.date(2008, 12, 7), DAY) == 18
    assert age_on(datetime.date(2008, 12, 8), DAY) == 17


def test_each_candidate_is_given_reasons_in_chinese():
    with translation.override("zh-hans"):
        said = reasons(order_plainly(GIG, [_worker()])[0])
    assert len(said) == 3
    assert "7:05" in said[0]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in said)
    assert sign_in_round(datetime.datetime(2026, 12, 7, 7, 5)) == 28
