"""Bringing approved offers to people: a text with a short link, or a cadre at the door.

An approved, open offer goes the way its reach says (decided at approval):

- by text: through the outbox (`send_sms`), naming the offer in the rule's plain words and the three
  answers, with the short link to the public page (`/o/<token>`). At most one offer text a day per
  phone, whoever of a household it is for: the outbox row of the day (purpose `offer`, reference
  `offer-YYYYMMDD`, one per phone by the outbox's unique claim) decides, so two jobs at once still
  send one; the others wait for the next day. Never between 21:00 and 08:00 (Asia/Shanghai): what
  waits is sent by the job at 08:00 (linju/offers/tasks.py). A phone that asked for no more texts
  (TD), or is no mobile after all, gets a home task instead.
- by a home task, or at a village visit: a home task for the cadre of the resident's town, through
  outreach. Outreach has no planned village visits (a visit is recorded after it happened), so an
  offer to be brought "at the next village visit" is a home task too, due within the same working
  days; the field app lists it with the day's visits.

Each offer records how it went (`texted_at`, or its `home_task`), so running this again brings
nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.core.idlists import id_list
from linju.notify.models import OutboxMessage
from linju.notify.sms import ToSend, can_receive_texts, send_sms, send_sms_batch
from linju.outreach.services import ItemToBring, home_tasks_to_bring_items
from linju.workdays.selectors import add_working_days

from ..models import Offer, TextReply

OFFER_PURPOSE = "offer"  # the outbox's purpose of every offer text: first texts and reminders alike
QUIET_FROM = datetime.time(21, 0)  # no offer text from 21:00 …
QUIET_UNTIL = datetime.time(8, 0)  # … until 08:00, Asia/Shanghai
VISIT_WITHIN_WORKING_DAYS = 10  # a home task made for an offer is due within these working days
NO_ANSWER_WORKING_DAYS = 10  # no answer this long after the text: a reminder; as long again: a visit
BATCH = 2_000
TEXT_PART = 1_000  # texts claimed, sent and marked together (the outbox's claim: one INSERT)

BY_A_CADRE = (Offer.Reach.HOME_TASK, Offer.Reach.VILLAGE_VISIT)


@dataclass(frozen=True)
class Brought:
    texted: int  # texts sent (or written to the outbox) now
    waiting: int  # texts left for the next run: quiet hours, or the phone had its text today
    home_tasks: int  # home tasks made now


def quiet_hours(moment: datetime.datetime) -> bool:
    """Whether it is too late or too early to text anyone (21:00–08:00, local time)."""
    local = timezone.localtime(moment).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def day_reference(moment: datetime.datetime) -> str:
    """The outbox reference shared by every offer text of a local day: one per phone and day."""
    return f"offer-{timezone.localtime(moment):%Y%m%d}"


def offer_link(offer: Offer) -> str:
    """The short link to the offer's public page, with the site's address (texts leave from jobs)."""
    return settings.LINJU_PUBLIC_URL + reverse("offer-link", args=[offer.token])


def offer_links_start() -> str:
    """What every offer's link starts with, the token to follow (a thousand texts reverse it once)."""
    return settings.LINJU_PUBLIC_URL + reverse("offer-link", args=["-"])[:-1]


def offer_words(offer: Offer) -> str:
    """The offer as the text says it: the rule's plain sentence, without its closing stop."""
    return offer.rule.offer_zh.strip().rstrip("。.!！") or offer.item.name


def texts_stopped() -> set[str]:
    """The phones that replied TD (no more offer texts): few, read whole."""
    return set(TextReply.objects.filter(kind=TextReply.Kind.STOP).values_list("phone", flat=True))


def first_text_words() -> str:
    """The first text of an offer as the gateway's template says it, %(offer)s and %(link)s to fill."""
    with translation.override("zh-hans"):
        return str(
            _(
                "[Qijiang HRSS] %(offer)s. Reply 1 to ask for it, 2 if you do not want it, 3 to have a "
                "village cadre come. Or answer on this page: %(link)s Reply TD to stop these texts."
            )
        )


def offer_text(
    offer: Offer, *, words: str = "", form: str = "", links: str = ""
) -> tuple[str, dict[str, str]]:
    """The first text of an offer: its words and the gateway's variables (`words`, `form`, `links`:
    the offer's words, `first_text_words()` and `offer_links_start()` when already read)."""
    link = links + offer.token if links else offer_link(offer)
    values = {"offer": words or offer_words(offer), "link": link}
    return (form or first_text_words()) % values, values


