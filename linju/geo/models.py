from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet

from .cycles import validate_cycle
from .hours import DEFAULT_HOURS, validate_hours

CODE_LENGTH = 12


def default_hours() -> list[list[str]]:
    return [list(interval) for interval in DEFAULT_HOURS]


def _code_is_12_digits(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Exact(Length("code"), CODE_LENGTH), name=f"{name}_code_12_chars")


class Bureau(BaseModel):
    """A human resources and social security bureau: the jurisdiction a town belongs to.

    One installation serves 綦江区 and 万盛经开区, whose ten towns and streets have their own bureau.
    """

    zone = models.CharField(_("zone"), max_length=40, unique=True)
    jurisdiction_id = models.SlugField(
        _("jurisdiction id"),
        max_length=40,
        unique=True,
        help_text=_("Names the bureau in Open311 (jurisdiction_id)."),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40)
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        help_text=_("Two to four capital letters that begin its case numbers, e.g. QJ-20261129-0001."),
    )

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("code"), 2)) & Q(Exact(Upper("code"), F("code"))),
                name="bureau_code_capitals",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def bureau_key() -> models.ForeignKey:
    """The bureau a row that holds a person or a case belongs to: every such table has one, set by
    the services, never null, and part of each of its keys that is unique within a bureau."""
    return models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))


class District(BaseModel):
    code = models.CharField(_("division code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=60)
    full_name = models.CharField(_("full name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [_code_is_12_digits("district")]

    def __str__(self) -> str:
        return self.name


class Division(BaseModel):
    """A town or a village: keyed on its 12-digit statistical code, with a (possibly synthetic) position."""

    code = models.CharField(_("division code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=60)
    full_name = models.CharField(_("full name"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_synthetic = models.BooleanField(_("synthetic coordinates"), default=False)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Town(Division):
    """A town (镇) or street (街道)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="towns")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="towns")

    class Meta(Division.Meta):
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        constraints = [_code_is_12_digits("town")]


class VillageQuerySet(ScopedQuerySet):
    town_path = "town"


class Village(Division):
    """A village (村) or community (社区). Names repeat across the district: key on the code."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="villages")
    population = models.PositiveIntegerField(
        _("population (entered)"),
        null=True,
        blank=True,
        help_text=_("From a census or the village committee; when empty, planning counts the registry."),
    )

    objects = VillageQuerySet.as_manager()

    class Meta(Division.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [_code_is_12_digits("village")]


class ServicePointQuerySet(ScopedQuerySet):
    town_path = "town"


class ServicePoint(BaseModel):
    class Kind(models.TextChoices):
        DISTRICT_HALL = "district_hall", _("district service hall")
        TOWN_STATION = "town_station", _("township social-security station")
        # the job services near home (15分钟就业服务圈), in the provincial directory
        GIG_MARKET = "gig_market", _("gig market (零工市场)")
        GIG_STATION = "gig_station", _("gig station (零工驿站)")
        JOB_STATION = "job_station", _("job service station near home (家门口就业服务站)")

    class Operator(models.TextChoices):
        PUBLIC = "public", _("public (公益性)")
        BUSINESS = "business", _("run as a business (市场化)")
        SELF_ORGANISED = "self_organised", _("self-organised (自发性)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="service_points")
    village = models.ForeignKey(
        "Village",
        on_delete=models.PROTECT,
        related_name="service_points",
        null=True,
        blank=True,
        help_text=_("The village a job service station stands in."),
    )
    operator = models.CharField(
        _("run as"),
        max_length=20,
        choices=Operator.choices,
        blank=True,
        help_text=_("For a gig market or station: the provincial directory's kind."),
    )
    work_types = models.JSONField(_("main kinds of work"), default=list, blank=True)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="service_points", null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    working_day_hours = models.JSONField(
        _("hours on working days"),
        default=default_hours,
        validators=[validate_hours],
        help_text=_(
            'Open on every official working day (调休 Saturdays included), e.g. [["09:00", "12:00"], ["14:00", "17:30"]].'
        ),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Address, phone and location are demo values.")
    )

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="district_hall") | Q(town__isnull=False),
                name="service_point_station_has_town",
            ),
            models.UniqueConstraint(
                fields=["town"], condition=Q(kind="town_station"), name="one_station_per_town"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MarketPlaceQuerySet(ScopedQuerySet):
    town_path = "town"


class MarketPlace(BaseModel):
    """A rural market (场镇 at the town seat, or 片场 away from it)."""

    class Kind(models.TextChoices):
        TOWN_MARKET = "town_market", _("town market (场镇)")
        SATELLITE = "satellite", _("satellite market (片场)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="market_places")
    villages = models.ManyToManyField(Village, related_name="market_places", blank=True)
    regular_booth = models.BooleanField(
        _("regular booth"),
        default=True,
        help_text=_("The booth plan schedules this market's days; a planning proposal can change it."),
    )
    cycle = models.CharField(
        _("market cycle"),
        max_length=30,
        blank=True,
        validators=[validate_cycle],
        help_text=_("As people say it: 逢一四七, 农历逢三六九, 单日, 每周三."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = MarketPlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("market place")
        verbose_name_plural = _("market places")
        ordering = ["town__code", "code"]

    def __str__(self) -> str:
        return self.name


class TravelTime(BaseModel):
    """Minutes from a village to a service point or a market place (exactly one of the two)."""

    class Mode(models.TextChoices):
        WALK = "walk", _("on foot")
        BUS = "bus", _("by bus")

    class Source(models.TextChoices):
        SYNTHETIC = "synthetic", _("synthetic (demo)")
        IMPORTED = "imported", _("imported")

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="travel_times")
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, null=True, blank=True, related_name="travel_times"
    )
    market_place = models.ForeignKey(
        MarketPlace, on_delete=models.CASCADE, null=True, blank=True, related_name="travel_times"
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.CheckConstraint(
                condition=(Q(service_point__isnull=False) & Q(market_place__isnull=True))
                | (Q(service_point__isnull=True) & Q(market_place__isnull=False)),
                name="travel_time_one_destination",
            ),
            models.UniqueConstraint(
                fields=["village", "service_point"],
                condition=Q(service_point__isnull=False),
                name="travel_time_unique_service_point",
            ),
            models.UniqueConstraint(
                fields=["village", "market_place"],
                condition=Q(market_place__isnull=False),
                name="travel_time_unique_market_place",
            ),
            models.CheckConstraint(condition=Q(minutes__lte=24 * 60), name="travel_time_within_a_day"),
        ]

    @property
    def destination(self) -> ServicePoint | MarketPlace:
        return self.service_point or self.market_place
