"""Booth placement (p-median) at two sizes, against the exact optimum and against PySAL spopt.

(a) the demo district (綦江's villages, the market places of the towns that finish items, the
    demo's synthetic travel times and populations), budgets 1 and 2;
(b) a generated district of 3,000 villages and 300 candidate sites (8 town stations always open),
    budgets 10, 30 and 60.

For each: the fast method (greedy + interchange) with its Lagrangian lower bound and stated gap;
the exact optimum (HiGHS through scipy.optimize.milp); spopt's PMedian (PuLP + CBC) as the
baseline, in its own environment (`make bench-env`). Prints times, objectives and ratios.

(c) new 零工驿站 for the 15-minute job-service circle on (b)'s district: maximal covering, exact
    against fast, k = 10, 30, 60.

Usage: .venv/bin/python bench/planning.py [--skip-demo] [--skip-spopt] [--job-stations-only] [--time-limit 900]
Creates and drops the PostgreSQL database linju_bench_plan for (a).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DB = "linju_bench_plan"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
SPOPT_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def demo_instance():
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')
    env = os.environ | {"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for args in (["migrate", "--no-input", "-v0"], ["load_demo", "--residents", "0", "--cases", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    os.environ.update({"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    import django

    django.setup()
    from linju.accounts.models import User
    from linju.planning.selectors import planning_area

    area = planning_area(viewer=User.objects.get(username="qj_staff"))
    return area.instance, len(area.villages), len(area.markets)


def drop_demo() -> None:
    from django.db import connections

    connections.close_all()
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')


def spopt(instance, budget: int, limit: float) -> dict | None:
    if not SPOPT_PYTHON.exists():
        return None
    with tempfile.NamedTemporaryFile(suffix=".npz") as handle:
        np.savez(handle.name, population=instance.population, base=instance.base, minutes=instance.minutes)
        done = subprocess.run(
            [
                str(SPOPT_PYTHON),
                str(ROOT / "bench" / "planning_spopt.py"),
                handle.name,
                str(budget),
                str(limit),
            ],
            capture_output=True,
            text=True,
            timeout=limit * 3 + 600,
        )
    if done.returncode:
        return {"error": done.stderr[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(label: str, instance, budgets, limit: float, with_spopt: bool) -> list[dict]:
    from linju.planning.solver import exact, heuristic

    rows = []
    for budget in budgets:
        instance.budget = budget
        fast = heuristic(instance)
        best = exact(instance, time_limit=limit)
        base = spopt(instance, budget, limit) if with_spopt else None
        row = {
            "instance": label,
            "budget": budget,
            "fast_s": fast.seconds,
            "fast_obj": fast.objective,
            "stated_gap": fast.gap,
            "exact_s": best.seconds,
            "exact_obj": best.objective,
            "exact_gap": best.gap,
            "off_optimum": (fast.objective - best.objective) / best.objective if best.gap < 1e-9 else None,
            "spopt": base,
        }
        rows.append(row)
        spopt_text = ""
        if base and base.get("objective") is None and "seconds" in base:
            spopt_text = f" | spopt: no solution after {base['seconds']:.0f} s (CBC: {base['status']})"
        elif base and "seconds" in base:
            spopt_text = (
                f" | spopt {base['seconds']:.2f} s ({base['status']}), objective ×{base['objective'] / fast.objective:.4f}"
                f" of ours; ours ×{base['seconds'] / fast.seconds:.0f} faster"
            )
        elif base:
            spopt_text = f" | spopt failed: {base['error'][-120:]}"
        off = f"{100 * row['off_optimum']:.3f}%" if row["off_optimum"] is not None else "optimum not proven"
        print(
            f"{label} p={budget}: fast {fast.seconds:.2f} s, stated gap {100 * fast.gap:.3f}%, off the optimum {off}"
            f" | exact {best.seconds:.2f} s (×{best.seconds / fast.seconds:.1f} the fast time){spopt_text}",
            flush=True,
        )
    return rows


def job_stations(g: dict, counts, limit: float) -> None:
    """(c) New 零工驿站 for the 15-minute job-service circle on the generated district: every village
    and every candidate site may take one (a village reaches another through a place both are near),
    the stations as the job services open today. The planning page's own functions: the way between
    villages, then maximal covering with radius 15 minutes, exact (HiGHS, without its presolve, as
    the page solves it) against HiGHS with its presolve (the baseline) and the fast method."""
    from linju.planning.selectors import JOB_SERVICE_MINUTES, villages_through_places
    from linju.planning.solver import COVER, Instance, exact, heuristic

    within = JOB_SERVICE_MINUTES
    via = np.where(g["minutes"] <= within, g["minutes"], np.inf)
    started = time.perf_counter()
    between = villages_through_places(via, within)
    built = time.perf_counter() - started
    sites = np.hstack([between, via])
    n = len(g["population"])
    towns = np.concatenate([np.zeros(n, dtype=np.int64), g["towns"]])
    print(
        f"(c) job stations, generated: {n:,} villages, {sites.shape[1]:,} candidate sites "
        f"(ways between villages in {built:.2f} s)",
        flush=True,
    )
    for count in counts:
        instance = Instance(g["population"], g["base"], sites, towns, count)
        best = exact(instance, COVER, within, time_limit=limit, presolve=False)
        presolved = exact(instance, COVER, within, time_limit=limit)
        fast = heuristic(instance, COVER, within)
        people = int(g["population"].sum())
        print(
            f"job stations k={count}: exact {best.seconds:.2f} s reaches {people - best.objective:,.0f} "
            f"of {people:,} | with HiGHS's presolve {presolved.seconds:.2f} s, reaches "
            f"{people - presolved.objective:,.0f} | fast {fast.seconds:.2f} s reaches "
            f"{people - fast.objective:,.0f} (stated gap {100 * fast.gap:.3f}%)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--time-limit", type=float, default=900)
    parser.add_argument("--villages", type=int, default=3000)
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--job-stations-only", action="store_true", help="only (c), no database")
    args = parser.parse_args()
    if args.job_stations_only:
        args.skip_demo = args.skip_spopt = True
    if not args.skip_spopt and not SPOPT_PYTHON.exists():
        print("spopt baseline skipped: run `make bench-env` first (installs spopt in .venv-bench)")
    if not args.skip_demo:
        started = time.perf_counter()
        instance, villages, markets = demo_instance()
        print(
            f"(a) demo district: {villages} villages, {markets} candidate market places (loaded in {time.perf_counter() - started:.0f} s)"
        )
        measure("demo", instance, [1, 2], args.time_limit, not args.skip_spopt)
        drop_demo()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        import django

        django.setup()
    from planning_instances import generate

    from linju.planning.solver import Instance

    g = generate(args.villages, args.sites, towns=8)
    instance = Instance(g["population"], g["base"], g["minutes"], g["towns"], 0)
    print(f"(b) generated: {args.villages:,} villages, {args.sites} candidate sites, 8 stations always open")
    if not args.job_stations_only:
        measure("generated", instance, [10, 30, 60], args.time_limit, not args.skip_spopt)
    job_stations(g, [10, 30, 60], args.time_limit)


if __name__ == "__main__":
    main()
