"""Discovery over the whole registry: N generated residents (default 1,000,000) in PostgreSQL,
every sample rule.

Prints, in one run:
  - end to end, three runs: read the facts from the database, evaluate every rule, store the outreach lists
    (`discovery_execute`);
  - the loading alone (`facts_columns`);
  - the rule evaluation alone (`eligible_columns`, the rule language's vectorised engine);
  - the floor: the same rules written by hand in numpy on the same arrays;
  - the per-person path (`evaluate` on each person's facts dict) over a sample, scaled up.

Usage: .venv/bin/python bench/eligibility.py [--residents 1000000] [--keep]
Creates (and, unless --keep, drops) the PostgreSQL database linju_bench_elig.

Several bureaus in one database:
  .venv/bin/python bench/eligibility.py --bureaus 4 --residents-per-bureau 1000000 [--keep]
loads 綦江 and 万盛 and, past two, copies of 綦江's towns and villages under bureaus of their own,
each with its own residents and facts; then measures, in the same run, one bureau's discovery run
alone on the huey workers against every bureau's at once (`manage.py discover`: a job a bureau),
with two huey consumers on Redis (database 14), each a process of its own as on two machines.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("LINJU_BENCH_DB", "linju_bench_elig")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
sys.path.insert(0, str(ROOT))


def fresh_database(*, create: bool) -> None:
    """Drop the benchmark's database, and create it empty again when asked."""
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        if create:
            conn.execute(f'CREATE DATABASE "{DB}"')


