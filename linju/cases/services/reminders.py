"""Reminders to staff of their cases falling due."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can
from linju.accounts.models import User
from linju.notify.models import OutboxMessage
from linju.notify.sms import send_sms
from linju.workdays.selectors import add_working_days

from ..models import Case
from ..selectors import SOON_WORKING_DAYS

if TYPE_CHECKING:
    pass


def due_soon_reminders(*, today: datetime.date | None = None) -> int:
    """Text each member of staff the open cases of theirs due within 2 working days; once a day each.

    Cases at township level go to the town's cadres; cases at district level to the bureau's district staff.
    No transaction of its own: it writes only texts, each claimed in the outbox by itself, so one
    that fails leaves the others sent.
    """

    today = today or timezone.localdate()
    horizon = add_working_days(today, SOON_WORKING_DAYS).date
    due = list(
        Case.objects.filter(status__in=Case.OPEN, promised_date__gte=today, promised_date__lte=horizon)
    )
    per_user: dict[int, list[Case]] = {}
    staff = User.objects.filter(is_active=True).exclude(mobile="")
    for user in staff:
        mine = [c for c in due if can(user, "case.reminded", c)]  # the capability table and scoping
        if mine:
            per_user[user.pk] = mine
    sent = 0
    for user in staff:
        cases = per_user.get(user.pk)
        reference = f"{today.isoformat()}:{user.pk}"
        if not cases or OutboxMessage.objects.filter(purpose="due_soon", reference=reference).exists():
            continue
        with translation.override("zh-hans"):
            numbers = ", ".join(c.number for c in cases[:5]) + ("…" if len(cases) > 5 else "")
            text = str(_("[Linju] %(count)d of your cases fall due within 2 working days: %(numbers)s")) % {
                "count": len(cases),
                "numbers": numbers,
            }
        if send_sms(
            bureau_id=cases[0].bureau_id,
            phone=user.mobile,
            text=text,
            purpose="due_soon",
            reference=reference,
            params={"count": len(cases), "numbers": numbers},
        ):  # None: claimed already by a retry or another scheduler
            sent += 1
    return sent