def offer_reminder(offer: Offer, *, moment: datetime.datetime) -> tuple[str, dict[str, str]]:
    """The one reminder of an offer with no answer: its words, until when it stays open (or, for an
    offer with no end, when the no-answer visit comes), and the link."""
    until = offer.expires_on or add_working_days(timezone.localdate(moment), NO_ANSWER_WORKING_DAYS).date
    values = {"offer": offer_words(offer), "date": f"{until.month}月{until.day}日", "link": offer_link(offer)}
    with translation.override("zh-hans"):
        text = str(
            _(
                "[Qijiang HRSS] A reminder: %(offer)s, open until %(date)s. Reply 1 to ask for it, 2 if "
                "you do not want it, 3 to have a village cadre come. Or answer on this page: %(link)s "
                "Reply TD to stop these texts."
            )
        )
    return text % values, values


def offers_bring(*, now: datetime.datetime | None = None, offer_ids: list[int] | None = None) -> Brought:
    """Bring the approved open offers that have not gone out yet (those of `offer_ids`, or all that
    wait): home tasks first, for reach by a cadre and for texts that cannot go to a mobile, then
    the texts, unless it is quiet hours.

    Not one transaction (a job, run outside any): each text is claimed by its own outbox row before
    the gateway is asked, so a text that went out is never rolled back into one to send again;
    the home tasks of each batch are made with their offers' links in one transaction."""
    moment = now or timezone.now()
    waiting = Offer.objects.filter(status=Offer.Status.OPEN, approved_at__isnull=False)
    if offer_ids is not None:  # an approval's ids: read by key alone (see `_by_key`)
        waiting = Offer.objects.filter(pk__in=id_list(sorted(set(offer_ids))))
    # oldest approval first: one phone's offers of different approvals text the older one first
    order = [
        pk
        for pk, *_rest in sorted(
            (row for row in waiting.values_list("pk", "approved_at", "status") if _waits(row[2], row[1])),
            key=lambda row: (row[1], row[0]),
        )
    ]
    day, stopped = TextsOfTheDay(), texts_stopped()
    tasks = texted = left = 0
    for start in range(0, len(order), BATCH):
        part = order[start : start + BATCH]
        tasks += _home_tasks_for(part, today=timezone.localdate(moment), stopped=stopped)
        for at in range(0, len(part), TEXT_PART):
            sent, waits = offers_texts_send(part[at : at + TEXT_PART], now or timezone.now(), day)
            texted, left = texted + sent, left + waits
    return Brought(texted=texted, waiting=left, home_tasks=tasks)


def _waits(status: str, approved_at) -> bool:
    return status == Offer.Status.OPEN and approved_at is not None


def _by_key(pks: list[int], *fields: str) -> list[tuple]:
    """The offers of a part, read by their keys alone, with what decides whether they still wait
    (status, approval, reach, text, home task) checked here rather than in the statement: right after
    an approval of a hundred thousand, the table's statistics still say open offers are rare, and a
    statement filtered by status would walk every open offer to find a part's thousand."""
    rows = Offer.objects.filter(pk__in=id_list(pks)).values_list(
        "pk", "status", "approved_at", "reach", "texted_at", "home_task_id", *fields
    )
    return [row for row in rows if _waits(row[1], row[2])]


