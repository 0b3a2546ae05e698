from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import Town, Village, bureau_key
from linju.people.models import Resident

from .vocabulary import OCCUPATION_GROUPS, Education


class JobSeekerQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class JobSeeker(BaseModel):
    class Status(models.TextChoices):
        SEEKING = "seeking", _("seeking")
        REFERRED = "referred", _("referred")
        EMPLOYED = "employed", _("employed")
        PAUSED = "paused", _("paused")

    bureau = bureau_key()
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="job_seeker")
    education = models.PositiveSmallIntegerField(_("education"), choices=Education.CHOICES)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    max_commute_minutes = models.PositiveSmallIntegerField(_("longest daily commute (minutes, one way)"))
    shifts = models.JSONField(_("shifts they can work"), default=list)
    accepts_heavy_manual = models.BooleanField(_("heavy manual work acceptable"), default=False)
    wants_training = models.BooleanField(_("wants to learn a skill"), default=False)
    wage_wanted = models.PositiveIntegerField(_("wanted monthly wage (yuan)"))
    constraints = models.TextField(_("constraints, in their own words"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SEEKING, db_index=True
    )
    is_synthetic = models.BooleanField(default=False)

    objects = JobSeekerQuerySet.as_manager()

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_commute_minutes__gte=5, max_commute_minutes__lte=240),
                name="seeker_commute_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.resident)


class Employer(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="employers", verbose_name=_("where it is")
    )
    park = models.CharField(_("industrial park"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    shuttle_towns = models.ManyToManyField(
        Town, blank=True, related_name="employer_shuttles", verbose_name=_("company shuttle stops in")
    )
    dormitory = models.BooleanField(_("dormitory"), default=False)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class Commute(models.Model):
    """Minutes from a village to an employer's workplace (walk, bus, or the company shuttle)."""

    class Mode(models.TextChoices):
        WALK = "walk", _("on foot")
        BUS = "bus", _("by bus")
        SHUTTLE = "shuttle", _("company shuttle")

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="commutes")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="commutes")
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("commute")
        verbose_name_plural = _("commutes")
        constraints = [models.UniqueConstraint(fields=["village", "employer"], name="one_commute_per_pair")]

    def __str__(self) -> str:
        return f"{self.village} → {self.employer}: {self.minutes}"


class Vacancy(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(_("job title"), max_length=80)
    occupation_group = models.CharField(
        _("occupation group"), max_length=2, choices=list(OCCUPATION_GROUPS.items())
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    min_education = models.PositiveSmallIntegerField(
        _("minimum education"), choices=Education.CHOICES, default=0
    )
    wage_min = models.PositiveIntegerField(_("monthly wage from (yuan)"))
    wage_max = models.PositiveIntegerField(_("monthly wage to (yuan)"))
    shifts = models.JSONField(_("shifts"), default=list)
    headcount = models.PositiveSmallIntegerField(_("people needed"), default=1)
    heavy_manual = models.BooleanField(_("heavy manual work"), default=False)
    training_offered = models.BooleanField(_("training offered"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    requirements = models.TextField(_("other requirements"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_on = models.DateField(_("opened on"))
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(wage_max__gte=F("wage_min")), name="vacancy_wage_range"),
            models.CheckConstraint(condition=Q(min_age__gte=16), name="vacancy_legal_working_age"),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")), name="vacancy_age_range"
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="vacancy_headcount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"


class ReferralQuerySet(ScopedQuerySet):
    town_path = "seeker__resident__village__town"


class Referral(BaseModel):
    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        INTERVIEW = "interview", _("interview")
        HIRED = "hired", _("hired")
        NOT_HIRED = "not_hired", _("not hired")
        DECLINED = "declined", _("declined by the seeker")

    bureau = bureau_key()
    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="referrals")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECOMMENDED, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    explanation = models.CharField(_("why suggested"), max_length=300, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "vacancy"], name="one_referral_per_pair"),
            models.CheckConstraint(
                condition=~Q(status="not_hired") | ~Q(reason=""), name="not_hired_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker} → {self.vacancy}"


class ReferralStep(models.Model):
    bureau = bureau_key()
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12, choices=Referral.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.status}"
