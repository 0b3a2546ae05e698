import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from linju.core.models import BaseModel
from linju.geo.models import Bureau, Town


class Channel(models.TextChoices):
    """Where a request can be taken."""

    COUNTER = "counter", _("at the counter")
    BOOTH = "booth", _("at a market-day booth")
    PHONE = "phone", _("by phone")
    HOME_VISIT = "home_visit", _("on a home visit")
    ONLINE = "online", _("online")
    # 免申即享: the resident said yes to what the bureau offered them (linju.offers). Not a way a
    # resident hands a request in, so an item never lists it: see ITEM_CHANNELS
    OFFER = "offer", _("offered by the bureau, confirmed by the resident")


# the channels an item may list as accepting it (and a member of staff may choose at intake)
# a bundle opened to applicants before their statutory retirement month opens at most a year before
MAX_MONTHS_BEFORE_RETIREMENT = 12
ITEM_CHANNELS = tuple(channel for channel in Channel if channel != Channel.OFFER)


def item_channel_choices() -> list[tuple[str, str]]:
    return [(channel.value, channel.label) for channel in ITEM_CHANNELS]


def validate_channels(value) -> None:
    if not isinstance(value, list) or not value or any(v not in ITEM_CHANNELS for v in value):
        raise ValidationError(_("Choose at least one channel from the list."))
    if len(set(value)) != len(value):
        raise ValidationError(_("A channel is listed twice."))


def all_channels() -> list[str]:
    return [channel.value for channel in ITEM_CHANNELS]


class Category(BaseModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(BaseModel):
    """A service item (事项): what the bureau does, for whom, with what, how fast and where."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("district bureau")
        TOWN = "town", _("township station")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("what it is, in plain words"))
    eligibility = models.TextField(_("who qualifies"))
    keywords = models.CharField(
        _("other words people use"), max_length=200, blank=True, help_text=_("Searched like the name.")
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), help_text=_("0 means done on the spot.")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    fee = models.CharField(_("fee"), max_length=100, blank=True, help_text=_("Empty means free of charge."))
    channels = models.JSONField(
        _("channels that may accept it"), default=all_channels, validators=[validate_channels]
    )
    default_level = models.CharField(
        _("finished by default at"), max_length=10, choices=Level.choices, default=Level.DISTRICT
    )
    hall_only = models.BooleanField(
        _("hall only"),
        default=False,
        help_text=_(
            "Taken only at the district service hall. Otherwise every station, booth and home visit "
            "accepts it; delegation decides only who finishes it."
        ),
    )
    hall_only_reason = models.CharField(
        _("why hall only"), max_length=200, blank=True, help_text=_("In plain words, for the resident.")
    )
    valid_from = models.DateField(_("in force from"), default=datetime.date(2014, 1, 1))
    valid_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Empty: no end."))
    is_example = models.BooleanField(
        _("example configuration"), default=False, help_text=_("Demo content, not official policy.")
    )
    # 免申即享 without asking: a match on the data alone creates the case and decides it; the
    # resident is told what was granted and may object (异议) within these working days
    granted_on_data = models.BooleanField(
        _("granted on the data, no application"),
        default=False,
        help_text=_("A match creates the case and decides it; the resident is told and may object."),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("working days to object"), default=15, validators=[MinValueValidator(5), MaxValueValidator(60)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="service_item_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(hall_only=False) | ~Q(hall_only_reason=""), name="service_item_hall_only_says_why"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def accepts(self, channel: str) -> bool:
        return channel in self.channels


class ItemAlias(BaseModel):
    """A name people use for an item (俗称, a former name, the words of a report): the search finds the
    item by it as by its official name, and the results say which name was meant."""

    class Kind(models.TextChoices):
        COLLOQUIAL = "colloquial", _("what people call it (俗称)")
        FORMER = "former", _("a former name")
        REPORTED = "reported", _("the words of a report or article")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name people use"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COLLOQUIAL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("name people use")
        verbose_name_plural = _("names people use")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="item_alias_once_per_item"),
            models.CheckConstraint(condition=~Q(name=""), name="item_alias_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Material(BaseModel):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=120)
    required = models.BooleanField(_("required"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Delegation(BaseModel):
    """职能下放: from a date, a town's station finishes an item itself or accepts it for the district."""

    class Mode(models.TextChoices):
        FINISH = "finish", _("the station finishes it (办结)")
        ACCEPT_FORWARD = "accept_forward", _("the station accepts and forwards it to the district (代办)")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="delegations")
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="delegations")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: no end."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_example = models.BooleanField(_("example configuration"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["item__code", "town__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="delegation_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["town", "item", "valid_from"], name="delegation_lookup")]

    def __str__(self) -> str:
        return f"{self.item} · {self.town} · {self.get_mode_display()}"

    def clean(self) -> None:
        # here, not at the top: selectors import these models (catalog.models <-> catalog.selectors)
        from .selectors import delegation_overlapping

        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
        if self.item_id and self.town_id and self.valid_from:
            clash = delegation_overlapping(
                item=self.item,
                town=self.town,
                valid_from=self.valid_from,
                valid_to=self.valid_to,
                exclude_id=self.pk,
            )
            if clash:
                raise ValidationError(
                    _(
                        "%(town)s already has a delegation of this item from %(start)s to %(end)s; end it first."
                    ),
                    params={"town": clash.town, "start": clash.valid_from, "end": clash.valid_to or "—"},
                )


