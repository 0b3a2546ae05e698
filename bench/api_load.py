"""The API under load, measured with wrk (a C load generator) against gunicorn on PostgreSQL.

Every endpoint is loaded for --seconds with --connections connections, and so is /livez (a bare
Django JSON view on the same server) in the same run: the ratio of each endpoint's req/s to the bare
view's is the figure. A Python client cannot be the baseline's driver: it saturates long before the
bare view does (the first version of this bench measured its own client).

  1. GET /livez                                      the baseline
  2. GET /api/v1/catalog/items?q=sybx                public catalogue search
  3. GET /api/v1/where?item=UI-002&village=…         public "where can I do this"
  4. GET /api/v1/cases/{number}                      a staff key reads a case
  5. POST /api/v1/cases                              a staff key takes a case for a new person, each
                                                     request with its own idempotency key
  6. the floors (bench/floor/urls.py, same server): one ORM read; one audit row written and
     committed (the write a case read must make); one transaction bumping the day's counter and
     inserting a row (the least an intake with gap-free numbers must do)

Afterwards: every intake answered 201 is in the database exactly once (wrk's Lua script counts the
answers; the database is asked).

Usage: .venv/bin/python bench/api_load.py [--seconds 30] [--connections 32] [--workers 3] [--threads 2]
Needs wrk (`make bench-api` installs it), PostgreSQL on 127.0.0.1:5432 (it creates and drops the
database linju_bench_load) and Redis on 127.0.0.1:6379 (database 15).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = "linju_bench_load"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
VILLAGE = "500110113225"  # 荆山村, 永新镇

# wrk's Lua: a new person and a fresh idempotency key for every request, ID numbers with a correct
# check digit (GB 11643: ISO 7064 MOD 11-2), and a count of the answers by status.
INTAKE_LUA = r"""
local counter, threads = 0, {}
created, other = 0, 0  -- globals: the main thread reads them with thread:get
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function id_number(n)
  local day = math.floor(n / 999)
  local sequence = n % 999 + 1
  local birth = os.date("!%Y%m%d", -315619200 + day * 86400)  -- from 1960-01-01
  -- 万州区 (500101): a region the demo never gives (its 綦江 people born before 2012 hold 500222),
  -- so no number made here is a demo resident's under another name (refused as "no such resident")
  local body = string.format("500101%s%03d", birth, sequence)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body:sub(i, i)) * weights[i] end
  local m = sum % 11 + 1
  return body .. checks:sub(m, m)
end

