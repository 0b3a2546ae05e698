from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.fields import BlindIndexedQuerySet, BlindIndexField, EncryptedField
from linju.core.models import BaseModel
from linju.core.querysets import ScopedQuerySet
from linju.core.records import PackedRecord
from linju.geo.models import Village, bureau_key

from .masking import mask_id_number, mask_phone


class Household(BaseModel):
    """A registered household (户). Its number starts with its village's 12-digit code."""

    bureau = bureau_key()
    number = models.CharField(_("household number"), max_length=20)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "number"], name="household_number_per_bureau")
        ]

    def __str__(self) -> str:
        return self.number


class ResidentQuerySet(BlindIndexedQuerySet, ScopedQuerySet):
    town_path = "village__town"


class Resident(BaseModel):
    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    bureau = bureau_key()
    name = models.CharField(_("name"), max_length=40)
    name_initials = models.CharField(_("pinyin initials"), max_length=40, db_index=True)
    name_pinyin = models.CharField(_("pinyin"), max_length=120, db_index=True)
    # encrypted at rest (SM4), found through their blind indexes (HMAC-SM3): linju/core/fields.py.
    # The last four characters too: with the birth date (in clear, for the rules) and the region
    # (near the village's), they would give the whole number back. The index columns are indexed in
    # Meta, not by db_index: beside a varchar's db_index PostgreSQL gets a second, LIKE pattern
    # index from Django, which a blind index (equality only) never uses and every insert pays for.
    id_number = EncryptedField(_("resident ID number"), purpose="id_number", index="id_number_index")
    id_number_index = BlindIndexField(source="id_number")
    id_last4 = EncryptedField(_("last four ID characters"), purpose="id_last4", index="id_last4_index")
    id_last4_index = BlindIndexField(source="id_last4")
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = EncryptedField(_("phone"), blank=True, purpose="phone", index="phone_index")
    phone_index = BlindIndexField(source="phone")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo person, not a real resident.")
    )
    # where the person sits in the registry as one binary record, kept by the database on every
    # write (PostgreSQL; NULL elsewhere): a whole-registry read (discovery) takes a million people
    # as one value (linju/core/records.py)
    record = models.GeneratedField(
        expression=PackedRecord("id", (("village", "int8"), ("household", "int8"), ("birth_date", "date"))),
        output_field=models.BinaryField(null=True),
        db_persist=True,
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name_initials", "id"]
        constraints = [
            # the number's index first: the same B-tree finds a number in every bureau at once (the
            # refusals of a registration, the directory's moves), with no index of its own
            models.UniqueConstraint(
                fields=["id_number_index", "bureau"], name="resident_id_number_per_bureau"
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="resident_sex_valid"),
        ]
        indexes = [
            models.Index(fields=["village", "name_initials"], name="resident_village_initials"),
            # discovery reads one bureau's records by key range (linju/core/pgcopy.py)
            models.Index(fields=["bureau", "id"], name="resident_bureau_key"),
            # the search box's last four characters and whole phone numbers
            models.Index(fields=["id_last4_index"], name="resident_last4_index"),
            models.Index(fields=["phone_index"], name="resident_phone_index"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Person(models.Model):
    """The directory of ID numbers across bureaus: one row a person, naming the bureau whose
    registry holds them now. Each bureau keeps its own resident record; when someone registered in
    one bureau is recorded by another, the directory moves them and a `PersonMove` says so, so a move
    is one person in two registries, never two strangers with one number."""

    id_number = EncryptedField(_("resident ID number"), purpose="id_number", index="id_number_index")
    id_number_index = BlindIndexField(source="id_number")
    bureau = models.ForeignKey(
        "geo.Bureau", on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau now")
    )
    since = models.DateTimeField(_("since"), default=timezone.now)

    objects = BlindIndexedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person (directory)")
        verbose_name_plural = _("people (directory)")
        constraints = [  # a constraint, not unique=True: no LIKE pattern index beside it (see Resident)
            models.UniqueConstraint(fields=["id_number_index"], name="person_id_number_once"),
        ]

    def __str__(self) -> str:
        return mask_id_number(self.id_number)


class PersonMove(models.Model):
    """A person's move from one bureau's registry to another's, as recorded by the second."""

    bureau = bureau_key()  # the bureau moved to (its records); the one left is `from_bureau`
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="moves")
    from_bureau = models.ForeignKey("geo.Bureau", on_delete=models.PROTECT, related_name="+")
    from_resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="moves_out")
    to_resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="moves_in")
    moved_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    how = models.CharField(_("recorded by"), max_length=20)  # intake, import, registration

    class Meta:
        verbose_name = _("move between bureaus")
        verbose_name_plural = _("moves between bureaus")
        ordering = ["-moved_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(bureau=F("from_bureau")), name="person_move_between_bureaus"),
            models.UniqueConstraint(fields=["to_resident"], name="one_move_into_a_record"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.from_bureau_id} → {self.bureau_id}"