class FormQuestion(BaseModel):
    """A question an application form asks (the person's bank account, the date they left work): one
    row for each thing asked, shared by every item that asks it, so that a bundle's merged form
    (一表申请) asks it once however many of its items need it."""

    class Kind(models.TextChoices):
        TEXT = "text", _("words")
        NUMBER = "number", _("a number")
        DATE = "date", _("a date")
        MONTH = "month", _("a month")
        YES_NO = "yes_no", _("yes or no")
        CHOICE = "choice", _("one of a list")
        PHONE = "phone", _("a phone number")
        ID_NUMBER = "id_number", _("an ID number")
        BANK_ACCOUNT = "bank_account", _("a bank account")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("question"), max_length=120)
    text_en = models.CharField(_("question in English"), max_length=160)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(
        _("answers to choose from"), default=list, blank=True, help_text=_("Only for one of a list.")
    )
    help_text = models.CharField(_("help"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") & ~Q(text_en=""), name="form_question_says_something"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        listed = isinstance(self.choices, list) and all(isinstance(c, str) and c for c in self.choices)
        if self.kind == self.Kind.CHOICE and (not listed or len(self.choices) < 2):
            raise ValidationError({"choices": _("List at least two answers to choose from.")})
        if self.kind != self.Kind.CHOICE and self.choices:
            raise ValidationError(
                {"choices": _("Only a question of one of a list has answers to choose from.")}
            )


class ItemQuestion(BaseModel):
    """A question an item's form asks: items declare their questions as they declare materials."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(
        FormQuestion, on_delete=models.PROTECT, related_name="asked_by", verbose_name=_("question")
    )
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question of the item's form")
        verbose_name_plural = _("questions of the item's form")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "question"], name="item_question_once_per_item"),
        ]

    def __str__(self) -> str:
        return str(self.question)


class Department(models.TextChoices):
    """The departments outside the bureau whose steps a bundle (一件事) joins."""

    HOUSING_FUND = "housing_fund", _("housing provident fund (住房公积金)")
    MEDICAL_INSURANCE = "medical_insurance", _("medical insurance (医保)")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs (民政)")
    TAX = "tax", _("tax (税务)")
    BANK = "bank", _("partner bank (合作银行)")
    PUBLIC_SECURITY = "public_security", _("public security (公安)")
    OTHER = "other", _("other department")


class PartnerOffice(BaseModel):
    """An office of another department (住房公积金, 医保, 民政, 税务 …) that finishes a part of a bundle:
    the bureau takes the papers and sends them there (送达), and records the answer when it comes
    back. Each bureau keeps its own: the district's partners are local offices."""

    class Delivery(models.TextChoices):
        """How the bureau sends a part and its papers to the office."""

        PLATFORM = "platform", _("through the government data-sharing platform (数据共享)")
        WINDOW = "window", _("handed over at the office's window in the district hall (综窗转办)")
        COURIER = "courier", _("papers carried by the bureau's messenger (专人送达)")
        POST = "post", _("by registered post (邮寄送达)")

    # the ways that carry paper to an address
    TO_AN_ADDRESS = (Delivery.COURIER, Delivery.POST)

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="partner_offices", verbose_name=_("bureau")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=160, blank=True)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    delivery = models.CharField(_("how it is sent things"), max_length=20, choices=Delivery.choices)
    delivery_address = models.CharField(
        _("where things are sent"),
        max_length=200,
        blank=True,
        help_text=_("The address for a messenger or the post; the platform's channel name otherwise."),
    )
    delivery_days = models.PositiveSmallIntegerField(
        _("working days to get there"),
        default=0,
        validators=[MaxValueValidator(10)],
        help_text=_("0: the same day."),
    )
    active = models.BooleanField(_("in use"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up for the demo, not a real office.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner office")
        verbose_name_plural = _("partner offices")
        ordering = ["bureau_id", "department", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "code"], name="partner_office_code_once_per_bureau"),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(phone="") & ~Q(address=""), name="partner_office_reachable"
            ),
            models.CheckConstraint(
                condition=~Q(delivery__in=["courier", "post"]) | ~Q(delivery_address=""),
                name="partner_office_paper_has_an_address",
            ),
            models.CheckConstraint(condition=Q(delivery_days__lte=10), name="partner_office_delivery_days"),
        ]

    def __str__(self) -> str:
        return self.name


