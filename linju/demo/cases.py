"""Synthetic cases for the demo: seeded, spread over the last 60 days, across towns, channels and
every state, so that each list and page has something true to show. Idempotent: each case has the
idempotency key demo-<n>, and a case that exists is left alone."""

from __future__ import annotations

import datetime
import decimal
import random

from django.db import transaction
from django.utils import timezone

from linju.accounts.models import User
from linju.cases.models import Case, FollowUp, Rating
from linju.cases.services import (
    Intake,
    Outcome,
    appeal_file,
    callback_record_call,
    callback_rectify,
    case_accept_within,
    case_move_within,
    case_rate_by_resident,
)
from linju.catalog.models import Channel, Delegation, ServiceItem
from linju.core.errors import DomainError
from linju.core.pdf import papers_ahead_paused
from linju.geo.models import MarketPlace, ServicePoint, Town
from linju.outreach.models import BoothSession
from linju.people.models import Resident
from linju.workdays.selectors import add_working_days

SPAN_DAYS = 60


def _staff_for(town: Town) -> tuple[User, User]:
    """(who takes cases in the town, district staff of its bureau)."""
    district = (
        User.objects.filter(role=User.Role.DISTRICT_STAFF, bureau=town.bureau, is_active=True)
        .order_by("pk")
        .first()
    )
    cadre = (
        User.objects.filter(role=User.Role.TOWNSHIP_CADRE, towns=town, is_active=True).order_by("pk").first()
    )
    return cadre or district, district


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
    )


@papers_ahead_paused()  # back-dated cases: nobody prints their papers now
def load_cases(count: int, *, seed: int, today: datetime.date | None = None) -> int:
    rng = random.Random(seed + 7)
    booth_rng = random.Random(seed + 11)  # its own draws: the rest of the demo stays as it was
    today = today or timezone.localdate()
    towns = list(Town.objects.select_related("bureau").order_by("code"))
    pilot = [t for t in towns if t.name in ("永新镇", "东溪镇")]
    applicants_of: dict[int, list[int]] = {}
    booth_days_of: dict[int, list[tuple[str, datetime.date]]] = {}
    created = 0
    for index in range(count):
        key = f"demo-{index}"
        if Case.objects.filter(idempotency_key=key).exists():
            continue
        town = rng.choice(pilot) if rng.random() < 0.4 else rng.choice(towns)
        if town.pk not in applicants_of:  # read once per town: a sorted read of a town's people
            applicants_of[town.pk] = list(
                Resident.objects.filter(village__town=town).values_list("pk", flat=True)[:200]
            )
        applicants = applicants_of[town.pk]
        if not applicants:
            continue
        taker, district = _staff_for(town)
        if taker is None or district is None:
            continue
        delegations = list(Delegation.objects.filter(town=town).select_related("item"))
        day = today - datetime.timedelta(days=rng.randrange(SPAN_DAYS))
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        if delegations and rng.random() < 0.85:
            delegation = rng.choice(delegations)
            item = delegation.item
            channels = [c for c in item.channels if c != Channel.ONLINE] or [Channel.COUNTER]
            channel = rng.choice(channels)
            intake = Intake(
                item_code=item.code, channel=channel, applicant_id=rng.choice(applicants), idempotency_key=key
            )
            if channel == Channel.COUNTER:
                intake.service_point_code = f"station-{town.code}"
            elif channel == Channel.BOOTH:
                # a market-day request is taken on a day the town's booth was out, at its market
                if town.pk not in booth_days_of:
                    booth_days_of[town.pk] = list(
                        BoothSession.objects.filter(
                            market__town=town,
                            date__range=(
                                today - datetime.timedelta(days=SPAN_DAYS),
                                today - datetime.timedelta(days=1),
                            ),
                        )
                        .exclude(status=BoothSession.Status.CANCELLED)
                        .order_by("date", "market__code")
                        .values_list("market__code", "date")
                    )
                if booth_days_of[town.pk]:
                    intake.market_code, day = booth_rng.choice(booth_days_of[town.pk])
                else:
                    intake.market_code = MarketPlace.objects.filter(town=town).order_by("?").first().code
            elif channel == Channel.HOME_VISIT:
                intake.village_code = Resident.objects.get(pk=intake.applicant_id).village.code
        else:
            item = ServiceItem.objects.exclude(delegations__town=town).order_by("?").first()
            hall = ServicePoint.objects.filter(kind="district_hall", bureau=town.bureau).first()
            if item is None or hall is None:
                continue
            taker = district
            intake = Intake(
                item_code=item.code,
                channel=Channel.COUNTER,
                service_point_code=hall.code,
                applicant_id=rng.choice(applicants),
                idempotency_key=key,
            )
        materials = list(item.materials.values_list("name", flat=True))
        intake.materials_received = [m for m in materials if rng.random() < 0.9]
        try:
            with transaction.atomic():
                taken_at = _at(day, rng)
                case = case_accept_within(actor=taker, intake=intake, now=taken_at)
                rating = _progress(case, taker, district, taken_at, today, rng)
        except DomainError:
            continue  # a combination the rules refuse is simply not part of the demo
        if rating is not None:  # the resident's rating is a transaction of its own, after the case's
            _finisher, level = rating
            phone = case.applicant_phone or case.applicant.phone
            try:
                case_rate_by_resident(
                    number=case.number, phone_last4=phone[-4:], level=level, comment="评价(演示)"
                )
            except DomainError:
                pass  # no phone to look the case up with: not rated
        created += 1
    _callbacks_worked(today)
    return created


