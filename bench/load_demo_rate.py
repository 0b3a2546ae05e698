"""How fast the demo loader inserts residents, on SQLite and PostgreSQL.

For each database: a fresh, migrated database; then
  - the figure: `load_demo --residents N` (bulk inserts, batches of 5,000), residents per second;
  - the baseline, measured in the same run on the same database: the same generated people
    saved one at a time with the ORM (`Household.get_or_create` + `Resident.save()`), the way a
    naive loader would, over a smaller sample.

Then, on PostgreSQL, the whole of `load_demo --residents 1000000` on a fresh database (--whole; 0
skips it): wall time and each phase's, against the baseline's rate scaled to as many residents.

Usage: .venv/bin/python bench/load_demo_rate.py [--residents 100000] [--baseline 3000] [--pg URL]
       [--whole 1000000]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BASELINE_CODE = """
import time
from django.db import transaction
from linju.demo.residents import generate
from linju.people.models import Household, Resident
count = {count}
started = time.perf_counter()
with transaction.atomic():
    for number, fields in generate(count, seed=2014):
        household, _ = Household.objects.get_or_create(number=number, defaults={{"village_id": fields["village_id"]}})
        Resident(household=household, **fields).save()
elapsed = time.perf_counter() - started
print(f"BASELINE {{count}} {{elapsed:.3f}}")
Resident.objects.all().delete()
Household.objects.all().delete()
"""


def manage(url: str, *args: str) -> str:
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/") or "linju_bench"
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def run(label: str, url: str, residents: int, baseline: int) -> dict:
    manage(url, "migrate", "--no-input", "-v0")
    manage(url, "load_demo", "--residents", "0")  # the places and staff, no residents yet
    # The baseline: the first people of the same generator, one at a time; then removed again.
    out = manage(url, "shell", "-c", BASELINE_CODE.format(count=baseline))
    base_count, base_seconds = re.search(r"BASELINE (\d+) ([\d.]+)", out).groups()
    out = manage(url, "load_demo", "--residents", str(residents))
    match = re.search(r"residents \(synthetic\): ([\d,]+) created of [\d,]+ in ([\d.]+)s", out)
    created, seconds = int(match.group(1).replace(",", "")), float(match.group(2))
    result = {
        "database": label,
        "residents": created,
        "seconds": seconds,
        "rate": created / seconds,
        "baseline_rows": int(base_count),
        "baseline_rate": int(base_count) / float(base_seconds),
    }
    print(
        f"{label:<11} load_demo: {created:>9,} residents in {seconds:7.1f}s = {result['rate']:>8,.0f}/s | "
        f"baseline one-by-one ORM: {result['baseline_rows']:,} in {float(base_seconds):.1f}s = "
        f"{result['baseline_rate']:,.0f}/s | speed-up x{result['rate'] / result['baseline_rate']:.1f}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=3_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/linju_bench")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--whole", type=int, default=1_000_000, help="residents for the whole load (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.residents, args.baseline)
    if args.skip_pg:
        return
    pg = run("PostgreSQL", fresh_postgres(args.pg), args.residents, args.baseline)
    if args.whole:
        url = fresh_postgres(args.pg)
        manage(url, "migrate", "--no-input", "-v0")
        started = time.perf_counter()
        out = manage(url, "load_demo", "--residents", str(args.whole))
        seconds = time.perf_counter() - started
        print(f"PostgreSQL  whole load_demo --residents {args.whole:,}: {seconds:.0f} s (aim: 180 s)")
        for line in out.splitlines():
            if " in " in line and "s" in line.split(" in ")[-1] and not line.startswith("  "):
                print(f"    {line}")
        print(
            f"    baseline: {args.whole:,} residents one by one at {pg['baseline_rate']:,.0f}/s would take "
            f"{args.whole / pg['baseline_rate']:,.0f} s for the residents alone"
        )


if __name__ == "__main__":
    main()
