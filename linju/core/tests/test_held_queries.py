"""Queries compiled once per thread (linju/core/held_queries.py): the rows and the inserted row are
what Django's own evaluation and save give, read and written with one statement each, and a query it
is not safe to hold is evaluated as usual."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import F, Q, signals
from django.utils.translation import gettext_lazy

from linju.access.scoping import served_town_ids
from linju.audit.models import AuditEvent
from linju.cases.models import Case, CaseEvent
from linju.cases.selectors import CASE_BY_NUMBER, EVENTS_OF_CASE
from linju.cases.tests.factories import case_moved, case_taken
from linju.core.held_queries import BoundHere, HeldInsert, HeldQuery, RowValues
from linju.core.querysets import visible_held_row
from linju.core.tests.threads import run_together
from linju.exchange.models import Message
from linju.people.models import Person, Resident


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_held_case_is_the_case_django_reads(served, django_assert_num_queries):
    first, second = case_taken(served), case_taken(served, item="MD-005")
    CASE_BY_NUMBER.rows(number=first.number)  # compiled here, or in an earlier test of this thread
    with django_assert_num_queries(1):
        (held,) = CASE_BY_NUMBER.rows(number=second.number)
        applicant = held.applicant  # read with the case (select_related), no query of its own
    read = Case.objects.select_related("applicant").get(number=second.number)
    assert _fields(held) == _fields(read)
    assert _fields(applicant) == _fields(read.applicant)
    assert held._state.db == "default" and not held._state.adding
    assert CASE_BY_NUMBER.rows(number="QJ-NOT-A-CASE") == []


def test_held_events_carry_their_annotation(served, django_assert_num_queries):
    case = case_moved(served, case_taken(served), "suspend", missing=["诊断证明"])
    EVENTS_OF_CASE.rows(case_id=case.pk)
    with django_assert_num_queries(1):
        events = EVENTS_OF_CASE.rows(case_id=case.pk)
    read = list(CaseEvent.objects.filter(case_id=case.pk).annotate(by_name=F("actor__username")))
    assert [_fields(e) for e in events] == [_fields(e) for e in read]
    assert [e.by_name for e in events] == ["yongxin_cadre", "yongxin_cadre"]
    assert [e.created_at.tzinfo is not None for e in events] == [True, True]


def test_a_query_with_constants_of_its_own_is_held_with_them(served):
    accepted = HeldQuery(lambda number: Case.objects.filter(number=number, status=Case.Status.ACCEPTED))
    first, second = case_taken(served), case_taken(served, item="MD-005")
    assert [c.pk for c in accepted.rows(number=first.number)] == [first.pk]
    assert accepted._local.__dict__["default"] is not None  # the status sent again as it was
    Case.objects.filter(pk=second.pk).update(status=Case.Status.IN_PROGRESS)
    assert accepted.rows(number=second.number) == []
    assert [c.pk for c in accepted.rows(number=first.number)] == [first.pk]


def test_a_query_whose_key_stands_twice_is_evaluated_as_usual(served):
    by_either = HeldQuery(lambda number: Case.objects.filter(Q(number=number) | Q(idempotency_key=number)))
    first, second = case_taken(served), case_taken(served, item="MD-005")
    assert [c.pk for c in by_either.rows(number=first.number)] == [first.pk]
    assert by_either._local.__dict__["default"] is None  # which of the two to replace: not held
    assert [c.pk for c in by_either.rows(number=second.number)] == [second.pk]


@pytest.mark.django_db(transaction=True)
def test_each_thread_holds_its_own_compiled_query(served):
    case = case_taken(served)
    numbers = run_together([lambda: [c.number for c in CASE_BY_NUMBER.rows(number=case.number)]] * 2)
    assert numbers == [[case.number], [case.number]]


def test_the_held_read_keeps_the_scoping_rule(served):
    case = case_taken(served)
    for viewer in (served.cadre, served.dongxi_cadre, served.ws_staff):
        served_town_ids(viewer)  # read once, as an API key's holder carries them: the held path
    assert visible_held_row(CASE_BY_NUMBER, served.cadre, number=case.number).pk == case.pk
    assert visible_held_row(CASE_BY_NUMBER, served.dongxi_cadre, number=case.number) is None
    assert visible_held_row(CASE_BY_NUMBER, served.ws_staff, number=case.number) is None
    assert visible_held_row(CASE_BY_NUMBER, None, number=case.number) is None


def _audit_row(served, **fields) -> AuditEvent:
    return AuditEvent(
        bureau_id=served.yongxin.bureau_id,
        actor=served.cadre,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="case",
        object_id="QJ-1",
        object_label="QJ-1 戴**",
        detail={"what": "api"},
        ip_address="127.0.0.1",
        **fields,
    )


def test_a_held_insert_writes_the_row_save_would(served, django_assert_num_queries):
    rows = HeldInsert(AuditEvent)
    rows.save(_audit_row(served))
    with django_assert_num_queries(1):
        held = rows.save(_audit_row(served, path="/api/v1/cases/QJ-1"))
    stored = AuditEvent.objects.get(pk=held.pk)
    assert _fields(stored) == _fields(held) | {"created_at": stored.created_at}
    assert stored.detail == {"what": "api"} and stored.path == "/api/v1/cases/QJ-1"
    assert abs(stored.created_at - held.created_at) < datetime.timedelta(seconds=1)  # auto_now_add
    assert not held._state.adding


def test_a_held_insert_saves_the_usual_way_when_someone_listens(served):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.object_id, created))

    signals.post_save.connect(receiver, sender=AuditEvent)
    try:
        HeldInsert(AuditEvent).save(_audit_row(served))
    finally:
        signals.post_save.disconnect(receiver, sender=AuditEvent)
    assert heard == [("QJ-1", True)]


def test_a_held_lookup_finds_without_a_query_and_builds_the_same_query(served, django_assert_num_queries):
    from linju.core.held_queries import HeldLookup
    from linju.geo.models import Village

    held = {"500110113225": Village.objects.get(code="500110113225")}
    lookup = HeldLookup(lambda code: Village.objects.filter(code=code), find=lambda code: held.get(code))
    with django_assert_num_queries(0):
        (village,) = lookup.rows(code="500110113225")
        assert lookup.rows(code="000000000000") == []
    assert village is held["500110113225"]
    assert list(lookup.queryset(code="500110113225")) == [village]


def _as_django_prepares(rows: RowValues, obj) -> list:
    compiler = rows.compiler
    return [compiler.prepare_value(f, compiler.pre_save_val(f, obj)) for f in rows.fields]


def _in_one_step(rows: RowValues) -> list[int]:
    """The columns whose values may be prepared in one step (neither encrypted nor set on save)."""
    return [i for i, (_f, _name, kind, _needs) in enumerate(rows._preparing.plan) if kind is not None]


def test_each_value_is_prepared_as_djangos_insert_prepares_it(served):
    case = case_moved(served, case_taken(served), "suspend", missing=["诊断证明"])
    event = case.events.order_by("pk").last()
    rows = [
        (RowValues(Case, connection), case),
        (RowValues(CaseEvent, connection), event),
        (RowValues(Resident, connection), case.applicant),
        (RowValues(Person, connection), Person(id_number=case.applicant.id_number, bureau_id=case.bureau_id)),
        (RowValues(Message, connection), Message.objects.order_by("pk").last() or Message()),
    ]
    for row, obj in rows:
        shortcut = _in_one_step(row)
        assert len(shortcut) >= len(row.fields) // 2, row.table  # most columns take the short way
        ours, django = row.values(obj), _as_django_prepares(row, obj)
        assert [(type(ours[i]), ours[i]) for i in shortcut] == [
            (type(django[i]), django[i]) for i in shortcut
        ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("description", gettext_lazy("Delivered")),  # a lazy string: made a string
        ("status", Case.Status.SUSPENDED),  # a choice: a string of its own kind, sent as it is
        ("clock_days", True),  # a bool in an integer column: made 1
        ("clock_days", None),
        ("promised_date", datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)),  # made a date
        ("forwarded_at", None),
        ("taken_at_point_id", None),
        ("texts_to_applicant", 1),  # an int in a boolean column: made True
        ("remaining_days", "3"),  # a string in an integer column: made 3
    ],
)
def test_a_value_of_another_kind_is_prepared_the_whole_way(served, name, value):
    case = case_taken(served)
    setattr(case, name, value)
    rows = RowValues(Case, connection)
    shortcut = _in_one_step(rows)
    ours, django = rows.values(case), _as_django_prepares(rows, case)
    assert [(type(ours[i]), ours[i]) for i in shortcut] == [(type(django[i]), django[i]) for i in shortcut]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are bound here on PostgreSQL only")
def test_a_statement_bound_here_is_the_statement_psycopg_would_send(db):
    import decimal
    import uuid

    from psycopg import ClientCursor
    from psycopg.types.json import Jsonb
    from psycopg.types.numeric import Int2

    values = [
        "it's a \\ back\\slash",
        "压测人员",
        None,
        7,
        Int2(3),
        True,
        datetime.date(2026, 12, 6),
        datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC),
        decimal.Decimal("12.50"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        Jsonb({"missing": ["诊断证明"], "quote": "'"}),
        ["a", "b"],
    ]
    sql = "SELECT " + ", ".join(["%s"] * len(values))
    connection.ensure_connection()
    assert BoundHere(sql).bound(connection, values) == ClientCursor(connection.connection).mogrify(
        sql, values
    )
    with connection.cursor() as cursor:
        BoundHere(sql).execute(cursor, values)
        row = cursor.fetchone()
    assert row[:4] == (values[0], "压测人员", None, 7) and row[6:8] == tuple(values[6:8])
    # bound for a connection since closed (before a reconnection), then for this one: with this one's
    # adapters, not the closed one's
    statement = BoundHere(sql)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        assert statement.bound(SimpleNamespace(connection=other), values) == ClientCursor(other).mogrify(
            sql, values
        )
    finally:
        other.close()
    assert statement.bound(connection, values) == ClientCursor(connection.connection).mogrify(sql, values)
    with pytest.raises(ValueError):
        BoundHere("SELECT %s WHERE name LIKE 'a%'")
    with pytest.raises(TypeError):  # a value short
        BoundHere(sql).bound(connection, values[:-1])
