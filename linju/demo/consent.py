"""Authorisations (委托) and consent receipts to see in the demo, of synthetic residents (the helpers
and daughters are invented too; the consent receipts say 演示): a helper (代办员) on the register of a
village of each bureau's first towns, a daughter and a helper who act for villagers, and the answers
of villagers asked before a fingerprint certification."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from linju.accounts.models import User
from linju.consent.models import ConsentPurpose, ConsentRecord, VillageHelper
from linju.consent.services import AuthorisationIn, authorisation_grant_within, consent_record_within
from linju.geo.models import Bureau, Town
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident

DEMO_TOWNS = {"綦江": ["永新镇", "东溪镇"], "万盛": None}  # None: the bureau's first town


@transaction.atomic
def load_consent() -> dict[str, int]:
    """Once (nothing is made when the register holds anyone): per bureau, per town shown, a helper on
    its first village's register, a family authorisation and a helper's, and three consent answers."""
    if VillageHelper.objects.exists():
        return {"helpers": 0, "authorisations": 0, "consents": 0}
    counts = {"helpers": 0, "authorisations": 0, "consents": 0}
    for serial, bureau in enumerate(Bureau.objects.order_by("pk"), start=1):
        actor = User.objects.filter(bureau=bureau, role=User.Role.DISTRICT_STAFF).order_by("pk").first()
        if actor is None:
            continue
        names = next((v for k, v in DEMO_TOWNS.items() if k in bureau.zone or k in bureau.name), None)
        towns = Town.objects.filter(bureau=bureau).order_by("code")
        towns = list(towns.filter(name__in=names) if names else towns[:1])
        for n, town in enumerate(towns):
            # people with a mobile, in the village that has most of them (a phone is kept encrypted:
            # read, then chosen)
            with_phones = [
                r
                for r in Resident.objects.filter(village__town=town).order_by("pk")
                if r.phone.startswith("1")
            ]
            by_village: dict[int, list] = {}
            for resident in with_phones:
                by_village.setdefault(resident.village_id, []).append(resident)
            if not by_village:
                continue
            residents = max(by_village.values(), key=len)[:4]
            if len(residents) < 4:
                continue
            first, second, third, fourth = residents
            helper = VillageHelper.objects.create(
                bureau=bureau,
                village=first.village,
                name="刘代办",
                id_number=build_id_number(
                    first.village.code[:6], datetime.date(1975, 5, 5), 900 + serial * 10 + n
                ),
                phone=f"1390000{serial}{n}99",
            )
            counts["helpers"] += 1
            authorisation_grant_within(
                actor=actor,
                principal=first,
                given=AuthorisationIn(
                    agent_kind="family",
                    agent_name="代小红",
                    agent_id_number=build_id_number(
                        "500222", datetime.date(1992, 8, 8), 800 + serial * 10 + n
                    ),
                    relation="女儿",
                    item_codes=[],
                    all_items=True,
                    valid_until=timezone.localdate() + datetime.timedelta(days=365),
                ),
                via="counter",
            )
            authorisation_grant_within(
                actor=actor,
                principal=second,
                given=AuthorisationIn(agent_kind="helper", helper_id=helper.pk, all_items=True),
                via="counter",
            )
            counts["authorisations"] += 2
            for resident, decision in ((second, "granted"), (third, "granted"), (fourth, "refused")):
                consent_record_within(
                    actor=actor,
                    resident=resident,
                    purpose=ConsentPurpose.BIOMETRIC_CERTIFICATION,
                    decision=decision,
                    method=ConsentRecord.Method.SPOKEN,
                    note="演示",
                )
                counts["consents"] += 1
    return counts
