"""Cases under load: gunicorn on PostgreSQL, 50 clients on loopback for 60 seconds.

Phase 1 (baseline): every client calls /healthz, a bare Django JSON view on the same server.
Phase 2 (figure): every client takes cases (POST /api/v1/cases, 1 in 4 requests, each with its own
idempotency key and a new person) and reads them back (GET /api/v1/cases/{number}).
Afterwards every case answered 201 must be in the database exactly once.

Usage: .venv/bin/python bench/api_load.py [--clients 50] [--seconds 60] [--workers 4]
Needs PostgreSQL on 127.0.0.1:5432 (it creates and drops the database linju_bench_load).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = "linju_bench_load"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
sys.path.insert(0, str(ROOT))


def env() -> dict:
    return os.environ | {
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LINJU_STATUS_LOOKUP_RATE": "100000/m",
    }


def manage(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def fresh_database() -> None:
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')


def id_numbers():
    from linju.people.idnumbers import build_id_number

    day = datetime.date(1960, 1, 1)
    while True:
        for sequence in range(1000):
            yield build_id_number("500222", day, sequence)
        day += datetime.timedelta(days=1)


async def client(kind: str, deadline: float, token: str, ids, results: dict) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    numbers: list[str] = []
    rng = random.Random()
    async with httpx.AsyncClient(base_url=BASE, headers=headers, timeout=30) as http:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                if kind == "bare":
                    response = await http.get("/healthz")
                    ok = response.status_code == 200
                elif not numbers or rng.random() < 0.25:
                    key = f"bench-{next(ids)}"
                    response = await http.post(
                        "/api/v1/cases",
                        json={
                            "item_code": "UI-002",
                            "channel": "booth",
                            "market_code": "satellite-500110113000",
                            "person": {
                                "name": "压测人员",
                                "id_number": key[6:],
                                "phone": "",
                                "village_code": "500110113225",
                            },
                            "materials_received": ["居民身份证原件"],
                            "idempotency_key": key,
                        },
                    )
                    ok = response.status_code == 201
                    if ok:
                        numbers.append(response.json()["number"])
                        results["created"].append(response.json()["number"])
                else:
                    response = await http.get(f"/api/v1/cases/{rng.choice(numbers)}")
                    ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            results["latencies"].append(time.perf_counter() - started)
            if not ok:
                results["errors"] += 1


async def phase(kind: str, clients: int, seconds: float, token: str) -> dict:
    results = {"latencies": [], "errors": 0, "created": []}
    ids = id_numbers()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(kind, deadline, token, ids, results) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    latencies = sorted(results["latencies"])
    return {
        "requests": len(latencies),
        "throughput": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": results["errors"],
        "created": results["created"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    fresh_database()
    manage("migrate", "--no-input", "-v0")
    manage("load_demo", "--residents", "2000", "--cases", "0")
    token = manage("create_api_token", "yongxin_cadre", "--name", "bench").strip()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(args.workers),
            "-k",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(),
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{BASE}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        bare = asyncio.run(phase("bare", args.clients, args.seconds, token))
        cases = asyncio.run(phase("cases", args.clients, args.seconds, token))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)

    with psycopg.connect(URL.replace("postgres://", "postgresql://")) as conn:
        stored = conn.execute(
            "SELECT number FROM cases_case WHERE idempotency_key LIKE 'bench-%%'"
        ).fetchall()
    stored_numbers = [row[0] for row in stored]
    exactly_once = sorted(stored_numbers) == sorted(cases["created"]) and len(set(stored_numbers)) == len(
        stored_numbers
    )

    print(
        f"machine: {os.cpu_count()} cores; gunicorn {args.workers} workers x {args.threads} threads; "
        f"{args.clients} clients for {args.seconds:.0f} s each phase; PostgreSQL"
    )
    for label, r in (("baseline bare JSON view", bare), ("cases API (1/4 intake, 3/4 read)", cases)):
        print(
            f"{label:<34} {r['requests']:>7} requests  {r['throughput']:8.1f} req/s  "
            f"p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}"
        )
    print(
        f"throughput ratio {cases['throughput'] / bare['throughput']:.2f} (aim >= 0.5); "
        f"p99 ratio {cases['p99_ms'] / bare['p99_ms']:.2f} (aim <= 2)"
    )
    print(
        f"cases answered 201: {len(cases['created'])}; in the database: {len(stored_numbers)}; "
        f"each exactly once: {exactly_once}"
    )
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
    if not exactly_once or cases["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
