"""Posting a gig (发布零工): few fields with sensible defaults, so that a cadre at a booth (or an
employer through staff's API key) posts one on a phone in under a minute. The work is a type from the
district's list; where, when, pay and whom to ask are checked here, in words, all at once."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError, ErrorCollector, NotFound
from linju.geo.models import Village
from linju.jobs.services import DISCRIMINATORY, LEGAL_MIN_AGE, MAX_AGE_LIMIT
from linju.people.phones import normalize_phone

from ..models import Gig, PayUnit, WorkType
from ..selectors import place_for_viewer

if TYPE_CHECKING:
    from linju.accounts.models import User

POSTED_AHEAD_DAYS = 60  # a gig is for now: its first day within two months
LONGEST_GIG_DAYS = 92  # a season's picking; longer work is a vacancy (linju/jobs)
MAX_PAY = Decimal("100000")
MAX_HEADCOUNT = 500
DEFAULT_HOURS = (datetime.time(8, 0), datetime.time(17, 0))


def _clean(text: str | None, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


# durable: posting is its own act, from a page or the API
@transaction.atomic(durable=True)
def gig_post(
    *,
    actor: User,
    place: str,
    work_type: str,
    village: str = "",
    title: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    pay: Decimal | int | str,
    pay_unit: str = PayUnit.DAY,
    headcount: int = 1,
    min_age: int = LEGAL_MIN_AGE,
    max_age: int | None = None,
    heavy: bool | None = None,
    tools: str = "",
    employer_name: str,
    contact_name: str = "",
    contact_phone: str,
    address: str = "",
    details: str = "",
    today: datetime.date | None = None,
) -> Gig:
    """A gig at a market or a job-service place of the actor's towns. Defaults: today, 8:00–17:00,
    one person, paid by the day, the work's own heaviness, its type's name as the title, the place's
    town's first village as where; contact name the employer's. A gig that asks for a sex or an
    ethnicity is refused, as vacancies are."""
    require(actor, "gig.post")
    today = today or timezone.localdate()
    checks = ErrorCollector()
    spot = checks.check(place_for_viewer, viewer=actor, value=place)
    kind = WorkType.objects.filter(code=str(work_type)[:30]).first()
    if kind is None:
        checks.errors.append(DomainError(_("Choose the kind of work from the list."), field="work_type"))
    where = None
    if spot is not None:
        villages = Village.objects.visible_to(actor)  # a village of another town is not found either
        where = (
            villages.filter(code=str(village)[:12]).first()
            if village
            else spot.town.villages.order_by("code").first()
        )
        if where is None:
            checks.errors.append(
                NotFound(_("Choose the village of the work from the list."), field="village")
            )
    starts_on = starts_on or today
    ends_on = ends_on or starts_on
    start_time, end_time = start_time or DEFAULT_HOURS[0], end_time or DEFAULT_HOURS[1]
    if starts_on < today:
        checks.errors.append(DomainError(_("The first day cannot be in the past."), field="starts_on"))
    elif starts_on > today + datetime.timedelta(days=POSTED_AHEAD_DAYS):
        checks.errors.append(
            DomainError(
                _("Post a gig at most %(days)d days ahead."),
                params={"days": POSTED_AHEAD_DAYS},
                field="starts_on",
            )
        )
    if ends_on < starts_on:
        checks.errors.append(DomainError(_("The last day comes before the first."), field="ends_on"))
    elif (ends_on - starts_on).days >= LONGEST_GIG_DAYS:
        checks.errors.append(
            DomainError(
                _("A gig lasts at most %(days)d days; post longer work as a vacancy."),
                params={"days": LONGEST_GIG_DAYS},
                field="ends_on",
            )
        )
    if end_time <= start_time:
        checks.errors.append(DomainError(_("The work must end after it starts."), field="end_time"))
    try:
        amount = Decimal(str(pay)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not Decimal(0) < amount <= MAX_PAY:
        checks.errors.append(DomainError(_("Enter the pay in yuan, more than 0."), field="pay"))
    if pay_unit not in PayUnit.values:
        checks.errors.append(DomainError(_("Pay is per day, per hour or per piece."), field="pay_unit"))
    if not 1 <= headcount <= MAX_HEADCOUNT:
        checks.errors.append(
            DomainError(
                _("Between 1 and %(most)d people."), params={"most": MAX_HEADCOUNT}, field="headcount"
            )
        )
    if min_age < LEGAL_MIN_AGE:
        checks.errors.append(
            DomainError(
                _("Nobody under 16 may be employed (Labour Law, article 15)."),
                field="min_age",
                code="under_age",
            )
        )
    if max_age is not None and not min_age <= max_age <= MAX_AGE_LIMIT:
        checks.errors.append(
            DomainError(_("The maximum age must be between the minimum age and 70."), field="max_age")
        )
    title = _clean(title, 80) or (kind.name if kind else "")
    details, tools, address = _clean(details, 500), _clean(tools, 100), _clean(address, 120)
    if DISCRIMINATORY.search(f"{title} {details} {tools}"):
        checks.errors.append(
            DomainError(
                _(
                    "A gig may not ask for a sex or an ethnicity: the Employment Promotion Law (就业促进法, articles 3, 27 and 28) forbids it. Describe the work instead."
                ),
                field="details",
                code="discriminatory",
            )
        )
    employer_name = _clean(employer_name, 80)
    if not employer_name:
        checks.errors.append(DomainError(_("Say who pays for the work."), field="employer_name"))
    phone = checks.check(normalize_phone, contact_phone)
    if phone is None and checks.errors and checks.errors[-1].field == "phone":
        checks.errors[-1].field = "contact_phone"
    checks.raise_if_any()
    return Gig.objects.create(
        bureau_id=spot.town.bureau_id,
        town=spot.town,
        market=spot.market,
        service_point=spot.service_point,
        work_type=kind,
        title=title,
        details=details,
        village=where,
        address=address,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        pay=amount,
        pay_unit=pay_unit,
        headcount=headcount,
        min_age=min_age,
        max_age=max_age,
        heavy=kind.heavy if heavy is None else heavy,
        tools=tools,
        employer_name=employer_name,
        contact_name=_clean(contact_name, 40) or employer_name[:40],
        contact_phone=phone,
        posted_by=actor,
    )
