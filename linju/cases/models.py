from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import Channel, ServiceItem
from linju.core.fields import EncryptedField
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import MarketPlace, ServicePoint, Town, Village, bureau_key
from linju.people.masking import mask_id_number, mask_phone
from linju.people.models import Resident

from .jinbao_codes import ETHNIC_CHOICES


class CaseQuerySet(ScopedQuerySet):
    town_path = "town"


class Case(BaseModel):
    """A request taken anywhere, kept to its promised date."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        SUSPENDED = "suspended", _("waiting for materials (补正)")
        FORWARDED = "forwarded", _("forwarded to the district (代办)")
        FINISHED = "finished", _("finished (办结)")
        RETURNED = "returned", _("returned (退回)")

    class Level(models.TextChoices):
        TOWN = "town", _("township station")
        DISTRICT = "district", _("district bureau")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        OTHER = "other", _("other answer")

    class Handover(models.TextChoices):
        WAITING = "waiting", _("ready to hand over at the station")
        DONE = "done", _("handed over")

    class Relation(models.TextChoices):
        CHILD = "child", _("son or daughter")
        SPOUSE = "spouse", _("husband or wife")
        PARENT = "parent", _("father or mother")
        SIBLING = "sibling", _("brother or sister")
        RELATIVE = "relative", _("other relative")
        HELPER = "helper", _("village helper")
        OTHER = "other", _("other")

    OPEN = (Status.ACCEPTED, Status.IN_PROGRESS, Status.FORWARDED)  # the clock runs
    CLOSED = (Status.FINISHED, Status.RETURNED)

    bureau = bureau_key()
    number = models.CharField(_("case number"), max_length=20, unique=True)
    applicant = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="cases", verbose_name=_("applicant")
    )
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service item")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("town"),
        help_text=_("The town where the case was taken; its staff handle it."),
    )
    taken_at_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    taken_at_market = models.ForeignKey(
        MarketPlace, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    taken_at_village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    # the market-day booth a case taken at a market belongs to (set by intake, whatever the door):
    # the booth of that market on the day it was taken. Outreach plans booths and sits above cases,
    # hence the name in a string; with no booth that day the case is the market's alone.
    booth = models.ForeignKey(
        "outreach.BoothSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("market-day booth"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_taken"
    )
    description = models.TextField(_("what the person asked"), blank=True)
    materials_received = models.JSONField(_("materials received"), default=list, blank=True)
    materials_missing = models.JSONField(_("materials missing"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    level = models.CharField(_("handled at"), max_length=10, choices=Level.choices, default=Level.TOWN)
    accepted_at = models.DateTimeField(_("accepted at"))
    promised_date = models.DateField(_("promised date"), db_index=True)
    promised_estimated = models.BooleanField(_("promised date estimated"), default=False)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    remaining_days = models.PositiveSmallIntegerField(
        _("working days left when suspended"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    # the clock: the promised date is `clock_days` working days after `clock_from` (intake, or the
    # day the materials were complete), plus any approved extension; recomputed when a year's
    # holiday notice arrives and the date was an estimate
    clock_from = models.DateField(_("clock runs from"), null=True, blank=True)
    clock_days = models.PositiveSmallIntegerField(_("working days on the clock"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to the district at"), null=True, blank=True)
    # the answer: what was decided, recorded when the case is finished
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(_("what was decided, or why not"), blank=True, max_length=2000)
    outcome_rule = models.CharField(_("the rule applied"), max_length=200, blank=True)
    outcome_amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    outcome_period = models.CharField(_("period"), max_length=60, blank=True)
    outcome_document = models.FileField(
        _("decision (PDF or photo)"), upload_to="cases/decisions/", blank=True, max_length=200
    )
    handover = models.CharField(
        _("hand-over at the station"), max_length=10, choices=Handover.choices, blank=True
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    # 代办人: someone applying for the beneficiary (a daughter, a village helper)
    agent_name = models.CharField(_("agent's name"), max_length=40, blank=True)
    # encrypted at rest (linju/core/fields.py), never looked up by (the authorisation's ID number is)
    agent_id_number = EncryptedField(_("agent's ID number"), max_length=18, blank=True, purpose="id_number")
    agent_phone = EncryptedField(_("agent's phone"), max_length=20, blank=True, purpose="phone")
    agent_relation = models.CharField(_("relationship"), max_length=10, choices=Relation.choices, blank=True)
    # the authorisation (委托) the agent applied under: in force when the case was taken, or given then
    authorisation = models.ForeignKey(
        "consent.Authorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("authorisation"),
    )
    # the phone the applicant gave for this case: its texts and the status look-up use it, not the
    # register's (which may be old, or another person's when a wrong ID number was typed); encrypted
    applicant_phone = EncryptedField(
        _("applicant's phone for this case"), max_length=20, blank=True, purpose="phone"
    )
    texts_to_applicant = models.BooleanField(_("texts to the applicant"), default=True)
    texts_to_agent = models.BooleanField(_("texts to the agent"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    # NULL when no key was sent: NULLs never meet in the unique key, empty strings would
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, null=True, blank=True)  # noqa: DJ001
    # GB/T 3304 民族 code, asked at intake (optional: the registry does not hold it) for the 金保
    # entry sheet; empty: not given (the sheet says 未填)
    ethnic_group = models.CharField(
        _("ethnic group (民族)"), max_length=2, choices=ETHNIC_CHOICES, blank=True, default=""
    )
    # a part of a bundle case (一件事): its own item, clock and moves; the bundle answers for it
    bundle = models.ForeignKey(
        "cases.BundleCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of the bundle case"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "idempotency_key"], name="case_idempotency_key_per_bureau"
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended")
                | (Q(suspended_on__isnull=False) & Q(remaining_days__isnull=False)),
                name="case_suspended_has_clock",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="case_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["finished", "returned"]) | Q(closed_at__isnull=False),
                name="case_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | ~Q(outcome=""), name="case_finished_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(outcome_detail=""), name="case_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(handover="done") | Q(handed_over_at__isnull=False),
                name="case_handed_over_has_time",
            ),
            models.CheckConstraint(
                condition=Q(agent_name="", agent_id_number="", agent_relation="", texts_to_agent=False)
                | (~Q(agent_name="") & ~Q(agent_id_number="") & ~Q(agent_relation="")),
                name="case_agent_whole",
            ),
            models.CheckConstraint(
                condition=~Q(texts_to_agent=True) | ~Q(agent_phone=""), name="case_agent_texts_have_phone"
            ),
            models.CheckConstraint(
                condition=(
                    Q(taken_at_point__isnull=True, taken_at_market__isnull=True)
                    | Q(taken_at_point__isnull=True, taken_at_village__isnull=True)
                    | Q(taken_at_market__isnull=True, taken_at_village__isnull=True)
                ),
                name="case_taken_at_one_place",
            ),
            models.CheckConstraint(
                condition=Q(booth__isnull=True) | Q(taken_at_market__isnull=False),
                name="case_booth_is_at_a_market",
            ),
            # one sub-case per member item of a bundle case
            models.UniqueConstraint(
                fields=["bundle", "item"], condition=Q(bundle__isnull=False), name="case_bundle_item_once"
            ),
            # a part is taken with its bundle: it holds no key of its own (the bundle case holds it)
            models.CheckConstraint(
                condition=Q(bundle__isnull=True) | Q(idempotency_key__isnull=True),
                name="case_bundle_part_has_no_key",
            ),
        ]
        indexes = [models.Index(fields=["town", "status", "promised_date"], name="case_worklist")]

    def __str__(self) -> str:
        return self.number

    @property
    def taken_at(self):
        return self.taken_at_point or self.taken_at_market or self.taken_at_village

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def has_agent(self) -> bool:
        return bool(self.agent_name)

    @property
    def masked_agent_id_number(self) -> str:
        return mask_id_number(self.agent_id_number)

    @property
    def masked_applicant_phone(self) -> str:
        return mask_phone(self.applicant_phone) if self.applicant_phone else ""

    @property
    def masked_agent_phone(self) -> str:
        return mask_phone(self.agent_phone) if self.agent_phone else ""

    @property
    def sent_to_district(self) -> bool:
        """Forwarded by a town and handled at the district now (代办)."""
        return self.forwarded_at is not None and self.level == self.Level.DISTRICT


class CaseEvent(models.Model):
    """One step in a case's life: who, when, what, and a note. The timeline and the audit read these."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("accepted")
        START = "start", _("work started")
        SUSPEND = "suspend", _("suspended for missing materials")
        RESUME = "resume", _("materials complete, resumed")
        FORWARD = "forward", _("forwarded to the district")
        FINISH = "finish", _("finished")
        RETURN = "return", _("returned")
        RATE = "rate", _("rated")
        SEND_BACK = "send_back", _("sent back to the town for a missing paper")
        HAND_OVER = "hand_over", _("handed over at the station")
        EXTEND_ASK = "extend_ask", _("extension asked for")
        EXTEND = "extend", _("extended")
        EXTEND_NO = "extend_no", _("extension refused")
        REDATE = "redate", _("promised date recomputed from the holiday notice")
        REOPEN = "reopen", _("reopened on an objection (异议)")
        JINBAO = "jinbao", _("entered into 金保 (录入金保)")

    bureau = bureau_key()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class Extension(models.Model):
    """延期: more working days for a case, asked for with a reason by one person and approved (or
    refused) by another."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    MAX_DAYS = 30

    bureau = bureau_key()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    working_days = models.PositiveSmallIntegerField(_("working days more"))
    reason = models.TextField(_("reason"), max_length=500)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1, working_days__lte=30), name="extension_days_1_to_30"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("asked_by")),
                name="extension_approved_by_another",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="extension_decided_has_who_and_when",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_extension_a_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.working_days}"


class CasePhoto(models.Model):
    """A photo of a paper handed over, taken on the cadre's phone: linked to the case and the
    material, kept in Django's storage, shown to staff who may see the case, never public."""

    MAX_BYTES = 1024 * 1024  # the phone sends about 200 KB (long side 1600 px)

    bureau = bureau_key()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    material = models.CharField(_("material"), max_length=120)
    image = models.FileField(_("photo"), upload_to="cases/photos/", max_length=200)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    idempotency_key = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("photo of a paper")
        verbose_name_plural = _("photos of papers")
        ordering = ["taken_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "idempotency_key"], name="case_photo_key_per_bureau")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.material}"


class CaseCounter(models.Model):
    """The last number a bureau gave out on a day, so its case numbers read QJ-20261125-0042."""

    bureau = bureau_key()
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau", "day"], name="one_counter_per_bureau_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class RatingQuerySet(ScopedQuerySet):
    town_path = "town"


class Rating(models.Model):
    """好差评 (国办发〔2019〕51号): five levels, given by the resident only, once per finished case
    (一事一评) or once per booth consultation (一次一评, from its slip's code)."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("very satisfied (非常满意)")
        SATISFIED = 4, _("satisfied (满意)")
        BASICALLY_SATISFIED = 3, _("basically satisfied (基本满意)")
        UNSATISFIED = 2, _("unsatisfied (不满意)")
        VERY_UNSATISFIED = 1, _("very unsatisfied (非常不满意)")

    class Source(models.TextChoices):
        RESIDENT = "resident", _("by the resident, on the status page")
        PHONE = "phone", _("by the resident's phone, after a code texted to it")
        SLIP = "slip", _("by the resident, with the consultation slip's code")

    bureau = bureau_key()
    case = models.OneToOneField(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="rating")
    # a booth question (outreach sits above cases, hence the name in a string)
    consultation = models.OneToOneField(
        "outreach.Consultation", on_delete=models.CASCADE, null=True, blank=True, related_name="rating"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("town"))
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    channel = models.CharField(_("channel"), max_length=20)
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=500)
    source = models.CharField(_("given"), max_length=10, choices=Source.choices)
    # the staff member the rating is about: who finished the case, or who answered at the booth
    rated_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_received",
        verbose_name=_("staff member rated"),
    )
    named = models.BooleanField(_("given with a name (实名)"), default=True)
    # an appeal upheld (申诉复核): the rating stays on record and leaves the figures
    set_aside_at = models.DateTimeField(_("set aside on appeal at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
            models.CheckConstraint(
                condition=Q(case__isnull=False, consultation__isnull=True)
                | Q(case__isnull=True, consultation__isnull=False),
                name="rating_of_a_case_or_a_consultation",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["resident", "phone", "slip"]), name="rating_source_known"
            ),
        ]
        indexes = [models.Index(fields=["town", "created_at"], name="rating_town_time")]

    def __str__(self) -> str:
        return f"{self.case or self.consultation_id} {self.get_level_display()}"

    @property
    def unsatisfied(self) -> bool:
        """差评: the bottom two levels."""
        return self.level <= self.Level.UNSATISFIED


class FollowUpQuerySet(ScopedQuerySet):
    town_path = "town"


class FollowUp(BaseModel):
    """The callback (回访核实) a named 差评 opens, for a named person by a due date in working days;
    then the rectification (立行立改, 限期整改 or 解释说明), its result texted to the resident, and
    the resident's rating of the fix. Follow-ups without a rating are answered in one step."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the callback")
        CALLED = "called", _("called back; rectification to decide")
        RECTIFYING = "rectifying", _("on the list, to be fixed by its deadline")
        RECTIFIED = "rectified", _("rectified; the resident was told")
        CLOSED = "closed", _("answered")

    class Way(models.TextChoices):
        FIXED_NOW = "fixed_now", _("fixed at once (立行立改)")
        DEADLINE = "deadline", _("listed with a deadline (限期整改)")
        EXPLAINED = "explained", _("explained (解释说明)")

    class FixLevel(models.IntegerChoices):
        SATISFIED = 3, _("satisfied (满意)")
        BASICALLY_SATISFIED = 2, _("basically satisfied (基本满意)")
        UNSATISFIED = 1, _("unsatisfied (不满意)")

    OPEN_STATUSES = (Status.OPEN, Status.CALLED, Status.RECTIFYING)

    bureau = bureau_key()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups")
    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, null=True, blank=True, related_name="callback"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="follow_ups")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks_assigned",
        verbose_name=_("calls back"),
    )
    due_on = models.DateField(_("callback due"), null=True, blank=True, db_index=True)
    called_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident_said = models.TextField(_("what the resident said"), blank=True, max_length=2000)
    way = models.CharField(_("rectification"), max_length=10, choices=Way.choices, blank=True)
    rectification = models.TextField(_("what is done about it"), blank=True, max_length=2000)
    rectify_by = models.DateField(_("to be fixed by"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # the resident's link to rate the fix (texted with the result), and their rating of it
    fix_token = models.CharField(max_length=32, null=True, blank=True, unique=True)
    fix_level = models.PositiveSmallIntegerField(
        _("the resident's rating of the fix"), choices=FixLevel.choices, null=True, blank=True
    )
    fix_rated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(assigned_to__isnull=False, due_on__isnull=False),
                name="callback_has_person_and_due_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"])
                | (Q(called_at__isnull=False) & ~Q(resident_said="")),
                name="callback_called_with_words",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rectifying", "rectified"]) | (~Q(way="") & ~Q(rectification="")),
                name="callback_rectification_said",
            ),
            models.CheckConstraint(
                condition=~Q(way="deadline") | Q(rectify_by__isnull=False),
                name="callback_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="rectified") | Q(rectified_at__isnull=False),
                name="callback_rectified_has_time",
            ),
            models.CheckConstraint(
                condition=Q(fix_level__isnull=True)
                | Q(status="rectified", fix_level__gte=1, fix_level__lte=3),
                name="callback_fix_rated_when_rectified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case or self.rating_id} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AppealQuerySet(ScopedQuerySet):
    town_path = "rating__town"


class Appeal(models.Model):
    """申诉复核: the staff member rated asks for a mistaken or malicious rating to be set aside;
    someone else decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        UPHELD = "upheld", _("upheld: the rating is set aside")
        REJECTED = "rejected", _("rejected: the rating stands")

    class Ground(models.TextChoices):
        MISTAKEN = "mistaken", _("mistaken (the rating is not about my work)")
        MALICIOUS = "malicious", _("malicious")

    bureau = bureau_key()
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="appeals")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals_made"
    )
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    reason = models.TextField(_("why"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(status="pending"), name="appeal_one_pending_per_rating"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("appellant")),
                name="appeal_decided_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~Q(status="pending")
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~Q(decision="")
                ),
                name="appeal_decided_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} {self.get_status_display()}"


class BundleCaseQuerySet(ScopedQuerySet):
    town_path = "town"


class BundleCase(BaseModel):
    """一件事: one application for a life event, with one number, one receipt and one answer. Its
    parts are cases (`Case.bundle`), one per item of the bundle's version in force on the day it was
    taken, each on its own working-day clock and moved as any case is.

    Its state follows its parts, and only its parts: it is open while any part is open (accepted,
    in progress, waiting for papers, forwarded) and finished, with the time, once every part is
    finished or returned. It is written only by `bundle_follow` (cases/services/bundle_follow.py),
    under this row's lock, in the same transaction as the part's move that changed it; so the last
    two parts finished at once by two people still make one final notice and one text."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FINISHED = "finished", _("every part answered (办结)")

    bureau = bureau_key()
    number = models.CharField(_("case number"), max_length=20, unique=True)
    bundle = models.ForeignKey(
        "catalog.Bundle", on_delete=models.PROTECT, related_name="cases", verbose_name=_("bundle")
    )
    version = models.ForeignKey(
        "catalog.BundleVersion",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("version of the bundle"),
    )
    applicant = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="bundle_cases", verbose_name=_("applicant")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="bundle_cases", verbose_name=_("town")
    )
    taken_at_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_cases"
    )
    taken_at_market = models.ForeignKey(
        MarketPlace, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_cases"
    )
    taken_at_village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_cases"
    )
    booth = models.ForeignKey(
        "outreach.BoothSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bundle_cases",
        verbose_name=_("market-day booth"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bundle_cases_taken"
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("every part answered at"), null=True, blank=True)
    applicant_phone = EncryptedField(
        _("applicant's phone for this case"), max_length=20, blank=True, purpose="phone"
    )
    texts_to_applicant = models.BooleanField(_("texts to the applicant"), default=True)
    agent_name = models.CharField(_("agent's name"), max_length=40, blank=True)
    agent_phone = EncryptedField(_("agent's phone"), max_length=20, blank=True, purpose="phone")
    texts_to_agent = models.BooleanField(_("texts to the agent"), default=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, null=True, blank=True)  # noqa: DJ001

    objects = BundleCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("bundle case (一件事)")
        verbose_name_plural = _("bundle cases (一件事)")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "idempotency_key"], name="bundle_case_idempotency_key_per_bureau"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="finished", closed_at__isnull=False),
                name="bundle_case_finished_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(texts_to_agent=True) | ~Q(agent_phone=""),
                name="bundle_case_agent_texts_have_phone",
            ),
            models.CheckConstraint(
                condition=Q(booth__isnull=True) | Q(taken_at_market__isnull=False),
                name="bundle_case_booth_is_at_a_market",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def taken_at(self):
        return self.taken_at_point or self.taken_at_market or self.taken_at_village

    @property
    def masked_applicant_phone(self) -> str:
        return mask_phone(self.applicant_phone) if self.applicant_phone else ""


class PartnerDispatch(models.Model):
    """送达 to a partner office: a bundle's part the office finishes, sent with its papers, once its
    papers are complete; its answer is recorded when it comes back (the part is finished then)."""

    bureau = bureau_key()
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="dispatch")
    partner = models.ForeignKey(
        "catalog.PartnerOffice",
        on_delete=models.PROTECT,
        related_name="dispatches",
        verbose_name=_("partner office"),
    )
    delivery = models.CharField(_("sent"), max_length=20)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True)
    papers = models.JSONField(_("papers sent"), default=list)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answer recorded at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Case.Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("dispatch to a partner office (送达)")
        verbose_name_plural = _("dispatches to partner offices (送达)")
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="partner_dispatch_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.partner}"


# 录入金保's record lives in its own module; imported here so that the app's models are all found here
from .jinbao_models import JinbaoEntry, JinbaoEntryQuerySet  # noqa: E402, F401
