"""The day's case number and the rows that carry it (linju/cases/services/numbering.py): the number
given by the database from the bumped counter, the same in the case, its events' key and the
province's message; one statement on PostgreSQL, one by one elsewhere; rolled back with the intake."""

import datetime

import pytest
from django.db import connection, transaction

from linju.cases.models import Case, CaseCounter, CaseEvent
from linju.cases.services.common import _event_row
from linju.cases.services.numbering import NUMBER, case_number, write_numbered
from linju.cases.services.province import province_message
from linju.cases.tests.factories import case_taken
from linju.exchange.models import Kind, Message
from linju.geo.selectors import bureau_by_id

DAY = datetime.date(2026, 11, 25)


def _unsaved_copy(case: Case) -> Case:
    copy = Case.objects.select_related("item", "town").get(pk=case.pk)
    copy.pk, copy._state.adding = None, True
    copy.number, copy.idempotency_key = NUMBER, None
    return copy


def _at_the_market(case: Case, market) -> Case:
    case.channel, case.taken_at_point, case.taken_at_market = "booth", None, market
    return case


def _write(case: Case, *, events: int = 1):
    bureau = bureau_by_id(bureau_id=case.bureau_id)
    rows = [_event_row(case, CaseEvent.Action.ACCEPT, None, "", at=case.accepted_at) for _ in range(events)]
    message = province_message(case, Kind.CASE_ACCEPTED, case.accepted_at)
    write_numbered(bureau=bureau, day=DAY, case=case, events=rows, messages=[message])
    return rows, message


def test_the_number_is_the_next_of_the_day_in_every_row_that_carries_it(served):
    first = case_taken(served)
    case = _unsaved_copy(first)
    events, message = _write(case, events=2)
    assert case.number == case_number(bureau_by_id(bureau_id=case.bureau_id), DAY, int(first.number[-4:]) + 1)
    stored = Case.objects.get(pk=case.pk)
    assert stored.number == case.number
    assert [e.case_id for e in CaseEvent.objects.filter(pk__in=[e.pk for e in events])] == [case.pk, case.pk]
    kept = Message.objects.get(pk=message.pk)
    assert kept.reference == message.reference == f"{case.number}:{case.version}:case_accepted"
    assert kept.payload["case_number"] == message.payload["case_number"] == case.number
    assert NUMBER not in str(kept.payload) and not case._state.adding


def test_one_statement_on_postgresql(served, django_assert_num_queries):
    case = _unsaved_copy(case_taken(served))
    statements = 1 if connection.vendor == "postgresql" else 4  # counter, case, event, message
    with django_assert_num_queries(statements):
        _write(case)


def test_past_nine_thousand_nine_hundred_and_ninety_nine_the_number_grows_a_digit(served):
    first = case_taken(served)
    CaseCounter.objects.filter(bureau_id=first.bureau_id, day=DAY).update(last=9999)
    case = _unsaved_copy(first)
    _write(case)
    assert case.number.endswith("-10000")
    assert case.number == case_number(bureau_by_id(bureau_id=case.bureau_id), DAY, 10000)


def test_a_write_rolled_back_leaves_no_gap(served):
    first = case_taken(served)
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(_unsaved_copy(first))
        raise RuntimeError("the intake fails after its writes")
    case = _unsaved_copy(first)
    _write(case)
    assert int(case.number[-4:]) == int(first.number[-4:]) + 1
    assert Message.objects.filter(reference__startswith=case.number).count() == 1


def test_the_booth_of_the_day_is_found_and_held_in_the_same_statement(served, django_assert_num_queries):
    from linju.cases.services.numbering import in_one_statement
    from linju.outreach.models import BoothSession

    if not in_one_statement():
        pytest.skip("one statement on PostgreSQL only: elsewhere the intake reads the booth first")
    first = case_taken(served)
    market = served.market
    planned = BoothSession.objects.create(market=market, date=DAY, status=BoothSession.Status.PLANNED)
    later = DAY + datetime.timedelta(days=7)
    BoothSession.objects.create(market=market, date=later, status=BoothSession.Status.CANCELLED)
    case = _at_the_market(_unsaved_copy(first), market)
    bureau = bureau_by_id(bureau_id=case.bureau_id)
    with django_assert_num_queries(1):
        write_numbered(
            bureau=bureau, day=DAY, case=case, events=[], messages=[], booth_of_the_day=(market.pk, DAY)
        )
    assert case.booth_id == planned.pk
    assert Case.objects.get(pk=case.pk).booth_id == planned.pk
    planned.refresh_from_db()
    assert planned.status == BoothSession.Status.HELD
    other = _at_the_market(_unsaved_copy(first), market)
    write_numbered(
        bureau=bureau, day=later, case=other, events=[], messages=[], booth_of_the_day=(market.pk, later)
    )
    assert other.booth_id is None  # the booth of that day is cancelled: the market's case