function request()
  counter = counter + 1
  local n = tid * 400000 + counter
  local id = id_number(n)
  local body = string.format(
    '{"item_code":"UI-002","channel":"booth","market_code":"satellite-500110113000",' ..
    '"person":{"name":"压测人员","id_number":"%s","phone":"","village_code":"%s"},' ..
    '"materials_received":["居民身份证原件"],"idempotency_key":"bench-%s"}', id, "VILLAGE", id)
  return wrk.format("POST", "/api/v1/cases", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer TOKEN"}, body)
end

function init(args)
  numbers = io.open(string.format("NUMBERS-%d.txt", tid), "w")
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    numbers:write(body:match('"number":%s*"([^"]+)"'), "\n")
    numbers:flush()
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
  end
  io.write(string.format("LINJU created=%d other=%d\n", c, o))
end
"""


def env() -> dict:
    return os.environ | {
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LINJU_STATUS_LOOKUP_RATE": "100000/m",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "LINJU_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy in front
    }


def manage(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def admin_connection():
    return psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True)


def fresh_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')


def wrk(path: str, *, seconds: int, connections: int, headers: dict, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout

    def ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    if "Requests/sec" not in out or not re.search(r"^\s+99%\s+[\d.]+(us|ms|s|m)\s*$", out, re.M):
        sys.exit(f"wrk said:\n{out}")

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lua = re.search(r"LINJU created=(\d+) other=(\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "created": int(lua.group(1)) if lua else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--residents", type=int, default=2000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench-api` installs it (apt-get install wrk)")

    fresh_database()
    manage("migrate", "--no-input", "-v0")
    manage("load_demo", "--residents", str(args.residents), "--cases", "60")
    token = manage("create_api_token", "yongxin_cadre", "--name", "bench").strip()
    with psycopg.connect(URL.replace("postgres://", "postgresql://")) as conn:
        (case_number,) = conn.execute(
            "SELECT c.number FROM cases_case c JOIN geo_town t ON t.id = c.town_id "
            "WHERE t.name = '永新镇' ORDER BY c.id LIMIT 1"
        ).fetchone()
    subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
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
        # the floor views (bench/floor/urls.py) are mounted beside the app's URLs in the same server
        env=env() | {"DJANGO_SETTINGS_MODULE": "floor.settings", "PYTHONPATH": str(ROOT / "bench")},
    )
    staff = {"Authorization": f"Bearer {token}"}
    endpoints = [
        ("baseline: GET /livez", "/livez", {}, None),
        ("GET /api/v1/catalog/items?q=sybx", "/api/v1/catalog/items?q=sybx", {}, None),
        ("GET /api/v1/where", f"/api/v1/where?item=UI-002&village={VILLAGE}", {}, None),
        ("GET /api/v1/cases/{number}", f"/api/v1/cases/{case_number}", staff, None),
        ("POST /api/v1/cases (new person)", "/api/v1/cases", {}, "intake"),
        ("floor: one ORM read", "/bench/floor/one-query", {}, None),
        ("floor: audit row written", "/bench/floor/audit-write", {}, None),
        ("floor: numbered row written", "/bench/floor/numbered-write", {}, "post"),
    ]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "intake.lua"
        post = Path(tmp) / "post.lua"
        post.write_text('wrk.method = "POST"\n')
        script.write_text(
            INTAKE_LUA.replace("TOKEN", token)
            .replace('"VILLAGE"', f'"{VILLAGE}"')
            .replace("NUMBERS", str(Path(tmp) / "numbers"))
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{BASE}/livez", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            for label, path, headers, lua in endpoints:
                if not lua:  # warm: each worker reads its held tables on its first request
                    urllib.request.urlopen(urllib.request.Request(BASE + path, headers=headers), timeout=10)
                results[label] = wrk(
                    path,
                    seconds=args.seconds,
                    connections=args.connections,
                    headers=headers,
                    script={"intake": str(script), "post": str(post)}.get(lua),
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        answered = [n for f in Path(tmp).glob("numbers-*.txt") for n in f.read_text().split()]

    with psycopg.connect(URL.replace("postgres://", "postgresql://")) as conn:
        stored = [
            row[0]
            for row in conn.execute("SELECT number FROM cases_case WHERE idempotency_key LIKE 'bench-%%'")
        ]
    intake = results["POST /api/v1/cases (new person)"]
    counts = {n: stored.count(n) for n in set(stored)}
    # every number answered 201 is stored exactly once; a few more may be stored whose answers were
    # still on their way when wrk stopped (at most one per connection)
    exactly_once = (
        len(answered) == intake["created"]
        and all(counts.get(n) == 1 for n in answered)
        and len(stored) == len(counts)
        and len(stored) - len(answered) <= args.connections
    )

    print(
        f"machine: {os.cpu_count()} cores; gunicorn {args.workers} workers x {args.threads} threads "
        f"(production settings, PostgreSQL, Redis cache); wrk 2 threads, {args.connections} connections, "
        f"{args.seconds} s an endpoint, all in one run"
    )
    bare = results["baseline: GET /livez"]["rps"]
    print(
        f"{'endpoint':<36} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}"
    )
    for label, r in results.items():
        print(
            f"{label:<36} {r['requests']:>9,} {r['rps']:>9,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['errors']:>7} {r['rps'] / bare:>6.2f}"
        )
    print(
        f"intakes answered 201: {len(answered):,}; each of them in the database exactly once: {exactly_once} "
        f"({len(stored):,} stored, {len(stored) - len(answered)} answered after wrk stopped listening)"
    )
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
    if not exactly_once or any(r["errors"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
