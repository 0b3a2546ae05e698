"""免申即享 at scale: 100,000 offers made from a discovery run, approved and their texts queued, then
30 % of them answered yes and turned into cases, on PostgreSQL.

Setup (not timed): the demo's places, catalogue and staff (`load_demo --residents N --cases 0`), each
resident given a mobile of their own and an age of 36 to 56 (everyone gets a text: one text a phone a
day, none to those over 75), the demo's rules not offered but one, UI-002's, made to offer the item to everyone 16
or older, so a run over every bureau matches N people.

Timed, in order:
  1. discovery over every bureau (one run a bureau, `discovery_execute`), and within it the offers'
     part: the matches kept and one offer per match written (`offers_from_run`);
  2. the second look: every offer approved (`offers_approve`, one call per bureau's staff), which hands
     the ids to the sending job after its commit (here the hand-off is kept, not queued: the job is
     run next, in this process, as a worker would);
  3. the sending job (`offers_bring`): the texts claimed in the outbox a part at a time and written
     (the gateway backend that only writes, the demo's), one a phone;
  4. 30 % answered yes by text (`offer_answer`, via sms): each makes a case through the intake.

Baselines, in the same run:
  - for 1-3, the floor of the rows written: the same N offer rows COPYed into a table made LIKE the
    offers table (its indexes and constraints included), and N outbox rows likewise: what writing the
    rows alone costs, without deciding anything;
  - for 4, a bare loop of case intakes (`case_accept`, the same intake the yes makes) over as many
    other residents: a yes cannot cost less than the case it makes.

Usage: .venv/bin/python bench/offers_load.py [--residents 100000] [--yes-share 0.3] [--sent N] [--answered N] [--keep]
Creates (and, unless --keep, drops) the PostgreSQL database linju_bench_offers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = "linju_bench_offers"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
sys.path.insert(0, str(ROOT))


def fresh_database(*, create: bool) -> None:
    """Drop the benchmark's database, and create it empty again when asked."""
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        if create:
            conn.execute(f'CREATE DATABASE "{DB}"')


