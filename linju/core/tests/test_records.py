"""Fixed-width records: what PostgreSQL packs is what numpy unpacks; the database keeps a stored
record in step with its row; other databases hold NULL."""

import datetime

import numpy as np
import pytest
from django.db import connection

from linju.core.pgcopy import CopyFormatError, copy_records
from linju.core.records import PackedRecord, record_dtype, unpack
from linju.eligibility.models import Hardship, HouseholdFacts, ResidentFacts
from linju.people.tests.factories import ResidentFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="records are packed by PostgreSQL"
)


def test_a_record_refuses_what_it_cannot_pack():
    with pytest.raises(ValueError, match="unknown kind"):
        PackedRecord("id", (("name", "text"),))
    with pytest.raises(ValueError, match="needs its words"):
        PackedRecord("id", (("kind", "code"),))
    with pytest.raises(ValueError, match="needs its words"):
        PackedRecord("id", (("kind", "code", ("Bad word",)),))
    with pytest.raises(ValueError, match="at most 31"):
        PackedRecord("id", tuple((f"f{i}", "bool") for i in range(32)))


def test_the_layout_has_no_padding():
    fields = (("a", "date"), ("b", "bool"), ("c", "int2"), ("d", "code", ("x",)), ("e", "int4"))
    assert record_dtype(fields).itemsize == 8 + 4 + 2 + 2 + 4 + 4 + 4


def test_the_stored_records_cover_every_fact():
    """A fact added to the model without its place in the record would be read as unknown."""
    for model in (ResidentFacts, HouseholdFacts):
        record = model._meta.get_field("record").expression
        packed = {name: kind for name, kind, *_words in record.fields}
        facts = {
            f.name: f
            for f in model._meta.concrete_fields
            if f.name not in ("id", "is_synthetic", "record") and not f.is_relation
        }
        assert set(packed) == set(facts), model
        for name, field in facts.items():
            kind = packed[name]
            expected = {
                "DateField": "date",
                "BooleanField": "bool",
                "PositiveSmallIntegerField": "int2",
                "PositiveIntegerField": "int4",
                "CharField": "code",
            }[field.get_internal_type()]
            assert kind == expected, name
        for name, kind, *words in record.fields:
            if kind == "code":
                assert words[0] == tuple(dict(facts[name].choices)), name


@pytest.mark.django_db
def test_other_databases_hold_null():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL packs")
    person = ResidentFactory()
    facts = ResidentFacts.objects.create(bureau=person.bureau, resident=person, disability_level=1)
    assert ResidentFacts.objects.values_list("record", flat=True).get(pk=facts.pk) is None


def _read(queryset, record):
    sql, params = queryset.order_by("pk").values_list("record").query.sql_with_params()
    return copy_records(sql, params, record.dtype())


@on_postgresql
@pytest.mark.django_db
def test_what_postgresql_packs_numpy_unpacks_and_the_database_keeps_it_current():
    record = ResidentFacts._meta.get_field("record").expression
    person = ResidentFactory()
    full = ResidentFacts.objects.create(
        bureau=person.bureau,
        resident=person,
        employment_status="unemployed",
        job_lost_on=datetime.date(1969, 12, 30),  # before 1970: negative days
        job_loss_cause="involuntary",
        registered_unemployed=False,
        unemployment_insured=True,
        unemployment_contribution_months=32767,
        medical_expenses_12m=2_000_000_000,
        disability_level=0,
        hardship_kind=Hardship.OTHER,
    )
    other = ResidentFactory()
    blank = ResidentFacts.objects.create(bureau=other.bureau, resident=other)  # every fact unknown
    records = _read(ResidentFacts.objects.filter(pk__in=[full.pk, blank.pk]), record)
    assert records["key"].tolist() == [full.resident_id, blank.resident_id]
    facts = unpack(records, record.fields)
    values = {name: (v.tolist(), k.tolist()) for name, (v, k) in facts.items()}
    assert values["employment_status"] == ([4, 0], [True, False])  # 1-based among the choices
    assert values["job_lost_on"] == ([-2, 0], [True, False])
    assert values["job_loss_cause"] == ([1, 0], [True, False])
    assert values["registered_unemployed"] == ([False, False], [True, False])
    assert values["unemployment_insured"] == ([True, False], [True, False])
    assert values["unemployment_contribution_months"] == ([32767, 0], [True, False])
    assert values["medical_expenses_12m"] == ([2_000_000_000, 0], [True, False])
    assert values["disability_level"] == ([0, 0], [True, False])  # a known zero is not unknown
    assert values["hardship_kind"] == ([5, 0], [True, False])
    assert values["pension_insured"] == ([False, False], [False, False])

    # an update by any path (here a bulk UPDATE, no model save) changes the stored record
    ResidentFacts.objects.filter(pk=blank.pk).update(medical_insured=True, employment_status="retired")
    facts = unpack(_read(ResidentFacts.objects.filter(pk=blank.pk), record), record.fields)
    assert facts["medical_insured"][0].tolist() == [True] and facts["medical_insured"][1].tolist() == [True]
    assert facts["employment_status"][0].tolist() == [5]


@on_postgresql
@pytest.mark.django_db
def test_no_rows_is_an_empty_array_and_a_wrong_width_is_refused():
    record = HouseholdFacts._meta.get_field("record").expression
    assert len(_read(HouseholdFacts.objects.filter(pk=-1), record)) == 0
    with pytest.raises(CopyFormatError):
        copy_records("SELECT '\\x0102'::bytea", [], record.dtype())


@on_postgresql
@pytest.mark.django_db
def test_the_residents_record_and_one_packed_at_read_time_agree():
    from linju.people.models import Household, Resident

    person = ResidentFactory(birth_date=datetime.date(2000, 1, 2), household=None)
    stored = Resident._meta.get_field("record").expression
    at_read_time = PackedRecord("id", stored.fields)
    # joined to other tables (the filter), the columns are still the resident's own
    rows = Resident.objects.filter(village__town=person.village.town, pk=person.pk)
    for query in (rows.values_list("record"), rows.annotate(packed=at_read_time).values_list("packed")):
        sql, params = query.query.sql_with_params()
        records = copy_records(sql, params, stored.dtype())
        facts = unpack(records, stored.fields)
        assert records["key"].tolist() == [person.pk]
        assert facts["village"][0].tolist() == [person.village_id]
        assert facts["household"][1].tolist() == [False]  # no household: unknown
        assert facts["birth_date"][0].tolist() == [
            (datetime.date(2000, 1, 2) - datetime.date(1970, 1, 1)).days
        ]
        assert np.all(facts["birth_date"][1])
    household = Household.objects.create(
        bureau=person.bureau, number="500110113225-9", village=person.village
    )
    Resident.objects.filter(pk=person.pk).update(household=household)
    sql, params = rows.values_list("record").query.sql_with_params()
    facts = unpack(copy_records(sql, params, stored.dtype()), stored.fields)
    assert facts["household"][0].tolist() == [household.pk] and facts["household"][1].tolist() == [True]