def _home_tasks_for(part: list[int], *, today: datetime.date, stopped: set[str]) -> int:
    """Texts that cannot go become home tasks; then a home task for each offer brought by a cadre."""
    rows = _by_key(part, "resident__phone")
    cannot = [
        row[0]
        for row in rows
        if row[3] == Offer.Reach.TEXT
        and row[4] is None
        and (not can_receive_texts(row[6] or "") or row[6] in stopped)
    ]
    if cannot:
        Offer.objects.filter(pk__in=id_list(cannot), texted_at__isnull=True).update(
            reach=Offer.Reach.HOME_TASK, updated_at=timezone.now()
        )
    if not cannot and not any(row[3] in BY_A_CADRE and row[5] is None for row in rows):
        return 0
    waiting = Offer.objects.filter(status=Offer.Status.OPEN, approved_at__isnull=False, pk__in=id_list(part))
    due = add_working_days(today, VISIT_WITHIN_WORKING_DAYS).date
    made = 0
    while True:
        with transaction.atomic():
            batch = list(
                waiting.filter(reach__in=BY_A_CADRE, home_task__isnull=True)
                .select_for_update(of=("self",))
                .select_related("rule", "item")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return made
            made += len(batch)
            offers_visits_make(
                batch,
                due=due,
                why=_("Offered on the data: %(offer)s. Ask whether they want it and record the answer."),
            )


def offers_visits_make(offers: list[Offer], *, due: datetime.date, why) -> None:
    """A home task for each offer (in the caller's transaction, with the offers locked), linked to
    it. `why`: what the cadre is asked, with the offer's words as %(offer)s."""
    with translation.override("zh-hans"):
        asks = [
            ItemToBring(
                resident_id=offer.resident_id,
                item_id=offer.item_id,
                due_date=due,
                note=str(why) % {"offer": offer_words(offer)},
            )
            for offer in offers
        ]
    tasks = home_tasks_to_bring_items(asks=asks)
    stamp = timezone.now()
    for offer, task in zip(offers, tasks, strict=True):
        offer.home_task, offer.updated_at = task, stamp
    Offer.objects.bulk_update(offers, ["home_task", "updated_at"], batch_size=BATCH)


class TextsOfTheDay:
    """The phones that had their offer text on a local day: read from the outbox once a day, kept
    as the texts go."""

    def __init__(self) -> None:
        self.reference, self.phones = "", set()

    def phones_on(self, moment: datetime.datetime) -> set[str]:
        if day_reference(moment) != self.reference:
            self.reference = day_reference(moment)
            self.phones = set(
                OutboxMessage.objects.filter(purpose=OFFER_PURPOSE, reference=self.reference).values_list(
                    "phone", flat=True
                )
            )
        return self.phones


def offers_texts_send(pks: list[int], moment: datetime.datetime, day: TextsOfTheDay) -> tuple[int, int]:
    """The first texts of a part of offers, in a handful of statements whatever its size: the offers
    read (by key, `_by_key`), the phones that asked for no more texts (TD) meanwhile, every text
    claimed at once in the outbox and sent in the gateway's batches (`send_sms_batch`), and one
    UPDATE of `texted_at` for the offers whose text this call claimed. A phone that had its text
    today, a second offer to the same phone in the part, a phone that said TD, or quiet hours: the
    offer waits. (texted, waiting)"""
    found = {
        row[0]: row
        for row in _by_key(pks, "bureau_id", "token", "resident__phone", "rule__offer_zh", "item__name")
        if row[3] == Offer.Reach.TEXT and row[4] is None
    }
    rows = [found[pk][:1] + found[pk][6:] for pk in pks if pk in found]  # in the part's order
    if quiet_hours(moment) or not rows:
        return 0, len(rows)
    phones = day.phones_on(moment)
    stopped = set(
        TextReply.objects.filter(kind=TextReply.Kind.STOP, phone__in={row[3] for row in rows}).values_list(
            "phone", flat=True
        )
    )
    chosen: dict[str, tuple[int, ToSend]] = {}
    form, links = first_text_words(), offer_links_start()
    for pk, bureau_id, token, phone, offer_zh, item_name in rows:
        if phone in phones or phone in chosen or phone in stopped or not can_receive_texts(phone or ""):
            continue
        values = {"offer": offer_zh.strip().rstrip("。.!！") or item_name, "link": links + token}
        text = form % values
        chosen[phone] = (pk, ToSend(bureau_id=bureau_id, phone=phone, text=text, params=values))
    claimed = send_sms_batch(
        texts=[to_send for _pk, to_send in chosen.values()],
        purpose=OFFER_PURPOSE,
        reference=day.reference,
        template="offer",
    )
    phones.update(chosen)  # had their text today, whoever claimed it
    mine = [chosen[phone][0] for phone in claimed]
    texted = (
        Offer.objects.filter(pk__in=id_list(mine), texted_at__isnull=True).update(
            texted_at=moment, updated_at=moment
        )
        if mine
        else 0
    )
    return texted, len(rows) - texted


def offer_text_send(
    offer: Offer, *, moment: datetime.datetime, day: TextsOfTheDay, reminder: bool = False
) -> bool:
    """Text the offer (its first text, or its reminder) unless it is quiet hours or its phone had
    its offer text of the day; record when. Whether it went."""
    if quiet_hours(moment):
        return False
    phones = day.phones_on(moment)
    phone = offer.resident.phone
    if phone in phones:
        return False
    text, values = offer_reminder(offer, moment=moment) if reminder else offer_text(offer)
    sent = send_sms(
        bureau_id=offer.bureau_id,
        phone=phone,
        text=text,
        purpose=OFFER_PURPOSE,
        reference=day.reference,
        params=values,
        template="offer_reminder" if reminder else "offer",
    )
    phones.add(phone)
    if sent is None:  # another job texted this phone today
        return False
    field = "reminded_at" if reminder else "texted_at"
    return bool(
        Offer.objects.filter(pk=offer.pk, **{f"{field}__isnull": True}).update(
            **{field: moment, "updated_at": moment}
        )
    )