def manage(*args: str) -> str:
    env = os.environ | {"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return done.stdout


def hand_written(columns, today: datetime.date):
    """The sample rules by hand in numpy (unknown facts count as not eligible, as in the engine;
    text compared by its codes, as anyone writing it by hand on these arrays would)."""
    import numpy as np

    from linju.eligibility.rules import _months_between_days

    c = {k: v for k, v in columns.items()}

    def k(name):
        return c[name].known

    def v(name):
        return c[name].values

    age = _months_between_days(v("birth_date"), today) // 12
    known_age = k("birth_date")
    out = {}
    out["UI-002"] = (
        k("unemployment_contribution_months")
        & (v("unemployment_contribution_months") >= 12)
        & k("job_loss_cause")
        & (v("job_loss_cause") == c["job_loss_cause"].code("involuntary"))
        & k("registered_unemployed")
        & v("registered_unemployed")
        & k("receives_pension")
        & ~v("receives_pension")
        & known_age
        & (age < 60)
    )
    out["UI-001"] = (
        known_age
        & (age >= 16)
        & (age < 60)
        & k("employment_status")
        & (v("employment_status") == c["employment_status"].code("unemployed"))
        & k("registered_unemployed")
        & ~v("registered_unemployed")
    )
    out["SI-001"] = (
        known_age
        & (age >= 16)
        & k("pension_insured")
        & ~v("pension_insured")
        & k("receives_pension")
        & ~v("receives_pension")
    )
    out["PE-001"] = (
        known_age
        & (age >= 60)
        & k("pension_insured")
        & v("pension_insured")
        & k("pension_contribution_months")
        & (v("pension_contribution_months") >= 180)
        & k("receives_pension")
        & ~v("receives_pension")
    )
    out["SI-002"] = k("medical_insured") & ~v("medical_insured")
    low = (k("subsistence_allowance") & v("subsistence_allowance")) | (
        k("income_per_capita") & (v("income_per_capita") < 1000)
    )
    out["MD-006"] = low & k("medical_expenses_12m") & (v("medical_expenses_12m") >= 10000)
    out["AS-001"] = (
        k("hardship_on")
        & (_months_between_days(v("hardship_on"), today) <= 3)
        & k("income_per_capita")
        & (v("income_per_capita") < 1500)
    )
    severe = k("disability_level") & (v("disability_level") >= 1) & (v("disability_level") <= 2)
    out["AS-002"] = (
        ((k("subsistence_allowance") & v("subsistence_allowance")) | severe)
        & k("pension_insured")
        & ~v("pension_insured")
        & known_age
        & (age >= 16)
    )
    difficulty = (
        (known_age & (age >= 45))
        | (k("disability_level") & (v("disability_level") >= 1))
        | (k("subsistence_allowance") & v("subsistence_allowance"))
    )
    out["EM-002"] = (
        k("employment_status")
        & (v("employment_status") == c["employment_status"].code("unemployed"))
        & k("registered_unemployed")
        & v("registered_unemployed")
        & difficulty
    )
    out["EM-004"] = (
        known_age
        & (age >= 16)
        & (age < 60)
        & k("employment_status")
        & np.isin(v("employment_status"), [c["employment_status"].code(w) for w in ("unemployed", "farming")])
    )
    out["EM-005"] = (
        known_age & (age >= 18) & (age < 60) & k("registered_unemployed") & v("registered_unemployed")
    )
    out["EM-007"] = (
        k("employment_status")
        & (v("employment_status") == c["employment_status"].code("flexible"))
        & k("registered_unemployed")
        & v("registered_unemployed")
        & k("pension_insured")
        & v("pension_insured")
    )
    return out


def add_bureaus(count: int, per_bureau: int) -> None:
    """綦江 and 万盛 as the demo has them, then bureaus 3.. with copies of 綦江's towns and villages
    (codes 59NN..., names 基准区NN), each given `per_bureau` seeded residents and their facts."""
    from django.db import connection, transaction

    from linju.demo import eligibility as demo_eligibility
    from linju.demo import residents as demo_residents
    from linju.geo.models import Bureau, District, Town, Village

    model = Bureau.objects.get(zone="綦江")
    with transaction.atomic():
        for number in range(3, count + 1):
            prefix = f"59{number:02d}10"
            district = District.objects.create(
                code=f"{prefix}000000", name=f"基准区{number:02d}", full_name=f"重庆市基准区{number:02d}"
            )
            bureau = Bureau.objects.create(
                zone=f"基准{number:02d}",
                jurisdiction_id=f"bench-{number:02d}",
                name=f"基准区{number:02d}人力资源和社会保障局",
                short_name=f"基准区{number:02d}人社局",
                code="BB" + chr(ord("A") + number - 1),  # case numbers begin BBC-, BBD-, ...
            )
            for town in Town.objects.filter(bureau=model).prefetch_related("villages"):
                copy = Town.objects.create(
                    code=prefix + town.code[6:],
                    name=town.name,
                    full_name=town.full_name,
                    latitude=town.latitude,
                    longitude=town.longitude,
                    district=district,
                    bureau=bureau,
                )
                Village.objects.bulk_create(
                    Village(
                        code=prefix + village.code[6:],
                        name=village.name,
                        full_name=village.full_name,
                        latitude=village.latitude,
                        longitude=village.longitude,
                        town=copy,
                        population=village.population,
                    )
                    for village in town.villages.all()
                )
    for index, bureau in enumerate(Bureau.objects.order_by("id")[:count]):
        villages = list(
            Village.objects.filter(town__bureau=bureau).select_related("town__bureau").order_by("code")
        )
        started = time.perf_counter()
        made = demo_residents.load_residents(per_bureau, seed=2014 + index, villages=villages)
        print(
            f"  {bureau.short_name}: {made:,} residents in {time.perf_counter() - started:.0f} s", flush=True
        )
    started = time.perf_counter()
    facts = demo_eligibility.load_facts(seed=2014)
    print(f"  facts for {facts:,} residents in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def start_consumers(count: int, env: dict) -> list[subprocess.Popen]:
    """Huey consumers, a process each with one worker (as on `count` machines), not scheduling."""
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
            cwd=ROOT,
            env=env | {"LINJU_HUEY_SCHEDULER": "false"},
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "var" / f"bench-huey-{n}.log", "w"),
        )
        for n in range(count)
    ]