def _an_appeal_where_no_callback_waits(waiting) -> set[int]:
    """A bureau whose demo holds no 差评 callback waiting still shows an appeal, against a 差评 (only a
    差评 can be appealed, `rating_appealable`): its lowest one, else one of its finished cases rated
    不满意 now through the resident's own service (its callback opened as any), appealed as mistaken by
    the staff member rated. The bureaus appealed in."""
    with_callbacks, appealed = set(waiting.values_list("bureau_id", flat=True)), set()
    for bureau_id in sorted(
        set(Case.objects.exclude(bureau_id__in=with_callbacks).values_list("bureau_id", flat=True))
    ):
        rating = (
            Rating.objects.filter(
                bureau_id=bureau_id,
                level__lte=Rating.Level.UNSATISFIED,
                set_aside_at=None,
                rated_staff__isnull=False,
            )
            .exclude(rated_staff__role=User.Role.LEADER)
            .order_by("level", "pk")
            .first()
        )
        if rating is None:
            rating = _rated_unsatisfied(bureau_id)
        if (
            rating is not None
            and rating.rated_staff is not None
            and rating.rated_staff.role != User.Role.LEADER
        ):
            appeal_file(
                actor=rating.rated_staff,
                rating_id=rating.pk,
                ground="mistaken",
                reason="评价的是其他窗口(演示)",
            )
            appealed.add(bureau_id)
    return appealed


def _rated_unsatisfied(bureau_id: int) -> Rating | None:
    """A finished, unrated case of the bureau rated 不满意 by its resident (demo), or None."""
    for case in (
        Case.objects.filter(bureau_id=bureau_id, status=Case.Status.FINISHED, rating__isnull=True)
        .select_related("applicant")
        .order_by("pk")[:20]
    ):
        phone = case.applicant_phone or case.applicant.phone
        if not phone:
            continue
        try:
            rating = case_rate_by_resident(
                number=case.number,
                phone_last4=phone[-4:],
                level=Rating.Level.UNSATISFIED,
                comment="评价(演示)",
            )
        except DomainError:
            continue
        if rating.rated_staff is not None and rating.rated_staff.role != User.Role.LEADER:
            return rating
    return None


