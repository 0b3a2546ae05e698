import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from linju.catalog.models import ServiceItem
from linju.consent.models import LegalBasis  # the ground for using the data, one list for every app
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.core.records import PackedRecord
from linju.geo.models import Town, Village, bureau_key
from linju.people.models import Household, Resident

from .plain import PlainWordsError, check_plain_words, step_items
from .rules import RuleError, parse_rule, validate_rule


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    FLEXIBLE = "flexible", _("flexible work")
    FARMING = "farming", _("farming")
    UNEMPLOYED = "unemployed", _("unemployed")
    RETIRED = "retired", _("retired")
    STUDENT = "student", _("student")


class LossCause(models.TextChoices):
    INVOLUNTARY = "involuntary", _("not by their own choice")
    VOLUNTARY = "voluntary", _("by their own choice")


class Hardship(models.TextChoices):
    ILLNESS = "illness", _("serious illness")
    ACCIDENT = "accident", _("accident")
    DISASTER = "disaster", _("natural disaster")
    BEREAVEMENT = "bereavement", _("death in the family")
    OTHER = "other", _("other hardship")


class ResidentFacts(models.Model):
    """What the rules need to know about one person. Empty means unknown."""

    Employment, LossCause, Hardship = Employment, LossCause, Hardship

    bureau = bureau_key()
    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="facts")
    employment_status = models.CharField(max_length=12, choices=Employment.choices, blank=True)
    job_lost_on = models.DateField(null=True, blank=True)
    job_loss_cause = models.CharField(max_length=12, choices=LossCause.choices, blank=True)
    registered_unemployed = models.BooleanField(null=True)
    unemployment_insured = models.BooleanField(null=True)
    unemployment_contribution_months = models.PositiveSmallIntegerField(null=True, blank=True)
    pension_insured = models.BooleanField(null=True)
    pension_contribution_months = models.PositiveSmallIntegerField(null=True, blank=True)
    medical_insured = models.BooleanField(null=True)
    receives_pension = models.BooleanField(null=True)
    disability_level = models.PositiveSmallIntegerField(null=True, blank=True)
    medical_expenses_12m = models.PositiveIntegerField(null=True, blank=True)
    hardship_on = models.DateField(null=True, blank=True)
    hardship_kind = models.CharField(max_length=20, choices=Hardship.choices, blank=True)
    is_synthetic = models.BooleanField(default=False)
    # the facts above as one binary record, kept by the database on every write (PostgreSQL; NULL
    # elsewhere): discovery reads the whole registry's facts as one value (linju/core/records.py).
    # A new fact or choice goes into the record too (a test checks); Django cannot alter a
    # generated column, so its migration removes `record` and adds it again.
    record = models.GeneratedField(
        expression=PackedRecord(
            "resident",
            (
                ("employment_status", "code", tuple(Employment.values)),
                ("job_lost_on", "date"),
                ("job_loss_cause", "code", tuple(LossCause.values)),
                ("registered_unemployed", "bool"),
                ("unemployment_insured", "bool"),
                ("unemployment_contribution_months", "int2"),
                ("pension_insured", "bool"),
                ("pension_contribution_months", "int2"),
                ("medical_insured", "bool"),
                ("receives_pension", "bool"),
                ("disability_level", "int2"),
                ("medical_expenses_12m", "int4"),
                ("hardship_on", "date"),
                ("hardship_kind", "code", tuple(Hardship.values)),
            ),
        ),
        output_field=models.BinaryField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("resident facts")
        verbose_name_plural = _("resident facts")
        # a run reads one bureau's records by key range: its first and last key are read off this
        # index at once (without it, 0.5 s of index walking a table in a 4-bureau database)
        indexes = [models.Index(fields=["bureau", "resident"], name="resident_facts_bureau_key")]
        constraints = [
            models.CheckConstraint(
                condition=Q(disability_level__isnull=True) | Q(disability_level__lte=4),
                name="disability_level_0_4",
            ),
            # text facts hold one of their choices or nothing: rules compare against known words,
            # and the registry loader sends them as small codes
            models.CheckConstraint(
                condition=Q(employment_status__in=["", *Employment.values]), name="employment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(job_loss_cause__in=["", *LossCause.values]), name="job_loss_cause_known"
            ),
            models.CheckConstraint(
                condition=Q(hardship_kind__in=["", *Hardship.values]), name="hardship_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return str(self.resident)


class HouseholdFacts(models.Model):
    bureau = bureau_key()
    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="facts")
    household_size = models.PositiveSmallIntegerField(null=True, blank=True)
    income_per_capita = models.PositiveIntegerField(null=True, blank=True)
    subsistence_allowance = models.BooleanField(null=True)
    is_synthetic = models.BooleanField(default=False)
    record = models.GeneratedField(  # as ResidentFacts.record
        expression=PackedRecord(
            "household",
            (("household_size", "int2"), ("income_per_capita", "int4"), ("subsistence_allowance", "bool")),
        ),
        output_field=models.BinaryField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("household facts")
        verbose_name_plural = _("household facts")
        indexes = [models.Index(fields=["bureau", "household"], name="household_facts_bureau_key")]

    def __str__(self) -> str:
        return str(self.household)


class EligibilityRule(BaseModel):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="eligibility_rules")
    expression = models.TextField(_("rule"), validators=[validate_rule])
    description = models.CharField(_("in plain words"), max_length=200)
    plain = models.JSONField(
        _("each condition in sentences"),
        default=list,
        blank=True,
        help_text=_(
            'One entry per condition joined by "and": {"zh": {"met": "您今年{age}岁,满16岁", "ask": '
            '"请告诉我们您的年龄。"}, "en": {"met": "You are {age}: 16 or older", "ask": "How old are you?"}}. '
            'A condition the resident can meet by doing something is a step: add "step": {"item": "UI-001", '
            '"zh": "办失业登记", "en": "register as unemployed"} (the item that does it; or "where": {"zh": …, '
            '"en": …} to say where it is taken).'
        ),
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    is_example = models.BooleanField(_("example, not official policy"), default=False)
    # 免申即享: the bureau tells those found (see linju.offers), in these words, on this ground
    offered = models.BooleanField(
        _("offer it to those found"),
        default=False,
        help_text=_(
            "Each discovery run turns its matches into offers; staff approve them before any is sent."
        ),
    )
    offer_zh = models.CharField(
        _("the offer in Chinese"),
        max_length=70,
        blank=True,
        help_text=_("One plain sentence naming the item, as the text message says it."),
    )
    offer_en = models.CharField(_("the offer in English"), max_length=160, blank=True)
    legal_basis = models.CharField(
        _("ground for using the data"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    offer_open_days = models.PositiveSmallIntegerField(
        _("working days an offer stays open"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    quiet_days = models.PositiveSmallIntegerField(
        _("days before offering again after a no"),
        default=180,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    # an offered rule whose expression or dates were changed: discovery runs again that night and the
    # offers it no longer matches are withdrawn (linju/eligibility/reruns.py, linju.offers' nightly job)
    rerun_due = models.BooleanField(_("to run again tonight"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["rerun_due"])

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="rule_valid_range"
            ),
            models.CheckConstraint(
                condition=Q(offered=False)
                | (Q(offer_zh__gt="") & Q(offer_en__gt="") & Q(legal_basis__gt="")),
                name="offered_rule_has_words_and_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.description}"

    def clean(self) -> None:
        """The sentences are written with the rule: one entry per condition, checked here (the admin
        and every service save through full_clean)."""
        try:
            rule = parse_rule(self.expression)
        except RuleError:
            return  # the expression's own validator says what is wrong with it
        try:
            check_plain_words(rule, self.plain)
        except PlainWordsError as error:
            raise ValidationError({"plain": error.text()}) from None
        codes = set(step_items(self.plain))
        if self.item_id and self.item.code in codes:
            raise ValidationError(
                {"plain": _("A step is something done before this item, not the item itself.")}
            )
        unknown = codes - set(ServiceItem.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise ValidationError(
                {
                    "plain": _("A step names an item that is not in the catalogue: %(codes)s.")
                    % {"codes": "、".join(sorted(unknown))}
                }
            )


class DiscoveryRun(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    bureau = bureau_key()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rules_done = models.PositiveSmallIntegerField(default=0)
    rules_total = models.PositiveSmallIntegerField(default=0)
    residents = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # runs started together (one a bureau city-wide, one a town for a cadre) share a batch: each is
    # its own huey job, on whichever worker takes it, and the page shows the batch
    batch = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("discovery run")
        verbose_name_plural = _("discovery runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class DiscoveryListQuerySet(ScopedQuerySet):
    town_path = "village__town"


class DiscoveryList(models.Model):
    """The residents of one village who qualify for one item and have not applied: one outreach
    list, as a cadre takes it to the village. Stored as one row per list (not per person): a
    registry of a million people gives a few thousand lists, written in a fraction of a second."""

    bureau = bureau_key()
    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="lists")
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="discovery_lists")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="discovery_lists")
    # the residents' ids, ascending, as little-endian 64-bit integers: written and read whole,
    # never searched in the database, and a fraction of what JSON costs to store and parse
    packed_ids = models.BinaryField(default=b"")
    size = models.PositiveIntegerField(default=0)

    objects = DiscoveryListQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "item", "village"], name="one_list_per_run_item_village"),
            models.CheckConstraint(condition=Q(size__gte=1), name="discovery_list_not_empty"),
        ]
        indexes = [models.Index(fields=["run", "village"], name="discovery_list_by_village")]

    def __str__(self) -> str:
        return f"{self.village} · {self.item} · {self.size}"

    @staticmethod
    def pack(resident_ids: np.ndarray) -> bytes:
        return np.asarray(resident_ids, dtype="<i8").tobytes()

    def resident_ids(self) -> list[int]:
        return np.frombuffer(self.packed_ids, dtype="<i8").tolist()
