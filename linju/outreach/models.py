import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.cases.models import Case
from linju.catalog.models import ServiceItem
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import MarketPlace, ServicePoint, Town, Village, bureau_key
from linju.people.models import Resident


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class TownOutreach(BaseModel):
    """How a town goes to its people: whether its booth days are planned from the market cycles,
    and how often every village must be visited."""

    town = models.OneToOneField(Town, on_delete=models.CASCADE, related_name="outreach")
    plans_booths = models.BooleanField(_("booth days planned from market cycles"), default=False)
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit every village at least every (days)"), default=60
    )

    class Meta:
        verbose_name = _("town outreach rule")
        verbose_name_plural = _("town outreach rules")
        constraints = [
            models.CheckConstraint(condition=Q(visit_every_days__gte=1), name="visit_interval_positive")
        ]

    def __str__(self) -> str:
        return str(self.town)


class StaffOutreach(BaseModel):
    """A member of staff's limit of booth days and the private token of their calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreach")
    booth_days_per_month = models.PositiveSmallIntegerField(_("booth days per month at most"), default=8)
    calendar_token = models.CharField(max_length=40, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("staff outreach settings")
        verbose_name_plural = _("staff outreach settings")

    def __str__(self) -> str:
        return str(self.user)


# A market-day booth's hours: markets meet in the morning.
BOOTH_HOURS = (datetime.time(8, 0), datetime.time(12, 0))


class BoothSessionQuerySet(ScopedQuerySet):
    town_path = "market__town"


class BoothSession(BaseModel):
    """干部赶场日: staff at a booth on a market day."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    market = models.ForeignKey(MarketPlace, on_delete=models.PROTECT, related_name="booth_sessions")
    date = models.DateField(_("date"), db_index=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="booth_sessions", verbose_name=_("staff on duty")
    )
    items = models.ManyToManyField(
        ServiceItem, related_name="booth_sessions", verbose_name=_("items offered"), blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BoothSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("booth day")
        verbose_name_plural = _("booth days")
        ordering = ["date", "market__name"]
        constraints = [models.UniqueConstraint(fields=["market", "date"], name="one_booth_per_market_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.market}"


class ConsultationQuerySet(ScopedQuerySet):
    town_path = "town"


class Consultation(models.Model):
    """A question asked at a market-day booth or at a counter (a township station's or the district
    hall's): answered there, or (at a booth) turned into a case. Its town is written when it is
    logged, as a case's is: the booth's market's, the station's, or, at the district hall, the
    person's (else the hall's own), so that it is scoped and its rating counted by one path."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered on the spot")
        CASE = "case", _("turned into a case")

    bureau = bureau_key()
    booth = models.ForeignKey(
        BoothSession, on_delete=models.CASCADE, null=True, blank=True, related_name="consultations"
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("counter"),
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("town")
    )
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topic")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="consultation"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    # a device's key for a consultation logged offline: sent twice, it is logged once
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    # the code on the slip handed to the person: they rate the visit with it (一次一评)
    slip_code = models.CharField(_("slip code"), max_length=10, null=True, blank=True, unique=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booth__isnull=False, service_point__isnull=True)
                | Q(booth__isnull=True, service_point__isnull=False),
                name="consultation_at_a_booth_or_a_counter",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="case") | Q(case__isnull=False), name="consultation_case_linked"
            ),
            models.UniqueConstraint(
                fields=["bureau", "idempotency_key"], name="consultation_idempotency_key_per_bureau"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booth or self.service_point} {self.item or self.note}"


class VisitRecordQuerySet(ScopedQuerySet):
    town_path = "village__town"


class VisitRecord(BaseModel):
    """串门: a visit to a village."""

    bureau = bureau_key()
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"), db_index=True)
    cadres = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("cadres"))
    households_met = models.PositiveSmallIntegerField(_("households met"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # the field app's key for a visit recorded offline: sent twice, recorded once
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001

    objects = VisitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("village visit")
        verbose_name_plural = _("village visits")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "idempotency_key"], name="visit_idempotency_key_per_bureau"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.village}"


class VisitNeed(BaseModel):
    """Something a villager raised: closed on the spot, turned into a case, or followed up by a date."""

    class Outcome(models.TextChoices):
        CLOSED = "closed", _("closed on the spot")
        CASE = "case", _("turned into a case")
        FOLLOW_UP = "follow_up", _("follow-up")

    bureau = bureau_key()
    visit = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="needs")
    description = models.CharField(_("what was raised"), max_length=300)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True)
    due_date = models.DateField(_("follow up by"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("need raised")
        verbose_name_plural = _("needs raised")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="follow_up") | Q(due_date__isnull=False), name="follow_up_has_due_date"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="case") | Q(case__isnull=False), name="need_case_linked"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class HomeTaskQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class HomeTask(BaseModel):
    """A service brought to someone's home."""

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", _("pension qualification certification by fingerprint")
        MEDICAL_HELP = "medical_help", _("help with medical reimbursement")
        OTHER = "other", _("other")

    class AskedVia(models.TextChoices):
        PHONE = "phone", _("phone call")
        VISIT = "visit", _("village visit")
        BOOTH = "booth", _("market-day booth")
        ROSTER = "roster", _("certification roster")
        DISCOVERY = "discovery", _("found by discovery (never applied)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    bureau = bureau_key()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="home_tasks")
    asked_via = models.CharField(_("asked via"), max_length=10, choices=AskedVia.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="home_tasks", null=True, blank=True
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    result = models.TextField(_("result"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    certification_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # what to bring or tell: the item (a discovery hit's, a phone request's), the case it serves,
    # and where the house is when the village name is not enough
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="home_tasks"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=500)

    objects = HomeTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("home task")
        verbose_name_plural = _("home tasks")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="home_task_done_has_date"
            ),
            models.UniqueConstraint(
                fields=["resident", "certification_year"],
                condition=Q(certification_year__isnull=False),
                name="one_certification_task_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.resident}"


class PensionerQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class Pensioner(BaseModel):
    """A resident who receives a pension and must confirm their qualification once a year."""

    bureau = bureau_key()
    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="pensioner")
    cannot_travel = models.BooleanField(_("cannot travel"), default=False)

    objects = PensionerQuerySet.as_manager()

    class Meta:
        verbose_name = _("pensioner")
        verbose_name_plural = _("pensioners")

    def __str__(self) -> str:
        return str(self.resident)


class SignOfLifeQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class SignOfLife(BaseModel):
    """A fact from another system that shows the person alive on a day (生存迹象): a medical
    reimbursement settled, a bank or social-security-card event. Imported from a workbook (the
    demo's are synthetic and say so). A visit recorded in Linju itself is a sign too, but it is not
    copied here: it is read from Linju's own records when pensioners are certified by data.

    Kept in outreach, beside the certification it serves: the facts are brought in for that one
    purpose (PIPL: no more than the purpose needs), and only outreach reads them."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("met in person by Linju's staff (booth, village visit, home task)")
        MEDICAL = "medical", _("medical reimbursement")
        BANK = "bank", _("bank account event")
        CARD = "card", _("social security card event")

    class Source(models.TextChoices):
        IMPORT = "import", _("imported")
        LINJU = "linju", _("Linju's own records")

    bureau = bureau_key()
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="signs_of_life")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    # where the fact came from, in the words of the file (医保结算系统 2026-11, 农商行)
    source_note = models.CharField(_("where from"), max_length=100, blank=True)
    is_synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SignOfLifeQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign of life")
        verbose_name_plural = _("signs of life")
        constraints = [
            models.UniqueConstraint(fields=["resident", "kind", "date"], name="one_sign_a_kind_a_day"),
            # Linju's own visits are read where they are recorded, never stored here
            models.CheckConstraint(
                condition=Q(source="import") & ~Q(kind="visit"), name="sign_of_life_stored_is_imported"
            ),
        ]
        indexes = [models.Index(fields=["date", "resident"], name="sign_of_life_by_date")]

    def __str__(self) -> str:
        return f"{self.resident} {self.get_kind_display()} {self.date}"


class CertificationRun(BaseModel):
    """One certification by data: which year and period, started by whom (a member of staff with
    the button, or nobody: the nightly job), over which bureau, and how many it certified."""

    bureau = models.ForeignKey(
        "geo.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # none: the nightly job, over every bureau
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pensioners_checked = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certification by data")
        verbose_name_plural = _("certifications by data")
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="run_period_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.period_start}–{self.period_end}"


class Certification(BaseModel):
    """This year's pension qualification certification of one pensioner: in person (by whom), or by
    data (which sign of life, its day and source, and the run that found it)."""

    class Method(models.TextChoices):
        STATION = "station", _("at the station")
        HOME_VISIT = "home_visit", _("fingerprint at home")
        REMOTE = "remote", _("remotely (phone app, face recognition)")
        DATA = "data", _("by data: a sign of life in the period")

    bureau = bureau_key()
    pensioner = models.ForeignKey(Pensioner, on_delete=models.CASCADE, related_name="certifications")
    year = models.PositiveSmallIntegerField(_("year"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    certified_on = models.DateField(_("certified on"))
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    # by data: the sign of life it rests on, as it was when the run read it
    run = models.ForeignKey(
        CertificationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="certifications"
    )
    sign_kind = models.CharField(
        _("sign of life"), max_length=10, choices=SignOfLife.Kind.choices, blank=True
    )
    sign_on = models.DateField(_("sign dated"), null=True, blank=True)
    sign_source = models.CharField(_("sign from"), max_length=120, blank=True)
    sign_synthetic = models.BooleanField(_("synthetic (demo)"), default=False)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(fields=["pensioner", "year"], name="one_certification_a_year"),
            models.CheckConstraint(
                condition=~Q(method="data") | Q(run__isnull=False, sign_on__isnull=False) & ~Q(sign_kind=""),
                name="certification_by_data_names_its_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pensioner} {self.year}"


class LeaderQuota(BaseModel):
    """长效机制: how many towns and industrial-park enterprises a leader visits in a quarter."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    towns = models.PositiveSmallIntegerField(_("towns to visit"), default=4)
    enterprises = models.PositiveSmallIntegerField(_("enterprises to visit"), default=2)

    class Meta:
        verbose_name = _("leader's visit quota")
        verbose_name_plural = _("leaders' visit quotas")
        constraints = [
            models.UniqueConstraint(fields=["leader", "year", "quarter"], name="one_quota_a_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.year}Q{self.quarter}"


class LeaderVisitQuerySet(ScopedQuerySet):
    town_path = "town"


class LeaderVisit(BaseModel):
    class Kind(models.TextChoices):
        TOWN = "town", _("town")
        ENTERPRISE = "enterprise", _("industrial-park enterprise")

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leader_visits"
    )
    kind = models.CharField(_("visited"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="leader_visits")
    enterprise = models.CharField(_("enterprise"), max_length=100, blank=True)
    employer = models.ForeignKey(
        "jobs.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader_visits",
        verbose_name=_("employer on record"),
        help_text=_("Links the visit's findings to the employer's vacancies."),
    )
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow up by"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    objects = LeaderVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader's visit")
        verbose_name_plural = _("leaders' visits")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | ~Q(enterprise=""), name="enterprise_visit_names_it"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.leader} {self.enterprise or self.town}"


class BoothReminder(BaseModel):
    """A resident who asked for a text the day before a booth near their village: when, and where
    they asked (recorded by the cadre who heard it); withdrawn by replying 退订, on the status page,
    or at the counter. Nobody else is texted."""

    class Channel(models.TextChoices):
        COUNTER = "counter", _("at the station's counter")
        BOOTH = "booth", _("at a market-day booth")
        PHONE = "phone", _("by phone")
        HOME_VISIT = "home_visit", _("on a home visit")

    class Withdrawal(models.TextChoices):
        REPLY = "reply", _("by replying to a text")
        STATUS_PAGE = "status_page", _("on the status page")
        STAFF = "staff", _("told the staff")

    bureau = bureau_key()
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="booth_reminders")
    channel = models.CharField(_("asked"), max_length=12, choices=Channel.choices)
    opted_in_at = models.DateTimeField(_("asked on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_via = models.CharField(_("withdrawn"), max_length=12, choices=Withdrawal.choices, blank=True)

    class Meta:
        verbose_name = _("booth reminder")
        verbose_name_plural = _("booth reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(withdrawn_at__isnull=True), name="one_active_booth_reminder"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_via="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_via="")),
                name="booth_reminder_withdrawn_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_channel_display()}"
