import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from linju.demo import bundle_cases as bundle_cases_module
from linju.demo import bundles as bundles_module
from linju.demo import cases as cases_module
from linju.demo import catalog, places, staff, stations
from linju.demo import consent as consent_module
from linju.demo import eligibility as eligibility_module
from linju.demo import gigs as gigs_module
from linju.demo import gigs_pay as gigs_pay_module
from linju.demo import granted as granted_module
from linju.demo import identity as identity_module
from linju.demo import jinbao as jinbao_module
from linju.demo import jobs as jobs_module
from linju.demo import offers as offers_module
from linju.demo import outreach as outreach_module
from linju.demo import residents as demo_residents
from linju.demo import texts_received as texts_received_module

MAX_RESIDENTS = 1_000_000


class Command(BaseCommand):
    help = (
        "Load the Qijiang demo: the real towns and villages, synthetic service points, market places, "
        "travel times, staff and residents. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents", type=int, default=5000, help="how many synthetic residents (up to 1,000,000)"
        )
        parser.add_argument("--cases", type=int, default=300, help="how many synthetic cases")
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--divisions", default=str(settings.DIVISIONS_CSV))

    def handle(self, *args, residents: int, cases: int, seed: int, divisions: str, **options):
        if not 0 <= residents <= MAX_RESIDENTS:
            raise CommandError(f"--residents must be between 0 and {MAX_RESIDENTS:,}")
        call_command("import_divisions", divisions, stdout=self.stdout)
        call_command("import_holidays", stdout=self.stdout)
        places.place_coordinates(seed=seed)
        places.create_service_points()
        places.create_market_places(seed=seed)
        created_travel = places.create_travel_times()
        self.stdout.write(f"travel times (synthetic): {created_travel} created")
        job_places, job_travel = stations.create_job_service_points()
        self.stdout.write(
            f"job-service places 零工市场, 零工驿站, 家门口就业服务站 (synthetic): {job_places} created, "
            f"{job_travel} travel times"
        )
        accounts = staff.create_staff()
        items, delegations = catalog.load_catalog()
        self.stdout.write(
            f"catalogue (example configuration): {items} items, {delegations} delegations created"
        )
        counts = bundles_module.load_bundles()
        self.stdout.write(
            "bundles 一件事 (example configuration, synthetic partner offices): "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + " created"
        )

        started = time.perf_counter()
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            done += n
            if residents >= 50_000:
                rate = done / max(time.perf_counter() - started, 1e-9)
                self.stdout.write(f"  residents {done:,}/{residents:,} ({rate:,.0f}/s)")

        created = demo_residents.load_residents(residents, seed=seed, progress=progress)
        elapsed = time.perf_counter() - started
        rate = residents / elapsed if elapsed > 0 else 0
        self.stdout.write(
            f"residents (synthetic): {created:,} created of {residents:,} in {elapsed:.1f}s ({rate:,.0f}/s)"
        )
        phase = time.perf_counter()

        def took() -> str:
            nonlocal phase
            seconds, phase = time.perf_counter() - phase, time.perf_counter()
            return f" in {seconds:.1f}s"

        # the booth plan first: the demo's market-day requests are taken on the days its booths were out
        counts = outreach_module.load_outreach(seed=seed)
        self.stdout.write(
            "outreach (synthetic): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f" created{took()}"
        )
        made = cases_module.load_cases(cases, seed=seed)
        self.stdout.write(f"cases (synthetic): {made} created{took()}")
        if cases:
            made = bundle_cases_module.load_bundle_cases()
            self.stdout.write(f"bundle cases 一件事 (synthetic): {made} created{took()}")
            made = identity_module.load_identifications()
            self.stdout.write(f"identifications at intake (synthetic): {made} created{took()}")
            counts = jinbao_module.load_jinbao(seed=seed)
            self.stdout.write(
                "金保 (synthetic): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"{took()}"
            )
        rules = eligibility_module.load_rules()
        granted_module.load_granted_example()
        facts = eligibility_module.load_facts(seed=seed)
        self.stdout.write(
            f"eligibility (examples and synthetic facts): {rules} rules, facts for {facts:,} residents "
            f"created{took()}"
        )
        counts = jobs_module.load_jobs(seed=seed)
        self.stdout.write(
            "jobs (synthetic): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f" created{took()}"
        )
        counts = gigs_module.load_gigs(seed=seed)
        self.stdout.write(
            "gig market 零工 (synthetic): "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + f" created{took()}"
        )
        counts = offers_module.load_offers()
        self.stdout.write(
            "offers (免申即享, example rules): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + took()
        )
        counts = consent_module.load_consent()
        self.stdout.write(
            "authorisations and consents (synthetic): "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + f" created{took()}"
        )
        texts = texts_received_module.load_texts_received(seed=seed)
        self.stdout.write(f"texts from residents to read (synthetic): {texts} created{took()}")
        # after the gig market's own demo: the wage guide, and past gigs paid (one short: its inspection case)
        counts = gigs_pay_module.load_gigs_pay()
        self.stdout.write(
            "gig pay and wage guide (synthetic): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + took()
        )
        with connection.cursor() as cursor:  # statistics for the planner after a bulk load
            cursor.execute("ANALYZE")
        self.stdout.write(f"statistics gathered (ANALYZE){took()}")
        self.stdout.write(f"Demo staff log-ins (password: {staff.DEMO_PASSWORD}):")
        for username, display, scope in accounts:
            self.stdout.write(f"  {username:<15} {display}  [{scope}]")
        self.stdout.write(
            "Two factors are optional here: log in, open /accounts/two-factor/ and scan the key with an "
            "authenticator app (or `manage.py two_factor USERNAME`); LINJU_TWO_FACTOR=required makes "
            "them required, as production always does."
        )
        self.stdout.write(
            "Identifying people at intake goes through stand-ins: a card on the reader is the person's own; a "
            "terminal ending in -expired, -other, -down or -slow gives an expired card, another's, no answer, "
            "a late one; the e-card code DEMO-ECARD:<ID number> is fresh, DEMO-ECARD:<ID number>:expired is not."
        )
