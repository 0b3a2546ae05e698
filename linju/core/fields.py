"""Model fields for personal data at rest (linju/core/crypto.py): the Python value is the plain
text, the column holds `keyid:ciphertext`, and a companion column its blind index.

    id_number = EncryptedField(_("ID number"), purpose="id_number", index="id_number_index")
    id_number_index = BlindIndexField(source="id_number")

`Model.objects.filter(id_number=x)` and `filter(id_number__in=[…])` are compiled to the index
column (`id_number_index = hmac(x)`), through relations too (`resident__phone=x`); a uniqueness
constraint is declared on the index column. Any other lookup (contains, startswith, ranges, ordering
by the value) cannot be answered by the database and is refused when the query is built. The index is
computed in `pre_save`, so `save()`, `bulk_create` and held inserts (linju/core/held_queries.py) keep
it; `QuerySet.update(phone=…)` keeps it through `BlindIndexedQuerySet`; `bulk_update` does not (give
it the index field too).

Whether a value is given at all needs no index: an empty value is stored empty, so `phone=""` on a
field without an index compares the column itself (a CheckConstraint such as "texts to the agent
need the agent's phone" keeps working); any other value on such a field is refused. `max_length`
bounds the plain value (validated by `full_clean` and model forms; the column is text)."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import EmptyResultSet, FieldError
from django.db import NotSupportedError, models
from django.db.models.expressions import Col, Value
from django.db.models.lookups import Lookup

from .crypto import key_id_of, keyring

ALLOWED_LOOKUPS = {"exact", "in", "isnull"}


class EncryptedField(models.TextField):
    """Text kept encrypted with SM4 under the current key, its key id in front (empty text stays
    empty: "no phone" is not a secret). `purpose` names the kind of value (bound into the cipher
    and the index, so values of two kinds never compare equal); `index` the companion
    `BlindIndexField`, without which the value cannot be searched."""

    def __init__(self, *args, purpose: str, index: str | None = None, **kwargs) -> None:
        self.purpose, self.index = purpose, index
        super().__init__(*args, **kwargs)
        if self.max_length is not None:  # of the plain value: the column holds more
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        if self.index:
            kwargs["index"] = self.index
        return name, path, args, kwargs

    @property
    def index_field(self) -> BlindIndexField | None:
        return self.model._meta.get_field(self.index) if self.index else None

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS or (lookup_name == "in" and not self.index):
            return None  # Django answers "Unsupported lookup … for EncryptedField"
        return super().get_lookup(lookup_name)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or value == "":
            return value
        return keyring().encrypt(str(value), self.purpose)

    def from_db_value(self, value, expression, connection):
        if not value or key_id_of(value) is None:  # empty, or written before encryption
            return value
        return keyring().decrypt(value, self.purpose)

    def blind(self, plain) -> str:
        return "" if plain is None or plain == "" else keyring().blind_index(str(plain), self.purpose)


class BlindIndexField(models.CharField):
    """The keyed HMAC-SM3 of another field's plain value (linju/core/crypto.py), kept on every
    save; "" for an empty value."""

    def __init__(self, *args, source: str, **kwargs) -> None:
        self.source = source
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("max_length", 32), ("editable", False), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        source = self.model._meta.get_field(self.source)
        value = source.blind(getattr(model_instance, source.attname))
        setattr(model_instance, self.attname, value)
        return value


class _BlindLookup(Lookup):
    """A lookup on an encrypted column, answered on its blind index column."""

    prepare_rhs = False

    @property
    def field(self) -> EncryptedField:
        """The encrypted field compared: a column's, or a value's standing for it (a constraint
        checked in Python by `full_clean` compares the instance's values)."""
        return self.lhs.target if isinstance(self.lhs, Col) else self.lhs.output_field

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise NotSupportedError("An encrypted column is compared with values only, not with expressions.")
        return self.rhs

    def index_sql(self, compiler, connection):
        lhs = self.lhs
        if not isinstance(lhs, Col):
            raise NotSupportedError("An encrypted column is looked up as it is, without functions.")
        return compiler.compile(lhs.target.index_field.get_col(lhs.alias))


@EncryptedField.register_lookup
class BlindExact(_BlindLookup):
    lookup_name = "exact"

    def get_prep_lookup(self):
        rhs = super().get_prep_lookup()
        if rhs not in ("", None) and not self.field.index:
            raise FieldError(
                f"{self.field.name} is encrypted without a blind index: only whether it is empty can be asked."
            )
        return rhs

    def as_sql(self, compiler, connection):
        field = self.field
        if isinstance(self.lhs, Value):  # the instance's own value, against the constraint's
            return "%s = %s", [field.blind(self.lhs.value), field.blind(self.rhs)]
        if not field.index:  # is it empty: an empty value is stored empty
            sql, params = compiler.compile(self.lhs)
            return f"{sql} = %s", [*params, ""]
        sql, params = self.index_sql(compiler, connection)
        return f"{sql} = %s", [*params, field.blind(self.rhs)]


@EncryptedField.register_lookup
class BlindIn(_BlindLookup):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        values = {self.field.blind(value) for value in self.rhs if value is not None}
        if not values:
            raise EmptyResultSet
        sql, params = self.index_sql(compiler, connection)
        ordered = sorted(values)
        return f"{sql} IN ({', '.join(['%s'] * len(ordered))})", [*params, *ordered]


def with_blind_indexes(model, values: dict) -> dict:
    """`values` for an UPDATE of `model` with each encrypted field's index beside it."""
    more = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(field, EncryptedField) and field.index and not hasattr(value, "resolve_expression"):
            more[field.index] = field.blind(value)
    return values | more


class BlindIndexedQuerySet(models.QuerySet):
    """`update(phone=…)` writes the value's blind index too."""

    def update(self, **kwargs):
        return super().update(**with_blind_indexes(self.model, kwargs))

    update.alters_data = True
