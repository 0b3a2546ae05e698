import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from linju.core.models import BaseModel
from linju.geo.models import Town


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