def bureaus_at_once(args) -> None:
    """One bureau's run alone on the workers, then every bureau's at once: wall time from queueing
    to the last run done, each run's own time, and the residents read a second."""
    import redis

    env = os.environ | {
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
    }
    if not args.reuse:
        fresh_database(create=True)
        started = time.perf_counter()
        manage("migrate", "--no-input", "-v0")
        manage("load_demo", "--residents", "0", "--cases", "0")
    os.environ.update(env)
    import django

    django.setup()
    from linju.eligibility.models import DiscoveryRun
    from linju.eligibility.tasks import run_discovery
    from linju.geo.models import Bureau
    from linju.people.models import Resident

    if not args.reuse:
        add_bureaus(args.bureaus, args.residents_per_bureau)
        print(
            f"setup: {args.bureaus} bureaus of {args.residents_per_bureau:,} residents in {time.perf_counter() - started:.0f} s"
        )
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    bureaus = list(Bureau.objects.order_by("id")[: args.bureaus])
    sizes = {b.pk: Resident.objects.filter(bureau=b).count() for b in bureaus}
    consumers = start_consumers(args.workers, env)

    def wait(run_ids: list[int]) -> float:
        started = time.perf_counter()
        ended = (DiscoveryRun.Status.DONE, DiscoveryRun.Status.FAILED)
        while DiscoveryRun.objects.filter(pk__in=run_ids).exclude(status__in=ended).exists():
            time.sleep(0.05)
        failed = DiscoveryRun.objects.filter(pk__in=run_ids, status=DiscoveryRun.Status.FAILED)
        if failed.exists():
            sys.exit(f"a run failed: {failed.first().error}")
        return time.perf_counter() - started

    busy: list[float] = []  # CPU-seconds the whole machine spent on each queue() (all processes)

    def machine_busy() -> float:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        return (sum(fields[:3]) + sum(fields[5:8])) / os.sysconf("SC_CLK_TCK")  # not idle, not iowait

    def queue(bureau_list) -> tuple[float, list]:
        runs = [DiscoveryRun.objects.create(bureau=b) for b in bureau_list]
        before, started = machine_busy(), time.perf_counter()
        for run in runs:
            run_discovery(run.pk)
        wait([run.pk for run in runs])
        makespan = time.perf_counter() - started
        busy.append(machine_busy() - before)
        return makespan, list(DiscoveryRun.objects.filter(pk__in=[r.pk for r in runs]).order_by("pk"))

    try:
        queue(bureaus[:1])  # each consumer's first job opens its connections: not measured
        queue(bureaus[1:2] if len(bureaus) > 1 else bureaus[:1])
        alone = [queue(bureaus[:1])[0] for _ in range(3)]
        alone_busy = sorted(busy[-3:])[1]
        together = [queue(bureaus) for _ in range(3)]
        together_busy = busy[-3:]
    finally:
        for consumer in consumers:
            consumer.terminate()
        for consumer in consumers:
            consumer.wait(10)
    one = sorted(alone)[1]
    total = sum(sizes.values())
    print(f"{len(bureaus)} bureaus: " + ", ".join(f"{b.short_name} {sizes[b.pk]:,}" for b in bureaus))
    print(f"huey: {args.workers} consumers on Redis, one worker each (a process each)")
    print(
        f"baseline, one bureau alone ({sizes[bureaus[0].pk]:,} residents), queued to done: "
        + ", ".join(f"{t:.2f}" for t in alone)
        + f" s; median {one:.2f} s, {sizes[bureaus[0].pk] / one:,.0f} residents/s"
    )
    for makespan, runs in together:
        each = ", ".join(f"{(r.finished_at - r.created_at).total_seconds():.2f}" for r in runs)
        print(
            f"all {len(bureaus)} at once ({total:,} residents), queued to the last done: {makespan:.2f} s "
            f"({makespan / one:.2f} x one alone; {total / makespan:,.0f} residents/s); each run queued to done: {each} s"
        )
    median = sorted(m for m, _r in together)[1]
    ideal = one * len(bureaus) / args.workers
    cores = os.cpu_count() or 1
    bound = max(ideal, alone_busy * len(bureaus) / cores)
    print(
        f"CPU a run alone, the whole machine (worker, PostgreSQL's backends, Redis): {alone_busy:.2f} s in {one:.2f} s; "
        f"all at once: " + ", ".join(f"{b:.2f}" for b in together_busy) + " CPU-s"
    )
    print(
        f"bound on {args.workers} workers and {cores} cores: {len(bureaus)} runs x {one:.2f} s / {args.workers} workers = {ideal:.2f} s, "
        f"and {len(bureaus)} x {alone_busy:.2f} CPU-s / {cores} cores = {alone_busy * len(bureaus) / cores:.2f} s; "
        f"measured median {median:.2f} s ({bound / median:.0%} of the bound)"
    )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        fresh_database(create=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--bureaus", type=int, default=1)
    parser.add_argument("--residents-per-bureau", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2, help="huey consumers, with --bureaus")
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="use the database left by --keep")
    args = parser.parse_args()
    if args.bureaus > 1:
        return bureaus_at_once(args)
    if not args.reuse:
        fresh_database(create=True)
        started = time.perf_counter()
        manage("migrate", "--no-input", "-v0")
        manage("load_demo", "--residents", str(args.residents), "--cases", "0")
        print(
            f"setup: {args.residents:,} residents with facts loaded (and ANALYZEd) in {time.perf_counter() - started:.0f} s"
        )

    # measured as production runs it (no debug query log)
    os.environ.update(
        {
            "DATABASE_URL": URL,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "bench",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        }
    )
    import django

    django.setup()
    import numpy as np
    from django.utils import timezone

    from linju.accounts.models import User
    from linju.eligibility.rules import eligible_columns, evaluate, parse_rule
    from linju.eligibility.selectors import facts_columns, rules_in_force
    from linju.eligibility.services import discovery_execute, discovery_fan_out, discovery_start
    from linju.people.models import Resident

    today = timezone.localdate()
    end_to_end = []  # the first run (fresh process, new connections) and two more
    for _ in range(3):  # the whole registry: one run a bureau (綦江 and 万盛), one after another
        started = time.perf_counter()
        hits = sum(discovery_execute(run=run, today=today).hits for run in discovery_fan_out())
        end_to_end.append(time.perf_counter() - started)

    scoped = []  # runs started by staff: their towns only
    for username in ("qj_staff", "yongxin_cadre"):
        started = time.perf_counter()
        done = discovery_execute(run=discovery_start(actor=User.objects.get(username=username)), today=today)
        scoped.append((username, done.residents, time.perf_counter() - started))

    started = time.perf_counter()
    ids, _villages, columns = facts_columns(Resident.objects.all())
    loading = time.perf_counter() - started
    rules = [(r.item.code, parse_rule(r.expression)) for r in rules_in_force(today)]
    started = time.perf_counter()
    memo: dict = {}  # shared by the rules, as in a discovery run (age() once, as the floor does)
    engine = {code: eligible_columns(rule, columns, today, memo) for code, rule in rules}
    evaluation = time.perf_counter() - started
    started = time.perf_counter()
    floor = hand_written(columns, today)
    floor_seconds = time.perf_counter() - started
    agree = all(np.array_equal(engine[code], floor[code]) for code in engine if code in floor)

    sample = np.random.default_rng(3).choice(len(ids), min(args.sample, len(ids)), replace=False)
    people = [
        {
            name: (
                None
                if not col.known[i]
                else (
                    datetime.date(1970, 1, 1) + datetime.timedelta(days=int(col.values[i]))
                    if name in ("birth_date", "job_lost_on", "hardship_on")
                    else (col.words[col.values[i]] if col.words else col.values[i].item())
                )
            )
            for name, col in columns.items()
        }
        for i in sample
    ]
    started = time.perf_counter()
    for facts in people:
        for _code, rule in rules:
            evaluate(rule, facts, today)
    per_person = (time.perf_counter() - started) / len(people) * len(ids)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    machine = time.perf_counter() - started
    print(f"machine speed: 10,000,000 Python additions in {machine:.2f} s (compare runs by this)")
    print(f"{len(ids):,} residents, {len(rules)} rules, {hits:,} people found who never applied")
    runs = ", ".join(f"{seconds:.2f}" for seconds in end_to_end)
    print(
        f"end to end (read, evaluate, store the village lists; a run a bureau): {runs} s, three runs   (aim < 3 s)"
    )
    for username, count, seconds in scoped:
        print(f"  a run started by {username} (their towns, {count:,} residents): {seconds:.2f} s")
    print(f"  loading the facts alone (binary COPY on PostgreSQL): {loading:.1f} s")
    print(
        f"  rule evaluation alone, rule engine: {evaluation:.2f} s; hand-written numpy: {floor_seconds:.2f} s; ratio {evaluation / floor_seconds:.1f} (aim <= 2); same results: {agree}"
    )
    print(f"  per-person path, scaled from {len(people):,}: {per_person:.0f} s")
    print(f"peak memory {peak:,.0f} MB (aim < 2048)")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        fresh_database(create=False)


if __name__ == "__main__":
    main()