def manage(*args: str) -> None:
    import subprocess

    env = os.environ | {"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--yes-share", type=float, default=0.3)
    parser.add_argument(
        "--sent",
        type=int,
        default=0,
        help="the sending job and the answers over this many of the approved offers (0: all)",
    )
    parser.add_argument(
        "--answered",
        type=int,
        default=10_000,
        help="the answers over this many of the texted offers, the --yes-share of them yes (0: all)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    fresh_database(create=True)
    started = time.perf_counter()
    manage("migrate", "--no-input", "-v0")
    manage("load_demo", "--residents", str(args.residents), "--cases", "0")
    os.environ.update({"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    import django

    django.setup()
    try:
        run(args, setup_started=started)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            fresh_database(create=False)


def run(args, *, setup_started: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from linju.accounts.models import User
    from linju.accounts.services import bureau_system_user
    from linju.cases.services import Intake, case_accept
    from linju.catalog.models import Channel, ServiceItem
    from linju.core.crypto import reencrypt_rows
    from linju.eligibility import matches
    from linju.eligibility.models import DiscoveryRun, EligibilityRule, LegalBasis
    from linju.eligibility.services import discovery_execute
    from linju.geo.models import Bureau
    from linju.notify.models import OutboxMessage
    from linju.offers.models import Offer
    from linju.offers.services import approval, sending
    from linju.offers.services.answers import offer_answer
    from linju.offers.services.channels import offers_bring
    from linju.offers.services.making import offers_from_run
    from linju.people.models import Resident

    # every resident an adult of 36-56 with a mobile of their own; one rule offered, to everyone
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_resident SET phone = '139' || lpad(id::text, 8, '0'), "
            "birth_date = date '1970-01-01' + (id % 7300)::int"
        )
    # the phones written in clear above, encrypted with their indexes as every write keeps them
    reencrypt_rows(connection, Resident._meta.db_table, [("phone", "phone_index", "phone")], batch=20_000)
    EligibilityRule.objects.update(offered=False)
    item = ServiceItem.objects.get(code="UI-002")
    # the demo's rule of the item (one rule an item: discovery's lists are by item) made the offered one
    EligibilityRule.objects.filter(item=item).update(
        expression="age() >= 16",
        plain=[],
        offered=True,
        offer_zh="您可能可以领取失业保险金",
        offer_en="You may be able to claim unemployment insurance benefit",
        legal_basis=LegalBasis.STATUTORY_DUTY,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    residents = Resident.objects.count()
    load_before = os.getloadavg()
    print(f"setup: {residents:,} residents, one offered rule, in {time.perf_counter() - setup_started:.0f} s")

    # 1. discovery, the offers' part timed on its own
    offers_part = []

    def timed_offers(run, found, today):
        began = time.perf_counter()
        offers_from_run(run, found, today)
        offers_part.append(time.perf_counter() - began)

    matches._CONSUMERS[:] = [timed_offers]
    today = timezone.localdate()
    began = time.perf_counter()
    for bureau in Bureau.objects.order_by("id"):
        discovery_execute(run=DiscoveryRun.objects.create(bureau=bureau), today=today)
    discovery = time.perf_counter() - began
    made = Offer.objects.filter(item=item).count()
    offers_seconds = sum(offers_part)

    # 2. the second look: approve every offer; the sending job's ids are kept, not queued
    handed: list[int] = []
    sending.offers_approved = handed.extend  # what approval calls after its commit
    approval.sending.offers_approved = handed.extend
    began = time.perf_counter()
    approved = 0
    watched = CaptureQueriesContext(connection)
    watched.__enter__()
    for bureau in Bureau.objects.order_by("id"):
        staff = (
            User.objects.filter(bureau=bureau, role=User.Role.DISTRICT_STAFF, is_active=True)
            .order_by("pk")
            .first()
        )
        # the bench's item only: the demo's own offers (load_demo runs discovery: some of them of items
        # granted on the data, whose approval takes and decides a case each) are not the 100,000
        approved += approval.offers_approve(actor=staff, today=today, item_code=item.code)
    approve_seconds = time.perf_counter() - began
    watched.__exit__(None, None, None)
    slowest = sorted(watched.captured_queries, key=lambda q: -float(q["time"]))[:4]

    # 3. the sending job: one text each, written to the outbox (at 10:00, outside quiet hours)
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10, 0)))
    began = time.perf_counter()
    to_send = handed[: args.sent] if args.sent else handed
    brought = offers_bring(now=moment, offer_ids=to_send)
    send_seconds = time.perf_counter() - began
    texts = OutboxMessage.objects.filter(purpose="offer").count()

    # baseline of 1-3: the same rows COPYed into tables made like the offers and outbox tables
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE floor_offer (LIKE offers_offer INCLUDING ALL)")
        cursor.execute("CREATE TABLE floor_outbox (LIKE notify_outboxmessage INCLUDING ALL)")
    floor = {}
    for table, source in (("floor_offer", "offers_offer"), ("floor_outbox", "notify_outboxmessage")):
        with psycopg.connect(URL) as conn:
            with conn.cursor().copy(f"COPY {source} TO STDOUT") as out:
                data = b"".join(bytes(block) for block in out)
            began = time.perf_counter()
            with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
            conn.commit()
            floor[table] = (data.count(b"\n"), time.perf_counter() - began)
    # and what approving and marking the texts each write at least: every offer row updated once
    # (a new version of each row, its indexes with it), in one statement
    updates = {}
    for name, change in (
        ("approval's", "status = 'open', approved_at = now()"),
        ("texts' mark", "texted_at = now()"),
    ):
        with psycopg.connect(URL) as conn:
            began = time.perf_counter()
            updated = conn.execute(f"UPDATE floor_offer SET {change}, updated_at = now()").rowcount
            conn.commit()
            updates[name] = (updated, time.perf_counter() - began)

    # 4. 30 % answer yes by text: a case each
    answering = min(args.answered or len(to_send), len(to_send))
    yes = int(answering * args.yes_share)
    chosen = list(
        Offer.objects.filter(status=Offer.Status.OPEN, texted_at__isnull=False)
        .order_by("?")
        .values_list("pk", flat=True)[:yes]
    )
    began = time.perf_counter()
    for pk in chosen:
        offer_answer(offer=Offer(pk=pk), answer="yes", via="sms")
    yes_seconds = time.perf_counter() - began
    cases_made = Offer.objects.filter(status=Offer.Status.CONFIRMED, case__isnull=False).count()

    # baseline of 4: the same intake for as many residents who had no offer answered
    others = list(
        Resident.objects.exclude(offers__status=Offer.Status.CONFIRMED)
        .order_by("pk")
        .values_list("pk", "bureau_id")[:yes]
    )
    takers = {bureau_id: bureau_system_user(bureau_id=bureau_id) for bureau_id in {b for _r, b in others}}
    began = time.perf_counter()
    for n, (resident_id, bureau_id) in enumerate(others):
        case_accept(
            actor=takers[bureau_id],
            intake=Intake(
                item_code=item.code,
                channel=Channel.OFFER,
                offered=True,
                applicant_id=resident_id,
                description="基线",
                idempotency_key=f"floor-{n}",
            ),
        )
    intake_seconds = time.perf_counter() - began

    print()
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {os.getloadavg()}")
    print(f"offers made and queued ({made:,} offers, {texts:,} texts):")
    print(f"  discovery over every bureau, end to end      {discovery:7.2f} s")
    print(
        f"    of which the offers' part (matches kept,   {offers_seconds:7.2f} s  {made / offers_seconds:9,.0f} offers/s"
    )
    print("     one offer a match written)")
    print(
        f"  approval ({approved:,}, handed to the job)       {approve_seconds:7.2f} s  {approved / approve_seconds:9,.0f} offers/s"
    )
    print(
        f"  the sending job ({brought.texted:,} texts, {brought.home_tasks:,} home tasks) "
        f"{send_seconds:7.2f} s  {brought.texted / send_seconds:9,.0f} texts/s"
    )
    print(f"    ({len(watched.captured_queries)} statements; the slowest:)")
    for query in slowest:
        print(f"      {float(query['time']):6.2f} s  {query['sql'][:100]}")
    queued = offers_seconds + approve_seconds
    print(f"  made and approved, handed to the sending job {queued:7.2f} s  {made / queued:9,.0f} offers/s")
    queued += send_seconds
    print(
        f"  made, approved and queued as texts           {queued:7.2f} s  {made / queued:9,.0f} offers/s"
        f"  (aim: under 60 s: {'met' if queued < 60 and brought.texted == approved else 'not met'})"
    )
    if len(to_send) < len(handed):
        print(
            f"  (the sending job over {len(to_send):,} of the {len(handed):,}: all at this rate, {len(handed) / (brought.texted / send_seconds):,.0f} s)"
        )
    for table, (count, seconds) in floor.items():
        print(
            f"  baseline: COPY {count:,} rows into {table:<12}   {seconds:7.2f} s  {count / seconds:9,.0f} rows/s"
        )
    for name, (count, seconds) in updates.items():
        print(
            f"  baseline: one UPDATE of {count:,} rows ({name:<11}) {seconds:7.2f} s  {count / seconds:9,.0f} rows/s"
        )
    pipeline_floor = sum(seconds for _c, seconds in floor.values()) + sum(
        seconds for _c, seconds in updates.values()
    )
    print(
        f"  floor of made and queued (both COPYs, both UPDATEs) {pipeline_floor:7.2f} s  "
        f"(made and queued at ×{queued / pipeline_floor:.1f} of it)"
    )
    floor_total = sum(seconds for _c, seconds in floor.values())
    print(
        f"  baseline, both tables                        {floor_total:7.2f} s  (the offers made: ×{offers_seconds / floor['floor_offer'][1]:.1f} of its floor)"
    )
    print()
    print(
        f"answers: {len(chosen):,} yes by text ({args.yes_share:.0%} of {answering:,} texted), "
        f"{cases_made:,} cases made"
    )
    print(
        f"  yes → case                                   {yes_seconds:7.2f} s  {len(chosen) / yes_seconds:9,.0f} cases/s"
    )
    print(
        f"  baseline: {len(others):,} bare case intakes             {intake_seconds:7.2f} s  "
        f"{len(others) / intake_seconds:9,.0f} cases/s  (the yes at {intake_seconds / yes_seconds:.2f} of it)"
    )


if __name__ == "__main__":
    main()