class Bundle(BaseModel):
    """一件事: one application for a life event (retiring, losing a job), made of catalogue items
    — the bureau's own and partner offices' parts — with one form, one set of papers, one window
    and one answer. Its parts change by dated versions, as delegations do. Each bureau makes its
    own; the code names it everywhere (the API, intake)."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="bundles", verbose_name=_("bureau")
    )
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=120)
    description = models.TextField(_("what it is, in plain words"), max_length=2000)
    description_en = models.TextField(_("what it is, in English"), max_length=2000, blank=True)
    keywords = models.CharField(
        _("other words people use"), max_length=200, blank=True, help_text=_("Searched like the name.")
    )
    is_example = models.BooleanField(
        _("example configuration"), default=False, help_text=_("Demo content, not official policy.")
    )
    opens_months_before_retirement = models.PositiveSmallIntegerField(
        _("open from months before retirement"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MONTHS_BEFORE_RETIREMENT)],
        help_text=_(
            "Empty: anyone may apply. A number from 0 to 12: applicants may apply only from that many "
            "months before their statutory retirement month (退休一件事: 6)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bundle (一件事)")
        verbose_name_plural = _("bundles (一件事)")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(name_en="") & ~Q(description=""), name="bundle_says_what_it_is"
            ),
            models.CheckConstraint(
                condition=Q(opens_months_before_retirement__isnull=True)
                | Q(
                    opens_months_before_retirement__gte=0,
                    opens_months_before_retirement__lte=MAX_MONTHS_BEFORE_RETIREMENT,
                ),
                name="bundle_opens_0_to_12_months_before_retirement",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A bureau says once how long before retirement its residents may apply (one bundle carries
        the setting: its 退休一件事), so the calculator, the text and intake cannot disagree."""
        if self.opens_months_before_retirement is None or not self.bureau_id:
            return
        other = (
            Bundle.objects.filter(bureau_id=self.bureau_id, opens_months_before_retirement__isnull=False)
            .exclude(pk=self.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "opens_months_before_retirement": _(
                        "Only one bundle of a bureau says when retirement applications open: %(bundle)s does."
                    )
                    % {"bundle": other.name}
                }
            )


class BundleVersion(BaseModel):
    """The parts of a bundle from a date (until a date, or with no end): versions of one bundle never
    overlap, as delegations of one item to one town never do (`clean`, and under a lock in the
    services); the bundle is offered on the days a version is in force."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: no end."))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version of a bundle")
        verbose_name_plural = _("versions of bundles")
        ordering = ["bundle__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="bundle_version_valid_range",
            ),
            models.UniqueConstraint(fields=["bundle", "valid_from"], name="bundle_version_one_a_day"),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.bundle} · {self.valid_from.isoformat()}–{end}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        # here, not at the top: selectors import these models (catalog.models <-> catalog.bundles)
        from .bundles import bundle_version_overlapping

        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
        if self.bundle_id and self.valid_from:
            clash = bundle_version_overlapping(
                bundle=self.bundle, valid_from=self.valid_from, valid_to=self.valid_to, exclude_id=self.pk
            )
            if clash:
                raise ValidationError(
                    _("A version of this bundle already runs from %(start)s to %(end)s; end it first."),
                    params={"start": clash.valid_from, "end": clash.valid_to or "—"},
                )


class BundlePart(BaseModel):
    """An item in a version of a bundle: the bureau's own (its station or hall finishes it, as
    delegation says) or a partner office's part (the office finishes it; the bureau sends it). The
    lead part is the bundle's intake: a place takes the bundle when it takes the lead part."""

    version = models.ForeignKey(BundleVersion, on_delete=models.CASCADE, related_name="parts")
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="bundle_parts", verbose_name=_("service item")
    )
    partner = models.ForeignKey(
        PartnerOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("finished by a partner office"),
        help_text=_("Empty: the bureau finishes it (its station or hall, as delegation says)."),
    )
    is_lead = models.BooleanField(
        _("lead part"), default=False, help_text=_("The bundle is taken where this part is taken.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.CharField(_("what this part does"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part of a bundle")
        verbose_name_plural = _("parts of a bundle")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "item"], name="bundle_part_item_once"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(is_lead=True), name="bundle_part_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)

    def clean(self) -> None:
        try:
            version = self.version  # the admin's parts of a version not yet saved: set, without a key
        except BundleVersion.DoesNotExist:
            version = None
        if self.partner_id and version is not None and version.bundle_id:
            if self.partner.bureau_id != version.bundle.bureau_id:
                raise ValidationError({"partner": _("Choose a partner office of the bundle's own bureau.")})
        if self.partner_id and not self.partner.active:
            raise ValidationError({"partner": _("This partner office is no longer in use.")})
