"""Reads of 好差评: the callbacks of a viewer's towns (open, overdue, done), appeals waiting for a
decision, the ratings of one's own work, and the figures — 实名差评回访率 (aim 100 %), 整改率, overdue
callbacks by town — for the dashboard, the workbook and the public page (no names there)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import NotFound

from .models import Appeal, FollowUp, Rating

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.geo.models import Town

CALLBACK_LISTS = ("open", "overdue", "rectifying", "done")


def callbacks(*, viewer: User, which: str = "open", today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """The callbacks (follow-ups a 差评 opened) of the viewer's towns: waiting for the call (`open`),
    past their due date uncalled (`overdue`), listed for rectification (`rectifying`), or done."""
    require(viewer, "case.read")
    today = today or timezone.localdate()
    rows = (
        FollowUp.objects.all()
        .visible_to(viewer)
        .filter(rating__isnull=False)
        .select_related("town", "case", "rating", "rating__item", "assigned_to")
    )
    if which == "overdue":
        rows = rows.filter(status=FollowUp.Status.OPEN, due_on__lt=today)
    elif which == "rectifying":
        rows = rows.filter(status=FollowUp.Status.RECTIFYING)
    elif which == "done":
        rows = rows.filter(status=FollowUp.Status.RECTIFIED)
    else:
        rows = rows.filter(status__in=[FollowUp.Status.OPEN, FollowUp.Status.CALLED])
    return rows.order_by("due_on", "pk") if which != "done" else rows.order_by("-rectified_at", "-pk")


def callback_get(*, viewer: User, follow_up_id: int) -> FollowUp:
    require(viewer, "case.read")
    follow_up = (
        FollowUp.objects.all()
        .visible_to(viewer)
        .filter(pk=follow_up_id, rating__isnull=False)
        .select_related(
            "town", "case", "rating", "rating__item", "rating__rated_staff", "assigned_to", "called_by"
        )
        .first()
    )
    if follow_up is None:
        raise NotFound(_("No such callback."))
    return follow_up


def overdue_callbacks_by_town(
    *, viewer: User, today: datetime.date | None = None, town: Town | None = None
) -> list[tuple[str, str, int]]:
    """(town code, town name, callbacks past their due date and not yet made), most first."""
    today = today or timezone.localdate()
    rows = (
        FollowUp.objects.all()
        .visible_to(viewer)
        .filter(rating__isnull=False, status=FollowUp.Status.OPEN, due_on__lt=today)
    )
    if town is not None:
        rows = rows.filter(town=town)
    counted = (
        rows.values_list("town__code", "town__name").annotate(n=Count("pk")).order_by("-n", "town__code")
    )
    return [(code, name, n) for code, name, n in counted]


def appeals_waiting(*, viewer: User) -> QuerySet[Appeal]:
    """Appeals against ratings in the viewer's towns, waiting for a decision (not the viewer's own)."""
    return (
        Appeal.objects.all()
        .visible_to(viewer)
        .filter(status=Appeal.Status.PENDING)
        .exclude(appellant=viewer)
        .select_related("rating", "rating__town", "rating__item", "appellant")
    )


def ratings_of_my_work(*, viewer: User, limit: int = 30) -> list[Rating]:
    """The latest ratings of the viewer's own work (to appeal a mistaken or malicious one)."""
    return list(
        Rating.objects.filter(rated_staff=viewer, bureau_id=viewer.bureau_id)
        .select_related("case", "consultation", "item", "town")
        .prefetch_related("appeals")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class RatingFigures:
    """The 好差评 figures of a set of ratings (those set aside on appeal left out)."""

    ratings: int
    bad: int  # 差评: the bottom two levels
    named_bad: int  # 实名差评: the denominator of both rates
    called_back: int
    rectified: int

    @property
    def callback_rate(self) -> float | None:
        """实名差评回访率, in per cent (the rules ask for 100)."""
        return round(100 * self.called_back / self.named_bad, 1) if self.named_bad else None

    @property
    def rectification_rate(self) -> float | None:
        """整改率, in per cent: named 差评 whose rectification is done."""
        return round(100 * self.rectified / self.named_bad, 1) if self.named_bad else None


def rating_figures(ratings: QuerySet[Rating]) -> RatingFigures:
    """One query: the counts behind the two rates."""
    counted = ratings.filter(set_aside_at__isnull=True).aggregate(
        ratings=Count("pk"),
        bad=Count("pk", filter=Q(level__lte=Rating.Level.UNSATISFIED)),
        named_bad=Count("pk", filter=Q(level__lte=Rating.Level.UNSATISFIED, named=True)),
        called_back=Count(
            "pk",
            filter=Q(level__lte=Rating.Level.UNSATISFIED, named=True, callback__called_at__isnull=False),
        ),
        rectified=Count(
            "pk",
            filter=Q(
                level__lte=Rating.Level.UNSATISFIED, named=True, callback__status=FollowUp.Status.RECTIFIED
            ),
        ),
    )
    return RatingFigures(**counted)


def ratings_in(*, viewer: User, start: datetime.datetime, end: datetime.datetime, town: Town | None = None):
    """The ratings of the viewer's towns given in [start, end)."""
    rows = Rating.objects.all().visible_to(viewer).filter(created_at__gte=start, created_at__lt=end)
    return rows.filter(town=town) if town is not None else rows


@dataclass(frozen=True)
class PublicRow:
    month: datetime.date
    town: str
    item: str
    ratings: int
    levels: tuple[int, int, int, int, int]  # 非常满意 … 非常不满意
    figures: RatingFigures

    @property
    def good_share(self) -> float | None:
        """满意率: the top three levels' share, in per cent."""
        return round(100 * sum(self.levels[:3]) / self.ratings, 1) if self.ratings else None


def public_monthly_figures(*, months: int = 12, today: datetime.date | None = None) -> list[PublicRow]:
    """Every bureau's ratings of the last `months` months by month, town and item: counts by
    level, the callback and rectification rates. Numbers only: no person, no staff member, no case."""
    today = today or timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)  # this month and the `months - 1` before it
    first = datetime.date(back // 12, back % 12 + 1, 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    bad = Q(level__lte=Rating.Level.UNSATISFIED, named=True)
    counted = (
        Rating.objects.filter(created_at__gte=start, set_aside_at__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "town_id", "town__name", "item__name")  # a town by its id: names repeat
        .annotate(
            n=Count("pk"),
            l5=Count("pk", filter=Q(level=5)),
            l4=Count("pk", filter=Q(level=4)),
            l3=Count("pk", filter=Q(level=3)),
            l2=Count("pk", filter=Q(level=2)),
            l1=Count("pk", filter=Q(level=1)),
            named_bad=Count("pk", filter=bad),
            called=Count("pk", filter=bad & Q(callback__called_at__isnull=False)),
            rectified=Count("pk", filter=bad & Q(callback__status=FollowUp.Status.RECTIFIED)),
        )
        .order_by("-month", "town__name", "item__name")
    )
    rows = []
    for month, _town_id, town, item, n, l5, l4, l3, l2, l1, named_bad, called, rectified in counted:
        day = month.date() if isinstance(month, datetime.datetime) else month
        rows.append(
            PublicRow(
                month=day,
                town=town,
                item=item or str(_("general question")),
                ratings=n,
                levels=(l5, l4, l3, l2, l1),
                figures=RatingFigures(n, l2 + l1, named_bad, called, rectified),
            )
        )
    return rows


def months_of(rows: list[PublicRow]) -> dict[datetime.date, list[PublicRow]]:
    grouped: dict[datetime.date, list[PublicRow]] = defaultdict(list)
    for row in rows:
        grouped[row.month].append(row)
    return dict(grouped)
