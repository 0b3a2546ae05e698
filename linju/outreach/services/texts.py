"""Texts the day before a booth: who asked for them, who stopped them, and sending them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError
from linju.geo.models import Village
from linju.geo.selectors import station_of
from linju.notify.models import OutboxMessage
from linju.notify.sms import send_sms
from linju.people.models import Resident
from linju.people.phones import normalize_phone
from linju.people.selectors import resident_get_for_viewer

from ..models import BoothReminder, BoothSession

if TYPE_CHECKING:
    from linju.accounts.models import User

REMINDER_PURPOSE = "booth_reminder"
STOP_WORDS = {"td", "t", "退订", "取消", "n", "stop", "unsubscribe"}


@transaction.atomic(durable=True)
def booth_reminder_opt_in(*, actor: User, resident_id: int, channel: str) -> BoothReminder:
    """The resident asked (at the counter, a booth, by phone, on a visit) for a text the day before
    a booth near their village: recorded with the moment and the channel, by the one who heard it.
    Asking again while it stands changes nothing."""
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    require(actor, "outreach.work", resident)
    if channel not in BoothReminder.Channel.values:
        raise DomainError(_("Choose where the resident asked."), field="channel")
    if not resident.phone or "-" in resident.phone:
        raise DomainError(
            _("%(name)s has no mobile phone on record: add one first."),
            params={"name": resident.name},
            field="phone",
        )
    standing = BoothReminder.objects.select_for_update().filter(resident=resident, withdrawn_at=None).first()
    if standing:
        return standing
    reminder = BoothReminder(
        bureau_id=resident.bureau_id,
        resident=resident,
        channel=channel,
        opted_in_at=timezone.now(),
        recorded_by=actor,
    )
    reminder.full_clean()
    reminder.save()
    return reminder


@transaction.atomic(durable=True)
def booth_reminder_stop(*, actor: User, resident_id: int) -> int:
    """The resident told the staff they want no more booth texts."""
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    require(actor, "outreach.work", resident)
    return BoothReminder.objects.filter(resident=resident, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_via=BoothReminder.Withdrawal.STAFF
    )


@transaction.atomic(durable=True)
def booth_reminders_withdraw_by_phone(*, phone: str, via: str) -> int:
    """Whoever holds the phone wants no more booth texts (a reply of 退订, or the status page):
    every standing reminder of a resident with that number ends. Says nothing about whether there was
    one (the caller answers the same either way)."""
    number = normalize_phone(phone)
    return BoothReminder.objects.filter(
        resident__in=Resident.objects.filter(phone=number), withdrawn_at=None
    ).update(withdrawn_at=timezone.now(), withdrawn_via=via)


def sms_reply_received(*, phone: str, text: str) -> int:
    """A text a resident sent back through the gateway: a stop word ends their booth texts. Its one
    write is `booth_reminders_withdraw_by_phone`, in that one's transaction."""
    if text.strip().lower() in STOP_WORDS:
        return booth_reminders_withdraw_by_phone(phone=phone, via=BoothReminder.Withdrawal.REPLY)
    return 0


def booth_reminders_send(*, today: datetime.date | None = None) -> int:
    """The day before each planned booth, a text to every resident of the villages its market
    serves (its town's, when the market names none) who asked for one and has not withdrawn: once
    per booth and person, however often this runs.

    Not one transaction (a job, run outside any): each text is claimed by its own outbox row before
    the gateway is asked (`send_sms`), so a text that went out is never rolled back into one to send
    again, and one that fails leaves the others sent."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    sent = 0
    booths = (
        BoothSession.objects.filter(date=tomorrow, status=BoothSession.Status.PLANNED)
        .select_related("market__town")
        .prefetch_related("market__villages", "items")
    )
    for booth in booths:
        market = booth.market
        villages = [v.pk for v in market.villages.all()] or list(
            Village.objects.filter(town_id=market.town_id).values_list("pk", flat=True)
        )
        reminders = BoothReminder.objects.filter(
            resident__village_id__in=villages, withdrawn_at=None, bureau_id=market.town.bureau_id
        ).select_related("resident")
        done = set(
            OutboxMessage.objects.filter(
                purpose=REMINDER_PURPOSE, reference__startswith=f"booth-{booth.pk}-"
            ).values_list("reference", flat=True)
        )
        station = station_of(town_id=market.town_id)
        items = "、".join(i.name for i in list(booth.items.all())[:3])
        values = {
            "day": f"{tomorrow.month}月{tomorrow.day}日",
            "market": market.name,
            "items": items or "",
            "phone": station.phone if station else "",
        }
        with translation.override("zh-hans"):
            text = (
                str(
                    _(
                        "[Qijiang HRSS] Tomorrow (%(day)s) 8:00–12:00 social-security cadres are at %(market)s "
                        "market: %(items)s and more. Phone %(phone)s. Reply TD to stop these texts."
                    )
                )
                % values
            )
        for reminder in reminders:
            reference = f"booth-{booth.pk}-{reminder.resident_id}"
            if reference in done:
                continue
            if send_sms(
                bureau_id=reminder.bureau_id,
                phone=reminder.resident.phone,
                text=text,
                purpose=REMINDER_PURPOSE,
                reference=reference,
                params=values,
            ):
                sent += 1
    return sent