def _callbacks_worked(today: datetime.date) -> None:
    """Some of the demo's callbacks worked, so each state shows: of every four open ones, one called
    and explained (the result texted), one called and listed with a deadline, one called with the
    rectification still to decide, one left waiting; the first of each bureau appealed by the staff
    member rated.
    Idempotent: once any is worked, none more."""
    if FollowUp.objects.filter(rating__isnull=False).exclude(status=FollowUp.Status.OPEN).exists():
        return
    waiting = FollowUp.objects.filter(rating__isnull=False, status=FollowUp.Status.OPEN).order_by("pk")
    appealed = _an_appeal_where_no_callback_waits(waiting)  # one appeal in each bureau
    for index, callback in enumerate(waiting.select_related("assigned_to", "rating__rated_staff")):
        step = index % 4
        rated = callback.rating.rated_staff
        if callback.bureau_id not in appealed and rated is not None and rated.role != User.Role.LEADER:
            appealed.add(callback.bureau_id)
            # the staff member rated appeals the first as mistaken: waiting for someone else's decision
            appeal_file(
                actor=rated, rating_id=callback.rating_id, ground="mistaken", reason="评价的是其他窗口(演示)"
            )
        if step == 3:
            continue
        actor = callback.assigned_to
        callback_record_call(
            actor=actor, follow_up_id=callback.pk, resident_said="群众反映等待时间较长(演示)"
        )
        if step == 0:
            callback_rectify(
                actor=actor,
                follow_up_id=callback.pk,
                way="explained",
                rectification="已向群众说明办理时限(演示)",
            )
        elif step == 1:
            callback_rectify(
                actor=actor,
                follow_up_id=callback.pk,
                way="deadline",
                rectification="办事材料清单上墙公示(演示)",
                rectify_by=today + datetime.timedelta(days=14),
            )


def _outcome(case: Case, rng: random.Random) -> Outcome:
    """Most requests are granted; a few refused by the item's rule, with the reason in plain words."""
    if rng.random() < 0.08:
        return Outcome(
            kind=Case.Outcome.REFUSED,
            detail="经核实,不符合办理条件(演示数据),可到服务所咨询其他政策",
            rule=(case.item.legal_basis or case.item.name)[:200],
        )
    amount = decimal.Decimal(rng.randrange(500, 5001, 100)) if case.item.code.startswith("AS-") else None
    return Outcome(kind=Case.Outcome.GRANTED, detail="已按规定办理(演示数据)", amount=amount)


def _progress(
    case: Case,
    taker: User,
    district: User,
    taken_at: datetime.datetime,
    today: datetime.date,
    rng: random.Random,
) -> tuple[User, int] | None:
    """Move the case along a plausible path, never into the future, each step after the one before
    (a step on the same day comes minutes after it, never earlier in the morning); the rating of the
    phone call after it is finished (who called, the level), when there is one."""
    day, last = taken_at.date(), taken_at

    def step(action, after_days, actor, **kwargs):
        nonlocal day, last
        day = add_working_days(day, after_days).date
        if day > today:
            return False
        when = _at(day, rng)
        if when <= last:
            when = last + datetime.timedelta(minutes=20)  # (no draw: the rest of the demo is unchanged)
        case_move_within(actor=actor, number=case.number, action=action, now=when, **kwargs)
        last = when
        return True

    roll = rng.random()
    if roll < 0.15:
        return  # still just accepted (some of these are overdue)
    if case.item.time_limit_days == 0:
        step("finish", 0, taker, outcome=_outcome(case, rng))
    elif roll < 0.25:
        step(
            "suspend",
            1,
            taker,
            missing=["补充材料:" + rng.choice(["诊断证明", "收入证明", "解除劳动合同证明", "银行账户"])],
        )
    elif roll < 0.32:
        step("return", 1, taker, reason="不符合办理条件(演示数据),可到服务所咨询其他政策")
    else:
        mode = (
            Delegation.objects.filter(item=case.item, town=case.town).values_list("mode", flat=True).first()
        )
        finisher = taker
        if case.level == Case.Level.TOWN and mode == Delegation.Mode.ACCEPT_FORWARD:
            if not step("forward", rng.randrange(0, 2), taker):
                return
            finisher = district
        elif case.level == Case.Level.DISTRICT:
            finisher = district
        if rng.random() < 0.5 and not step("start", 0, finisher):
            return
        if rng.random() < 0.25 and not step("suspend", 1, finisher, missing=["补充材料:收入证明"]):
            return
        if (
            case.status == Case.Status.SUSPENDED
            or Case.objects.get(pk=case.pk).status == Case.Status.SUSPENDED
        ):
            if not step("resume", rng.randrange(1, 6), finisher):
                return
        late = rng.random() < 0.1
        limit = max(case.item.time_limit_days, 1)
        after = rng.randrange(1, limit + 1) + (limit if late else 0)
        if step("finish", after, finisher, note="办结(演示)", outcome=_outcome(case, rng)):
            if rng.random() < 0.6:
                level = rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 10, 5, 2])[0]
                return finisher, level
    return None
