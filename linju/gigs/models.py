"""零工市场: short work posted where the workers already gather (a market booth, a 零工驿站, a
家门口就业服务站), the workers who signed in there that day, and who was sent (派工) in which order.

A gig is posted at a place: a service point of a job-service kind (linju/geo ServicePoint) or a
market place on its market day. The order of the candidates is published (gigs/ordering.py); each
dispatch keeps the position the worker held and each worker passed over keeps why."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import MarketPlace, ServicePoint, Town, Village, bureau_key
from linju.people.models import Resident


class WorkType(BaseModel):
    """A kind of work from the district's list (the wage guide prices each)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    heavy = models.BooleanField(_("heavy work"), default=False)

    class Meta:
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PayUnit(models.TextChoices):
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    PIECE = "piece", _("per piece")


class WageGuidePrice(BaseModel):
    """工资指导价位: the bureau's yearly guide price for a kind of work, low, middle and high."""

    bureau = bureau_key()
    year = models.PositiveSmallIntegerField(_("year"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, related_name="guide_prices")
    unit = models.CharField(_("unit"), max_length=5, choices=PayUnit.choices, default=PayUnit.DAY)
    low = models.DecimalField(_("low (低位数)"), max_digits=9, decimal_places=2)
    middle = models.DecimalField(_("middle (中位数)"), max_digits=9, decimal_places=2)
    high = models.DecimalField(_("high (高位数)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("wage guide price")
        verbose_name_plural = _("wage guide prices")
        ordering = ["-year", "work_type__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "year", "work_type", "unit"], name="one_guide_price_per_year_type_unit"
            ),
            models.CheckConstraint(
                condition=Q(low__gt=0) & Q(middle__gte=F("low")) & Q(high__gte=F("middle")),
                name="guide_price_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.work_type} {self.middle}/{self.unit}"


class GigQuerySet(ScopedQuerySet):
    town_path = "town"


class Gig(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    bureau = bureau_key()
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="gigs")
    # where it is posted and the workers gather: exactly one of the two
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="gigs", null=True, blank=True
    )
    market = models.ForeignKey(
        MarketPlace, on_delete=models.PROTECT, related_name="gigs", null=True, blank=True
    )
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, related_name="gigs")
    title = models.CharField(_("what the work is"), max_length=80)
    details = models.CharField(_("details"), max_length=500, blank=True)
    # where the work is done
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="gigs")
    address = models.CharField(_("where exactly"), max_length=120, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    pay = models.DecimalField(_("pay (yuan)"), max_digits=9, decimal_places=2)
    pay_unit = models.CharField(_("pay unit"), max_length=5, choices=PayUnit.choices, default=PayUnit.DAY)
    headcount = models.PositiveSmallIntegerField(_("people needed"), default=1)
    min_age = models.PositiveSmallIntegerField(_("youngest age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    heavy = models.BooleanField(_("heavy work"), default=False)
    tools = models.CharField(_("tools to bring"), max_length=100, blank=True)
    employer_name = models.CharField(_("who pays"), max_length=80)
    contact_name = models.CharField(_("whom to ask"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = GigQuerySet.as_manager()

    class Meta:
        verbose_name = _("gig")
        verbose_name_plural = _("gigs")
        ordering = ["starts_on", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service_point__isnull=True, market__isnull=False)
                | Q(service_point__isnull=False, market__isnull=True),
                name="gig_posted_at_one_place",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="gig_days_ordered"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="gig_hours_ordered"),
            models.CheckConstraint(condition=Q(pay__gt=0), name="gig_pay_positive"),
            models.CheckConstraint(
                condition=Q(headcount__gte=1, headcount__lte=500), name="gig_headcount_range"
            ),
            models.CheckConstraint(condition=Q(min_age__gte=16), name="gig_legal_working_age"),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")), name="gig_age_range"
            ),
        ]
        indexes = [models.Index(fields=["town", "starts_on"], name="gig_town_day")]

    def __str__(self) -> str:
        return self.title


class GigWorkerQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class GigWorker(BaseModel):
    """A resident who takes short work: registered once, then signs in on the days they are free."""

    bureau = bureau_key()
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="gig_worker")
    work_types = models.ManyToManyField(WorkType, related_name="workers", blank=True)
    villages = models.ManyToManyField(
        Village, related_name="gig_workers", verbose_name=_("villages they can reach"), blank=True
    )
    available_from = models.TimeField(_("free from"), default="07:00")
    available_until = models.TimeField(_("free until"), default="18:00")
    accepts_heavy = models.BooleanField(_("heavy work acceptable"), default=False)
    hardship = models.BooleanField(
        _("就业困难 (hard to employ)"), default=False, help_text=_("In a 就业困难人员 category.")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = GigWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("gig worker")
        verbose_name_plural = _("gig workers")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__gt=F("available_from")), name="gig_worker_hours_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(self.resident)


class SignInQuerySet(ScopedQuerySet):
    town_path = "worker__resident__village__town"


class SignIn(models.Model):
    """A worker present and free on a day at a place (签到). One a day a worker; the field app's
    offline sign-ins carry their own reference so a record sent twice is kept once."""

    class Channel(models.TextChoices):
        BOOTH = "booth", _("at the booth")
        STATION = "station", _("at a station")
        FIELD = "field", _("field app")
        ONLINE = "online", _("online")

    bureau = bureau_key()
    worker = models.ForeignKey(GigWorker, on_delete=models.PROTECT, related_name="sign_ins")
    day = models.DateField(_("day"))
    signed_in_at = models.DateTimeField(_("signed in at"))
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    market = models.ForeignKey(MarketPlace, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    client_ref = models.UUIDField(_("reference of the device"), null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = SignInQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["day", "signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "day"], name="one_sign_in_a_day"),
            models.CheckConstraint(
                condition=Q(service_point__isnull=True, market__isnull=False)
                | Q(service_point__isnull=False, market__isnull=True),
                name="sign_in_at_one_place",
            ),
        ]
        indexes = [models.Index(fields=["day", "signed_in_at"], name="sign_in_day_order")]

    def __str__(self) -> str:
        return f"{self.worker} {self.day}"


class DispatchQuerySet(ScopedQuerySet):
    town_path = "gig__town"


class Dispatch(BaseModel):
    """派工: a worker sent to a gig, with the place they held in the published order."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        DONE = "done", _("done")
        NO_SHOW = "no_show", _("did not come")
        CANCELLED = "cancelled", _("cancelled")

    class Paid(models.TextChoices):
        FULL = "full", _("paid in full")
        SHORT = "short", _("paid short")
        UNPAID = "unpaid", _("not paid")

    bureau = bureau_key()
    gig = models.ForeignKey(Gig, on_delete=models.PROTECT, related_name="dispatches")
    worker = models.ForeignKey(GigWorker, on_delete=models.PROTECT, related_name="dispatches")
    sign_in = models.ForeignKey(SignIn, on_delete=models.PROTECT, related_name="dispatches", null=True)
    position = models.PositiveIntegerField(_("place in the order"))
    reasons = models.JSONField(_("why in this place"), default=list)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    slip_texted = models.BooleanField(_("slip texted"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    paid = models.CharField(_("pay received"), max_length=6, choices=Paid.choices, blank=True)
    paid_amount = models.DecimalField(_("amount received (yuan)"), max_digits=9, decimal_places=2, null=True)
    # short or no pay opens a 劳动保障监察 request carrying the gig's record
    inspection_case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="gig_dispatch", null=True, blank=True
    )

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["gig", "position"]
        constraints = [
            models.UniqueConstraint(fields=["gig", "worker"], name="one_dispatch_per_gig_and_worker"),
            models.CheckConstraint(
                condition=Q(paid="") | Q(status="done"), name="dispatch_paid_only_when_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} → {self.gig}"


class PassedOver(models.Model):
    """A worker ahead in the order who was not sent, and why (kept with each dispatch)."""

    bureau = bureau_key()
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="passed_over")
    worker = models.ForeignKey(GigWorker, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("place in the order"))
    reason = models.CharField(_("why passed over"), max_length=200)

    class Meta:
        verbose_name = _("worker passed over")
        verbose_name_plural = _("workers passed over")
        ordering = ["dispatch", "position"]

    def __str__(self) -> str:
        return f"{self.worker}: {self.reason}"
