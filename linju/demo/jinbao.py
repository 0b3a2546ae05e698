"""The demo's 金保 hand-off: of the synthetic cases taken away from the district hall, an ethnic group
on most (as intake asks it, optional) and, for those taken more than two days ago, most entered into
金保 by the bureau's district staff one to ten days after intake, with a business number in the
documented format; the newest and a few older ones wait, so the list and the dashboard show both.
Seeded per case and idempotent: a case with an entry, or whose entry day is still to come, is left
alone, and loading again draws the same for every case."""

from __future__ import annotations

import datetime
import random

from django.db.models import Max, Q
from django.utils import timezone

from linju.accounts.models import User
from linju.cases.jinbao_codes import county_code
from linju.cases.jinbao_selectors import waiting
from linju.cases.models import Case
from linju.cases.services import case_jinbao_enter_once

# the groups of Qijiang's villages, roughly: most 汉族, some 土家族 and 苗族 (synthetic)
ETHNIC_DRAW = [("01", 0.8), ("15", 0.1), ("06", 0.04)]


def _draw(seed: int, case: str) -> random.Random:
    """The draws of one case, the same whatever else the demo holds: loading again decides the same."""
    return random.Random(f"{seed}:{case}")


def load_jinbao(*, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    synthetic = Case.objects.filter(idempotency_key__startswith="demo-", applicant__is_synthetic=True)
    given = 0
    lacking = waiting(synthetic).filter(ethnic_group="").order_by("pk").values_list("pk", "number")
    for case_id, number in lacking:
        draw, code = _draw(seed, number).random(), ""
        for group, share in ETHNIC_DRAW:
            if draw < share:
                code = group
                break
            draw -= share
        if code:  # a demo value set on the synthetic row, as intake would have recorded it
            Case.objects.filter(pk=case_id).update(ethnic_group=code)
            given += 1
    clerks = {
        user.bureau_id: user
        for user in User.objects.filter(role=User.Role.DISTRICT_STAFF, is_active=True).order_by("-pk")
    }
    entered = 0
    pending = waiting(synthetic).filter(~Q(accepted_at__date__gte=today - datetime.timedelta(days=2)))
    steps = pending.select_related("town").annotate(last_step=Max("events__created_at"))
    for case in steps.order_by("accepted_at", "pk"):
        rng = _draw(seed + 1, case.number)
        clerk = clerks.get(case.bureau_id)
        if clerk is None or rng.random() < 0.15:
            continue  # this one still waits
        taken = timezone.localtime(case.accepted_at)
        on = taken.date() + datetime.timedelta(days=1 + rng.randrange(10))
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10 + rng.randrange(6))))
        at = max(at, case.last_step + datetime.timedelta(minutes=5))  # the timeline reads in order
        if timezone.localdate(at) > today:
            continue  # entered on a day still to come: a later load enters it
        number = f"{county_code(case.town.code)}{at:%Y%m%d}{case.pk % 1_000_000:06d}"
        case_jinbao_enter_once(actor=clerk, number=case.number, business_number=number, now=at)
        entered += 1
    return {"ethnic groups": given, "entered into 金保": entered}
