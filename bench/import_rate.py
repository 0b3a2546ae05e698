"""A residents spreadsheet of 100,000 rows, imported as a cadre's upload is (the background job's
own function), on PostgreSQL.

- the figure: `import_execute` on a generated .xlsx of --rows rows (every row checked: name, ID
  number and its check digit, phone, village; then all written in one transaction), rows per second;
- the baseline, in the same run on the same database: the first --baseline rows of the same file
  registered one at a time through `resident_register` (the registration form's service), the way
  a loop over the sheet would, then removed; its rate scaled to the whole file.

Besides the wall clock, the import's CPU time: this process's and its PostgreSQL backend's (from
/proc, when the server runs on this machine), which other work on the machine disturbs far less.

The suite keeps a 2,500-row import that crosses a batch boundary (make test) and the 100,000-row
test (make test-all); this is where the time is measured.

Usage: .venv/bin/python bench/import_rate.py [--rows 100000] [--baseline 2000]
Creates and drops the PostgreSQL database linju_bench_import.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("LINJU_BENCH_DB", "linju_bench_import")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
sys.path.insert(0, str(ROOT))


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process of this machine, from /proc: the PostgreSQL backend's
    share of the import, which the wall clock mixes with whatever else the machine runs. -1 when
    the server runs elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def admin():
    return psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    args = parser.parse_args()
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')
    env = os.environ | {"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for command in (["migrate", "--no-input", "-v0"], ["load_demo", "--residents", "0", "--cases", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import translation
    from openpyxl import Workbook

    from linju.accounts.models import User
    from linju.insights.services import import_execute, import_start
    from linju.people.idnumbers import build_id_number
    from linju.people.models import Person, Resident
    from linju.people.services import resident_register

    cadre = User.objects.get(username="yongxin_cadre")
    village = "荆山村"

    def person(serial: int) -> list:
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial // 900)
        return [
            f"测试{serial}",
            build_id_number("500222", birth, serial % 900 + 1),
            "13912345678",
            "",
            village,
            "",
        ]

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["姓名", "公民身份号码", "手机号码", "镇街", "村(社区)", "户号"])
    for serial in range(args.rows):
        sheet.append(person(serial))
    buffer = BytesIO()
    workbook.save(buffer)
    made = time.perf_counter() - started

    # the baseline: one at a time through the registration service (each its own durable
    # transaction, as on the form), then removed again
    started = time.perf_counter()
    registered = [
        resident_register(
            actor=cadre, name=row[0], id_number=row[1], phone=row[2], village_code="500110113225"
        )
        for row in map(person, range(args.baseline))
    ]
    baseline = time.perf_counter() - started
    Person.objects.filter(id_number__in=[r.id_number for r in registered]).delete()
    Resident.objects.filter(pk__in=[r.pk for r in registered]).delete()

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    with translation.override("zh-hans"):
        job = import_start(actor=cadre, kind="residents", filename="名单.xlsx", content=buffer.getvalue())
        started, python_cpu, backend_cpu = time.perf_counter(), time.process_time(), cpu_seconds(backend)
        import_execute(job=job)
        seconds = time.perf_counter() - started
        python_cpu, backend_cpu = time.process_time() - python_cpu, cpu_seconds(backend) - backend_cpu
    job.refresh_from_db()
    stored = Resident.objects.count()
    print(f"file: {args.rows:,} rows, {len(buffer.getvalue()) / 1e6:.1f} MB, written in {made:.1f} s")
    print(
        f"import_execute: {job.status}, {job.rows_written:,} of {job.rows_total:,} rows in {seconds:.1f} s "
        f"= {job.rows_written / seconds:,.0f} rows/s; residents stored: {stored:,}"
    )
    if backend_cpu >= 0:
        print(
            f"import_execute's CPU: Python {python_cpu:.1f} s, its PostgreSQL backend {backend_cpu:.1f} s "
            f"(sum {python_cpu + backend_cpu:.1f} s)"
        )
    rate = args.baseline / baseline
    print(
        f"baseline resident_register one at a time: {args.baseline:,} rows in {baseline:.1f} s = {rate:,.0f} rows/s "
        f"-> {args.rows / rate:,.0f} s for the file; speed-up x{(args.rows / rate) / seconds:.1f}"
    )
    from django.db import connections

    connections.close_all()
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
    if job.status != "done" or stored != args.rows:
        sys.exit(1)


if __name__ == "__main__":
    main()
