"""Texts residents sent back that a person must read (linju/offers: /staff/texts-received/), synthetic
and marked so: a few in each bureau, from residents with a mobile, so the list has something in it."""

from __future__ import annotations

import random

from django.db import transaction

from linju.geo.models import Bureau
from linju.offers.models import TextReply
from linju.people.models import Resident

SAYINGS = [
    "请问领失业金要带什么材料?(演示)",
    "我在外地打工,下个月回来再办可以吗(演示)",
    "这是我妈妈的号码,她不识字,请打电话给我(演示)",
    "好的谢谢(演示)",
]


@transaction.atomic
def load_texts_received(*, seed: int, per_bureau: int = 4) -> int:
    """Once: a few unread texts per bureau (none are made when some exist)."""
    if TextReply.objects.exists():
        return 0
    rng = random.Random(seed + 31)
    made = 0
    for bureau in Bureau.objects.order_by("pk"):
        # phones are encrypted: the mobiles among the first with a phone are picked here, not in SQL
        residents = [
            resident
            for resident in Resident.objects.filter(bureau=bureau)
            .exclude(phone="")
            .order_by("pk")[: per_bureau * 50]
            if resident.phone.startswith("1")
        ]
        for resident in rng.sample(residents, min(per_bureau, len(residents))):
            TextReply.objects.create(
                bureau_id=bureau.pk,
                phone=resident.phone,
                text=rng.choice(SAYINGS),
                kind=TextReply.Kind.TO_READ,
                resident=resident,
                village_id=resident.village_id,
            )
            made += 1
    return made
