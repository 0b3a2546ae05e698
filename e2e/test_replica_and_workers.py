"""Linju on several machines, proved on this one (`make test-all`, the PostgreSQL half).

A PostgreSQL primary and a streaming replica of it, each its own cluster (`pg_createcluster`, the
replica made by `pg_basebackup`); two gunicorn servers and two huey consumers on Redis, all with
production settings, as two hosts behind a balancer would run. Through them: a booth day's intakes
(each sent to one server and sent again to the other), an import, a discovery run, the 7:30
reminder enqueued by two schedulers at once; then one consumer is killed in the middle of an import.

Checked: nothing lost or stored twice, no text sent twice, the dashboards' and discovery's reads
served by the replica (its own counters say so; it cannot write), and the killed job, nothing of it
saved, taken again by the other consumer and run to the end, every row once.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
import requests
from openpyxl import Workbook, load_workbook

from linju.people.idnumbers import build_id_number

ROOT = Path(__file__).resolve().parent.parent
PRIMARY, REPLICA = "linju_test_primary", "linju_test_replica"
PRIMARY_PORT, REPLICA_PORT = 5442, 5443
SERVERS = {"a": 8781, "b": 8782}
REDIS_DB = 12
DB = "linju"
PASSWORD = "linju-demo-2026"  # the demo staff's (linju/demo/staff.py)

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs once, in the PostgreSQL half of make test-all",
    ),
    pytest.mark.skipif(not shutil.which("pg_createcluster"), reason="needs Debian's postgresql-common"),
]


def _pg_version() -> str:
    return sorted(p.name for p in Path("/usr/lib/postgresql").iterdir())[-1]


def _run(*command: str, **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _drop_clusters(version: str) -> None:
    for name in (REPLICA, PRIMARY):
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)


def sql(port: int, statement: str, params=(), *, dbname: str = DB):
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True) as c:
        cursor = c.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def _replica_caught_up(timeout: float = 30) -> None:
    (target,) = sql(PRIMARY_PORT, "SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.time() + timeout
    while time.time() < deadline:
        (ok,) = sql(REPLICA_PORT, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0]
        if ok:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


def _replica_reads() -> int:
    """Transactions the replica has served on Linju's database (the check's own query counts one)."""
    return sql(REPLICA_PORT, "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (DB,))[0][0]


def _replica_served(before: int, at_least: int) -> bool:
    """Whether the replica served `at_least` more transactions since `before` (a backend reports
    its counts when idle, within seconds: waited for)."""
    try:
        _wait_for(lambda: _replica_reads() - before >= at_least + 1, timeout=30, every=0.5)
    except AssertionError:
        return False
    return True


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    version = _pg_version()
    _drop_clusters(version)
    work = tmp_path_factory.mktemp("several-machines")
    # the primary: its own cluster, trust on loopback for connections and for replication
    _run("pg_createcluster", version, PRIMARY, "-p", str(PRIMARY_PORT), "--start", "--", "--auth=trust")
    sql(PRIMARY_PORT, f'CREATE DATABASE "{DB}"', dbname="postgres")
    # the replica: a base backup of the primary that follows its WAL (-R: standby.signal and the
    # primary's address), read-only (hot standby)
    _run("pg_createcluster", version, REPLICA, "-p", str(REPLICA_PORT), "--", "--auth=trust")
    data = Path(f"/var/lib/postgresql/{version}/{REPLICA}")
    for entry in data.iterdir():  # emptied, the folder kept (the postgres user's, mode 0700)
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    _run(
        "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
        "-U", "postgres", "-D", str(data), "-R", "-X", "stream",
    )  # fmt: skip
    _run("pg_ctlcluster", version, REPLICA, "start")
    assert sql(REPLICA_PORT, "SELECT pg_is_in_recovery()")[0][0] is True

    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "several-machines-test-secret-key-0123456789-abcdefghijklmnopqrstuv",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "LINJU_SSL_REDIRECT": "false",
        "LINJU_MEDIA_ROOT": str(work / "media"),  # the files every host shares (a bucket in production)
        "LINJU_STATUS_LOOKUP_RATE": "100000/m",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, "manage.py"]
    _run(*manage, "migrate", "--no-input", "-v0", cwd=ROOT, env=env)
    _run(*manage, "load_demo", "--residents", "1500", "--cases", "60", cwd=ROOT, env=env)
    token = _run(*manage, "create_api_token", "yongxin_cadre", "--name", "several", cwd=ROOT, env=env).strip()

    processes: dict[str, subprocess.Popen] = {}

    def start(name: str, command: list[str], **extra) -> subprocess.Popen:
        log = open(work / f"{name}.log", "w")
        processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env | extra, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return processes[name]

    for name, port in SERVERS.items():
        start(
            f"web-{name}",
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
             "-k", "gthread", "--threads", "2"],
        )  # fmt: skip

    def consumer(name: str, *, scheduler: bool) -> subprocess.Popen:
        return start(
            f"huey-{name}",
            [*manage, "run_huey", "-w", "2"],
            LINJU_HUEY_SCHEDULER="true" if scheduler else "false",
        )

    consumer("a", scheduler=True)
    consumer("b", scheduler=False)
    for port in SERVERS.values():
        _wait_for(lambda port=port: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok)
    yield {
        "env": env,
        "token": token,
        "work": work,
        "processes": processes,
        "consumer": consumer,
        "manage": manage,
    }
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True)
    _drop_clusters(version)


def _wait_for(check, timeout: float = 60, every: float = 0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
        except (requests.ConnectionError, requests.Timeout, psycopg.OperationalError) as error:
            last = error
        time.sleep(every)
    raise AssertionError(f"timed out waiting ({last})")


def url(server: str, path: str) -> str:
    return f"http://127.0.0.1:{SERVERS[server]}{path}"


class Browser:
    """A staff member's browser against one server: the session cookie kept by hand (production's
    cookies are Secure, and this loopback has no TLS proxy in front)."""

    def __init__(self, server: str, username: str):
        self.server, self.cookies = server, {}
        page = self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": username, "password": PASSWORD}, page)
        assert "sessionid" in self.cookies, f"{username} could not log in"

    def _keep(self, response):
        for r in [*response.history, response]:
            self.cookies.update(r.cookies.get_dict())
        return response

    def get(self, path: str):
        response = self._keep(requests.get(url(self.server, path), cookies=self.cookies, timeout=30))
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response

    def post(self, path: str, data: dict, page, files=None):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = requests.post(
            url(self.server, path),
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            cookies=self.cookies,
            headers={"Referer": url(self.server, path)},
            timeout=60,
            allow_redirects=False,
        )
        self._keep(response)
        assert response.status_code in (200, 302, 303), (path, response.status_code, response.text[:800])
        return response


def _intake(site, server: str, key: str, n: int):
    body = {
        "item_code": "UI-002",
        "channel": "booth",
        "market_code": "satellite-500110113000",
        "person": {
            "name": f"赶场{n}",
            "id_number": build_id_number("110101", datetime.date(1950, 1, 1) + datetime.timedelta(days=n), 7),
            "phone": "",
            "village_code": "500110113225",
        },
        "materials_received": ["居民身份证原件"],
        "idempotency_key": key,
    }
    return requests.post(
        url(server, "/api/v1/cases"),
        json=body,
        headers={"Authorization": f"Bearer {site['token']}"},
        timeout=30,
    )


def _workbook(rows: int, first: int, prefix: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["姓名", "公民身份号码", "手机号码", "镇街", "村(社区)", "户号"])
    for n in range(first, first + rows):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=n // 400)
        sheet.append(
            [f"{prefix}{n}", build_id_number("110101", birth, n % 400 * 2 + 1), "", "", "500110113225", ""]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(browser: Browser, content: bytes) -> int:
    page = browser.get("/staff/insights/imports/")
    response = browser.post(
        "/staff/insights/imports/",
        {"kind": "residents"},
        page,
        files={"file": ("名单.xlsx", content, "application/octet-stream")},
    )
    return int(re.search(r"/imports/(\d+)/", response.headers["Location"]).group(1))


def _job(job_id: int) -> tuple:
    return sql(
        PRIMARY_PORT,
        "SELECT status, rows_checked, rows_written, updated_at FROM insights_importjob WHERE id = %s",
        (job_id,),
    )[0]


def _enqueue(site, code: str) -> None:
    """As a scheduler does: the job put on the Redis queue, for whichever consumer is free."""
    _run(*site["manage"], "shell", "-c", code, cwd=ROOT, env=site["env"])


def _queue_drained() -> bool:
    out = subprocess.run(["redis-cli", "-n", str(REDIS_DB), "--scan"], capture_output=True, text=True).stdout
    keys = [k for k in out.split() if k.startswith("huey.redis.")]
    lengths = [
        int(
            subprocess.run(
                ["redis-cli", "-n", str(REDIS_DB), "llen", k], capture_output=True, text=True
            ).stdout
        )
        for k in keys
        if "linju" in k and "schedule" not in k and "result" not in k
    ]
    return sum(lengths) == 0


def test_several_machines_lose_nothing_and_send_nothing_twice(site):
    # 1. A booth day: each intake sent to one server, then sent again (same key) to the other, as a
    #    field phone does when its first answer was lost; then read back from the other server.
    numbers = []
    for n in range(24):
        first, second = ("a", "b") if n % 2 else ("b", "a")
        key = f"booth-{uuid.uuid4().hex[:12]}"
        made = _intake(site, first, key, n)
        assert made.status_code == 201, made.text
        again = _intake(site, second, key, n)
        assert again.status_code == 200 and again.json()["number"] == made.json()["number"], again.text
        numbers.append(made.json()["number"])
        read = requests.get(
            url(second, f"/api/v1/cases/{numbers[-1]}"),
            headers={"Authorization": f"Bearer {site['token']}"},
            timeout=30,
        )
        assert read.status_code == 200 and read.json()["number"] == numbers[-1]
    stored = sql(PRIMARY_PORT, "SELECT number FROM cases_case WHERE idempotency_key LIKE 'booth-%%'")
    assert sorted(n for (n,) in stored) == sorted(numbers) and len(set(numbers)) == 24

    # 2. Dashboards are read from the replica (which cannot write: a write there would be a 500).
    _replica_caught_up()
    leader = Browser("a", "qj_leader")
    # logging in wrote the session: for a few seconds the browser reads the primary (its own
    # write); the browser has forgotten that cookie by the time it opens the dashboard here
    leader.cookies.pop("linju_primary", None)
    before = _replica_reads()
    for server in ("a", "b"):
        leader.server = server
        page = leader.get("/staff/insights/")
        assert "赶场0" not in page.text and "<strong>" in page.text  # figures, no names
    assert _replica_served(before, 3), "the dashboard's reads did not reach the replica"
    seen = sql(
        REPLICA_PORT,
        "SELECT query FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (DB,),
    )
    assert any("cases_case" in q or "geo_" in q for (q,) in seen), seen  # the servers' own connections
    primary_writes = sql(PRIMARY_PORT, "SELECT count(*) FROM cases_case")[0][0]
    _replica_caught_up()
    assert sql(REPLICA_PORT, "SELECT count(*) FROM cases_case")[0][0] == primary_writes

    # 3. The 7:30 reminder, enqueued by two schedulers at the same moment (twice each): the two
    #    consumers run it side by side; each member of staff gets one text.
    sql(
        PRIMARY_PORT,
        "UPDATE cases_case SET promised_date = current_date + 1 WHERE number = ANY(%s)",
        (numbers[:3],),
    )
    _enqueue(
        site,
        "from linju.cases.tasks import remind_staff_of_cases_due_soon as t\nfor _ in range(4): t()",
    )
    _wait_for(_queue_drained, timeout=60)
    _wait_for(
        lambda: sql(PRIMARY_PORT, "SELECT count(*) FROM notify_outboxmessage WHERE purpose = 'due_soon'")[0][
            0
        ],
        timeout=30,
    )
    time.sleep(2)  # any second sending would have landed by now
    texts = sql(
        PRIMARY_PORT,
        "SELECT phone, reference, count(*) FROM notify_outboxmessage WHERE purpose = 'due_soon' "
        "GROUP BY phone, reference",
    )
    assert texts and all(count == 1 for _phone, _ref, count in texts), texts

    # 4. An import through server b, done by whichever consumer takes it; every row once.
    cadre = Browser("b", "yongxin_cadre")
    job = _import(cadre, _workbook(60, first=0, prefix="导入"))
    _wait_for(lambda: _job(job)[0] in ("done", "rejected", "failed"), timeout=120)
    assert _job(job)[:3] == ("done", 60, 60), _job(job)
    assert sql(PRIMARY_PORT, "SELECT count(*) FROM people_resident WHERE name LIKE '导入%%'")[0][0] == 60

    # 5. A discovery run started on server a: its registry reads are served by the replica.
    _replica_caught_up()
    staff = Browser("a", "qj_staff")
    staff.cookies.pop("linju_primary", None)
    page = staff.get("/staff/discovery/")
    before = _replica_reads()
    staff.post("/staff/discovery/start/", {}, page)
    _wait_for(
        lambda: (
            sql(PRIMARY_PORT, "SELECT status FROM eligibility_discoveryrun ORDER BY id DESC LIMIT 1")[0][0]
            in ("done", "failed")
        ),
        timeout=120,
    )
    run = sql(
        PRIMARY_PORT, "SELECT status, residents, error FROM eligibility_discoveryrun ORDER BY id DESC LIMIT 1"
    )
    assert run[0][0] == "done" and run[0][1] > 500, run
    assert _replica_served(before, 3), "discovery did not read the registry from the replica"

    # 5b. An export asked for on server a is built by a consumer into the shared storage (the web
    #     worker only queues it) and downloaded from server b.
    cadre.server = "a"
    asked = cadre.post("/staff/residents/export/", {"q": ""}, cadre.get("/staff/residents/?q="))
    assert asked.status_code == 303, asked.status_code
    _wait_for(
        lambda: (
            sql(PRIMARY_PORT, "SELECT status FROM audit_exportjob ORDER BY id DESC LIMIT 1")[0][0]
            in ("done", "failed")
        ),
        timeout=60,
    )
    cadre.server = "b"
    ready = cadre.get(asked.headers["Location"])
    download = cadre.get(re.search(r'href="([^"]+/file)"', ready.text).group(1))
    sheet = load_workbook(BytesIO(download.content)).active
    exported = sql(PRIMARY_PORT, "SELECT rows FROM audit_exportjob ORDER BY id DESC LIMIT 1")[0][0]
    assert sheet.max_row - 1 == exported > 60  # the 60 imported above among them
    assert sql(PRIMARY_PORT, "SELECT count(*) FROM audit_auditevent WHERE action = 'exported'")[0][0] == 1

    # 5c. Papers are rendered by the consumers, never by a web server: each booth intake queued its
    #     receipt, stored where both servers read it, so the counter's print is served at once; a
    #     town card nobody has asked for today is queued by the first ask on server a (which answers
    #     "being prepared", looking again every two seconds) and then served by server b.
    _wait_for(_queue_drained, timeout=60)
    cadre.server = "a"
    receipt = cadre.get(f"/staff/cases/{numbers[-1]}/receipt.pdf")  # [:3] were changed in 3.
    assert receipt.headers["Content-Type"] == "application/pdf" and receipt.content[:4] == b"%PDF"
    town = sql(PRIMARY_PORT, "SELECT code FROM geo_town WHERE name = '永新镇'")[0][0]
    card = f"/towns/{town}/card.pdf"
    waiting = requests.get(url("a", card), timeout=30)
    assert waiting.status_code == 202 and 'http-equiv="refresh"' in waiting.text, waiting.status_code
    _wait_for(lambda: requests.get(url("b", card), timeout=30).status_code == 200, timeout=60)
    assert requests.get(url("b", card), timeout=30).content[:4] == b"%PDF"

    # 6. A consumer killed in the middle of an import: only consumer a is running when the job is
    #    queued, so a takes it; b is started, a is killed while it checks rows. The sweep (run by b,
    #    the clock moved on past the job's silence limit) queues the job again, and b runs it from
    #    the start to the end: every row once, nothing of the killed run left behind.
    processes = site["processes"]
    os.killpg(processes["huey-b"].pid, signal.SIGTERM)
    processes["huey-b"].wait(30)
    big = _workbook(6000, first=1000, prefix="大表")
    killed = _import(cadre, big)
    _wait_for(lambda: _job(killed)[0] == "checking" and _job(killed)[1] > 0, timeout=120, every=0.02)
    os.killpg(processes["huey-a"].pid, signal.SIGSTOP)  # a stops dead in the middle of the job
    site["consumer"]("b", scheduler=False)
    time.sleep(4)  # b is up and listening
    os.killpg(processes["huey-a"].pid, signal.SIGKILL)
    processes["huey-a"].wait(10)
    status = _job(killed)[0]
    assert status in ("checking", "writing"), status
    time.sleep(2)
    assert _job(killed)[0] == status, "the killed consumer's job went on"
    saved = sql(PRIMARY_PORT, "SELECT count(*) FROM people_resident WHERE name LIKE '大表%%'")[0][0]
    assert saved == 0, "a half-done import left rows behind"
    sql(
        PRIMARY_PORT,
        "UPDATE insights_importjob SET updated_at = updated_at - interval '6 minutes' WHERE id = %s",
        (killed,),
    )
    _enqueue(site, "from linju.insights.tasks import retake_stalled_imports as t\nt()")
    _wait_for(lambda: _job(killed)[0] in ("done", "rejected", "failed"), timeout=300)
    assert _job(killed)[:3] == ("done", 6000, 6000), _job(killed)
    attempts = sql(PRIMARY_PORT, "SELECT attempts FROM insights_importjob WHERE id = %s", (killed,))[0][0]
    assert attempts == 2, attempts
    names = sql(
        PRIMARY_PORT, "SELECT name, count(*) FROM people_resident WHERE name LIKE '大表%%' GROUP BY name"
    )
    assert len(names) == 6000 and all(count == 1 for _n, count in names)
