"""Writes of the retirement app: a woman's former retirement age, the roster's audit record, and the
one text each person gets a year before retiring."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.audit.events import residents_listed_event
from linju.core.errors import DomainError
from linju.core.request_context import RequestContext
from linju.notify.sms import can_receive_texts, send_sms
from linju.people.models import Resident
from linju.people.selectors import resident_get_for_viewer

from .calculator import age_words, applications_open, month_words
from .law import Retirement, month_index
from .models import FormerRetirementAge, RetirementNotice
from .selectors import ROSTER_MONTHS, RosterTown, residents_retiring, retirement_of

if TYPE_CHECKING:
    from linju.accounts.models import User

TEXT_PURPOSE = "retirement_ahead"


@transaction.atomic(durable=True)
def former_age_record(
    *, actor: User, resident_id: int, former_age: int, basis: str = ""
) -> FormerRetirementAge:
    """Record a resident's former retirement age: men 60; women 50 (workers) or 55 (cadres, and women
    in managerial or technical posts)."""
    require(actor, "resident.register")
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    allowed = (60,) if resident.sex == Resident.Sex.MALE else (50, 55)
    if former_age not in allowed:
        raise DomainError(
            _("A man's former retirement age is 60.")
            if resident.sex == Resident.Sex.MALE
            else _("A woman's former retirement age is 50 or 55."),
            field="former_age",
        )
    record, _created = FormerRetirementAge.objects.update_or_create(
        resident=resident,
        defaults={
            "bureau_id": resident.bureau_id,
            "former_age": former_age,
            "basis": basis.strip()[:100],
            "recorded_by": actor,
        },
    )
    return record


def retirement_roster_seen(*, viewer: User, towns: list[RosterTown], context: RequestContext) -> None:
    """The people a roster page showed, recorded as seen: one audit event a bureau and page.
    Not durable: an audit row, written in the request's own transaction."""
    by_bureau: dict[int, list[int]] = {}
    for town in towns:
        for row in town.rows:
            by_bureau.setdefault(town.bureau_id, []).append(row.resident_id)
    for bureau_id, resident_ids in by_bureau.items():
        residents_listed_event(
            actor=viewer,
            bureau_id=bureau_id,
            resident_ids=resident_ids,
            what="retirement_roster",
            context=context,
        )


def retirement_text(
    retirement: Retirement, *, bureau_id: int, this_month: tuple[int, int]
) -> tuple[str, dict[str, str]]:
    """The text a year before retiring, in Chinese, and its template's variables: applications open
    when the person's bureau says (`applications_open`), or "now" when that month has come or the
    bureau sets no wait."""
    opens = applications_open(retirement, bureau_id=bureau_id)
    with translation.override("zh-hans"):
        values = {
            "month": month_words(retirement.month),
            "age": str(age_words(retirement.age)),
            "opens": (
                month_words(opens)
                if opens is not None and month_index(*opens) > month_index(*this_month)
                else str(_("now"))
            ),
            "link": settings.LINJU_PUBLIC_URL + reverse("retirement"),
        }
        text = (
            str(
                _(
                    "[Qijiang HRSS] You reach the statutory retirement age (%(age)s) in %(month)s. From "
                    "%(opens)s you can apply for retirement at your station, once, with one set of "
                    "papers. Details: %(link)s"
                )
            )
            % values
        )
    return text, values


def retirement_texts_send(*, today: datetime.date | None = None) -> int:
    """A text to each resident with a mobile whose statutory retirement month is one to twelve months
    ahead: once per person, ever, however often and from however many schedulers this runs (each is
    claimed by its RetirementNotice row, unique per resident, before the gateway is asked).

    Not one transaction (a job, run outside any): each claim commits on its own, so a text that went
    out is never rolled back into one to send again, and one that fails leaves the others sent."""
    today = today or timezone.localdate()
    this_month = month_index(today.year, today.month)
    sent = 0
    people = (
        residents_retiring(today=today, months=ROSTER_MONTHS)
        .filter(retirement_notice__isnull=True)
        .exclude(phone="")
        .order_by("pk")
    )
    for person in people.iterator(chunk_size=500):
        if not can_receive_texts(person.phone):
            continue
        retirement = retirement_of(person)
        if not 1 <= month_index(*retirement.month) - this_month <= ROSTER_MONTHS:
            continue
        try:
            with transaction.atomic():
                RetirementNotice.objects.create(
                    bureau_id=person.bureau_id,
                    resident=person,
                    retirement_month=datetime.date(*retirement.month, 1),
                    phone=person.phone,
                )
        except IntegrityError:
            continue  # another scheduler has this person
        text, values = retirement_text(
            retirement, bureau_id=person.bureau_id, this_month=(today.year, today.month)
        )
        if send_sms(
            bureau_id=person.bureau_id,
            phone=person.phone,
            text=text,
            purpose=TEXT_PURPOSE,
            reference=f"retire-{person.pk}",
            params=values,
        ):
            sent += 1
    return sent
