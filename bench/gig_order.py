"""The published order of gig candidates for a whole district's day: 50,000 signed-in workers and
5,000 gigs (generated, seeded), every gig ordered with the hard rules held (linju/gigs/ordering.py).

Geography: 480 villages in 31 towns; a worker can reach 3–12 villages of their town and its
neighbours; gigs are spread over the villages, a quarter of them heavy, some with an age range,
hours from early morning to evening, one to seven days; a tenth of the workers already sent to a
gig today (so the overlap rule is read).

Prints: the indexed order (`DayOrder`: the day's sign-ins indexed once by village, then a walk per
gig) for every gig — time, peak memory, candidates listed —, the baseline measured in the same run
(`order_plainly`: every signed-in worker checked against every rule for each gig, then sorted; run on
a sample of gigs and scaled up), their ratio, and a check that the two agree on the sample.

Usage: .venv/bin/python bench/gig_order.py [--workers 50000] [--gigs 5000] [--sample 100]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()  # the reasons are words of the catalogue; the order itself reads no database

from linju.gigs.ordering import Busy, DayOrder, GigFacts, WorkerFacts, order_plainly  # noqa: E402

VILLAGES, TOWNS, TYPES = 480, 31, 15
DAY = datetime.date(2026, 12, 7)


def town_of(village: int) -> int:
    return village * TOWNS // VILLAGES


def workers(rng: random.Random, n: int) -> list[WorkerFacts]:
    by_town: dict[int, list[int]] = {}
    for v in range(VILLAGES):
        by_town.setdefault(town_of(v), []).append(v)
    result = []
    for worker_id in range(1, n + 1):
        home = rng.randrange(VILLAGES)
        near = by_town[town_of(home)] + by_town.get(town_of(home) + 1, [])
        start = rng.choice([6, 7, 7, 8, 13]) * 60
        busy = ()
        if rng.random() < 0.1:
            s = rng.randint(7, 15) * 60
            busy = (Busy(DAY, DAY, s, s + rng.choice([120, 240]), gig_id=0),)
        result.append(
            WorkerFacts(
                id=worker_id,
                signed_in_at=datetime.datetime(
                    2026, 12, 7, rng.randint(6, 10), rng.randint(0, 59), rng.randint(0, 59)
                ),
                birth_date=datetime.date(rng.randint(1958, 2008), rng.randint(1, 12), rng.randint(1, 28)),
                work_type_ids=frozenset(rng.sample(range(TYPES), rng.randint(0, 3))),
                village_ids=frozenset(rng.sample(near, min(len(near), rng.randint(3, 12))) + [home]),
                free_from=start,
                free_until=start + rng.choice([5, 8, 10, 12]) * 60,
                accepts_heavy=rng.random() < 0.5,
                days_waited=rng.randint(0, 20),
                busy=busy,
            )
        )
    return result


def gigs(rng: random.Random, n: int) -> list[GigFacts]:
    result = []
    for gig_id in range(1, n + 1):
        start = rng.randint(6, 18) * 60
        heavy = rng.random() < 0.25
        result.append(
            GigFacts(
                id=gig_id,
                work_type_id=rng.randrange(TYPES),
                village_id=rng.randrange(VILLAGES),
                first_day=DAY,
                last_day=DAY + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 6])),
                start=start,
                end=start + rng.choice([120, 240, 480]),
                min_age=rng.choice([16, 18, 18, 20]),
                max_age=60 if heavy else rng.choice([None, None, 65]),
                heavy=heavy,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--gigs", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=50, help="gigs ordered by the baseline")
    parser.add_argument("--seed", type=int, default=34)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people, work = workers(rng, args.workers), gigs(rng, args.gigs)
    print(f"{args.workers:,} signed-in workers, {args.gigs:,} gigs, {VILLAGES} villages")

    started, cpu = time.perf_counter(), time.process_time()
    day = DayOrder(people)
    indexed_at = time.perf_counter() - started
    listed = 0
    orders = {}
    for gig in work:
        order = day.order(gig)
        listed += len(order)
        orders[gig.id] = order
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"indexed order: {total:.2f} s for every gig ({total_cpu:.2f} s of CPU; index {indexed_at:.2f} s), "
        f"{total / len(work) * 1000:.2f} ms a gig, {listed:,} candidates listed "
        f"({listed / len(work):.0f} a gig), peak memory {peak_mb:.0f} MB"
    )

    sample = work[: args.sample]
    started, cpu = time.perf_counter(), time.process_time()
    plain = {gig.id: order_plainly(gig, people) for gig in sample}
    baseline = (time.perf_counter() - started) / len(sample) * len(work)
    baseline_cpu = (time.process_time() - cpu) / len(sample) * len(work)
    print(
        f"baseline (every worker checked for each gig, {len(sample)} gigs, scaled to {len(work):,}): "
        f"{baseline:.1f} s ({baseline_cpu:.1f} s of CPU) — the indexed order is {baseline / total:.0f}× faster "
        f"({baseline_cpu / total_cpu:.0f}× in CPU)"
    )
    agree = all([c.worker.id for c in plain[g.id]] == [c.worker.id for c in orders[g.id]] for g in sample)
    print(f"the two orders agree on the {len(sample)} gigs of the sample: {agree}")
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
