"""The person's own word on record: who may act for them (authorisations, 委托), what processing
they agreed to separately (consent receipts, with every grant, refusal and withdrawal kept), and the
codes texted to them to open their own page (我的).

An authorisation names its agent by ID number, as the intake records an agent (代办人): the case's
agent is the one the authorisation names. Its place among the agent's relatives (亲情服务: one
person acts for at most FAMILY_PLACES relatives) is a numbered place held by a unique key, so two
grants at the same moment cannot both take the ninth."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linju.core.fields import BlindIndexedQuerySet, BlindIndexField, EncryptedField
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.geo.models import Village, bureau_key
from linju.people.masking import mask_id_number, mask_name, mask_phone
from linju.people.models import Resident

FAMILY_PLACES = 8  # 亲情服务: one person may act for up to eight relatives


class LegalBasis(models.TextChoices):
    """The ground in 个人信息保护法 第十三条 on which the bureau processes a person's data."""

    STATUTORY_DUTY = "statutory_duty", _("to perform a statutory duty (PIPL art. 13(1)(3))")
    CONSENT = "consent", _("the person's consent (PIPL art. 13(1)(1))")


class VillageHelperQuerySet(BlindIndexedQuerySet, ScopedQuerySet):
    town_path = "village__town"


class VillageHelper(BaseModel):
    """A village's 代办员: someone the village named to apply for its people, on the register the
    town keeps per village."""

    bureau = bureau_key()
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="helpers")
    name = models.CharField(_("name"), max_length=40)
    # encrypted at rest (linju/core/fields.py): the ID number found, and once a village, by its index
    id_number = EncryptedField(
        _("resident ID number"),
        max_length=18,
        validators=[MinLengthValidator(18)],
        purpose="id_number",
        index="id_number_index",
    )
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedField(_("phone"), max_length=20, blank=True, purpose="phone")
    active = models.BooleanField(_("on the register"), default=True)

    objects = VillageHelperQuerySet.as_manager()

    class Meta:
        verbose_name = _("village helper (代办员)")
        verbose_name_plural = _("village helpers (代办员)")
        constraints = [
            models.UniqueConstraint(fields=["village", "id_number_index"], name="village_helper_once"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {mask_name(self.name)}"


class AuthorisationQuerySet(BlindIndexedQuerySet, ScopedQuerySet):
    town_path = "principal__village__town"


class Authorisation(BaseModel):
    """委托: the principal asked the agent to act for them, for some items or all, from a day until
    a day (or until withdrawn), shown by a photo of the signed form."""

    class AgentKind(models.TextChoices):
        FAMILY = "family", _("a family member")
        HELPER = "helper", _("the village's helper (代办员)")
        CADRE = "cadre", _("a cadre")

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        WITHDRAWN = "withdrawn", _("withdrawn")
        LAPSED = "lapsed", _("past its last day")

    class Via(models.TextChoices):
        COUNTER = "counter", _("at a counter, booth or visit")
        INTAKE = "intake", _("on the spot, with a case")
        MY_PAGE = "my_page", _("on the person's own page")

    bureau = bureau_key()
    principal = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="authorisations_given", verbose_name=_("principal")
    )
    agent_kind = models.CharField(_("agent is"), max_length=10, choices=AgentKind.choices)
    agent_name = models.CharField(_("agent's name"), max_length=40)
    # encrypted at rest (linju/core/fields.py): the agent is found, and held once a pair, by the index
    agent_id_number = EncryptedField(
        _("agent's ID number"),
        max_length=18,
        validators=[MinLengthValidator(18)],
        purpose="id_number",
        index="agent_id_number_index",
    )
    agent_id_number_index = BlindIndexField(source="agent_id_number")
    agent_phone = EncryptedField(_("agent's phone"), max_length=20, blank=True, purpose="phone")
    relation = models.CharField(_("relationship"), max_length=40, blank=True)
    # the agent's own record when they are a resident of the bureau: their page lists it as received
    agent_resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="authorisations_received"
    )
    helper = models.ForeignKey(
        VillageHelper, on_delete=models.PROTECT, null=True, blank=True, related_name="authorisations"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    all_items = models.BooleanField(_("all items"), default=False)
    items = models.ManyToManyField(
        "catalog.ServiceItem", blank=True, related_name="+", verbose_name=_("items")
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    evidence = models.FileField(
        _("photo of the signed form"), upload_to="consent/authorisations/", blank=True, max_length=200
    )
    via = models.CharField(_("given"), max_length=10, choices=Via.choices)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # 亲情服务: the place among the agent's relatives while in force (1…FAMILY_PLACES)
    family_place = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    withdrawn_via = models.CharField(_("withdrawn"), max_length=10, choices=Via.choices, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorisation (委托)")
        verbose_name_plural = _("authorisations (委托)")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="authorisation_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(agent_kind="helper") | Q(helper__isnull=False), name="authorisation_helper_named"
            ),
            models.CheckConstraint(
                condition=~Q(agent_kind="cadre") | Q(cadre__isnull=False), name="authorisation_cadre_named"
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True)
                | Q(~Q(status="active"), ended_at__isnull=False),
                name="authorisation_ended_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_via=""),
                name="authorisation_withdrawn_says_how",
            ),
            # a relative's place is held only while in force, and only by a family member
            models.CheckConstraint(
                condition=Q(family_place__isnull=True)
                | Q(
                    status="active", agent_kind="family", family_place__gte=1, family_place__lte=FAMILY_PLACES
                ),
                name="authorisation_family_place_in_range",
            ),
            models.UniqueConstraint(
                fields=["agent_id_number_index", "family_place"],
                condition=Q(family_place__isnull=False),
                name="authorisation_family_place_once",
            ),
            # one authorisation in force between two people: another is given after this one ends
            models.UniqueConstraint(
                fields=["principal", "agent_id_number_index"],
                condition=Q(status="active"),
                name="authorisation_one_in_force_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["principal", "agent_id_number_index"], name="authorisation_pair")]

    def __str__(self) -> str:
        return f"{self.principal} → {mask_name(self.agent_name)}"

    @property
    def masked_agent_name(self) -> str:
        return mask_name(self.agent_name)

    @property
    def masked_principal_name(self) -> str:
        return mask_name(self.principal.name)

    @property
    def masked_agent_id_number(self) -> str:
        return mask_id_number(self.agent_id_number)

    @property
    def masked_agent_phone(self) -> str:
        return mask_phone(self.agent_phone) if self.agent_phone else ""


class ConsentPurpose(models.TextChoices):
    """Processing that needs the person's separate consent (个人信息保护法 第二十九条: sensitive data)."""

    BIOMETRIC_CERTIFICATION = (
        "biometric_cert",
        _("pension qualification certification by fingerprint or face recognition"),
    )
    MEDICAL_REIMBURSEMENT = "medical_data", _("reading medical reimbursement records")


class ConsentQuerySet(ScopedQuerySet):
    town_path = "resident__village__town"


class ConsentRecord(models.Model):
    """One consent receipt: a person's answer on one purpose — granted, refused or withdrawn — with
    its ground, whether it was asked separately, how it was collected and by whom. Never edited or
    deleted (the database refuses it): the person's current answer on a purpose is their latest
    receipt, and the history is every receipt."""

    class Decision(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("signed form")
        SPOKEN = "spoken", _("said aloud to staff, recorded by them")
        ON_SCREEN = "on_screen", _("ticked on the device by the person")
        MY_PAGE = "my_page", _("on the person's own page")

    bureau = bureau_key()
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    decision = models.CharField(_("answer"), max_length=10, choices=Decision.choices)
    legal_basis = models.CharField(_("ground"), max_length=20, choices=LegalBasis.choices)
    separate = models.BooleanField(_("asked separately"), default=True)
    method = models.CharField(_("collected"), max_length=12, choices=Method.choices)
    # who took it: a member of staff, or nobody when the person answered on their own page
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent receipt")
        verbose_name_plural = _("consent receipts")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # a consent's ground is consent, asked on its own (PIPL art. 29)
            models.CheckConstraint(
                condition=Q(legal_basis="consent", separate=True), name="consent_record_separate_consent"
            ),
            models.CheckConstraint(
                condition=Q(method="my_page", taken_by__isnull=True)
                | Q(~Q(method="my_page"), taken_by__isnull=False),
                name="consent_record_says_who_took_it",
            ),
        ]
        indexes = [models.Index(fields=["resident", "purpose", "recorded_at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.resident} {self.purpose} {self.decision}"


class MyPageCode(models.Model):
    """A code texted to the phone the bureau holds for a person, to open their own page (我的):
    kept as a keyed hash (never the code), good for CODE_MINUTES, for a few tries."""

    CODE_MINUTES = 10
    TRIES = 5

    # the residents the phone and the last four ID characters name (one person; a record in each
    # bureau that holds them)
    residents = models.JSONField(default=list)
    phone_key = models.CharField(max_length=64, db_index=True)  # a keyed hash of the phone
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code for a person's own page")
        verbose_name_plural = _("codes for a person's own page")
        constraints = [models.CheckConstraint(condition=Q(tries__lte=5), name="my_page_code_tries_bounded")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
