"""Floor views for `bench/api_load.py`: the least database work an endpoint of that kind must do.

A case read must write its audit record (the privacy rules: opening a case is an audited view), and
an intake must take the bureau's next gap-free number and store a row in the same transaction. These
views do only that work, with nothing of Linju's around it, so that the bench can show how much of
/livez's rate is left once it is done at all:

  GET  /bench/floor/one-query       one ORM read (a user by primary key), no write
  GET  /bench/floor/audit-write     one audit row inserted and committed (a case read's write)
  POST /bench/floor/numbered-write  one transaction: the day's counter bumped (its row lock held to the
                                    commit, as in intake) and one row inserted
"""

import datetime

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from linju.accounts.models import User
from linju.audit.models import AuditEvent
from linju.cases.models import CaseCounter

FLOOR_DAY = datetime.date(2000, 1, 1)  # a day no real case is numbered on


_held = {}


def _actor() -> User:
    """The demo's cadre, read once per process (the endpoints' own look-ups are not the floor)."""
    if "actor" not in _held:
        _held["actor"] = User.objects.only("pk", "bureau_id").get(username="yongxin_cadre")
    return _held["actor"]


def one_query(request):
    return JsonResponse({"id": User.objects.filter(pk=_actor().pk).values_list("pk", flat=True).first()})


def _audit_row(actor) -> AuditEvent:
    return AuditEvent.objects.create(
        bureau_id=actor.bureau_id,
        actor=actor,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="bench",
        object_id="floor",
        object_label="floor",
        detail={},
        ip_address="127.0.0.1",
        user_agent="wrk",
        path="/bench/floor",
    )


def audit_write(request):
    return JsonResponse({"id": _audit_row(_actor()).pk})


@csrf_exempt
def numbered_write(request):
    actor = _actor()
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (bureau_id, day, last) VALUES (%s, %s, 1) "
                f"ON CONFLICT (bureau_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [actor.bureau_id, FLOOR_DAY],
            )
            (last,) = cursor.fetchone()
        row = _audit_row(actor)
    return JsonResponse({"number": last, "id": row.pk}, status=201)


urlpatterns = [
    path("bench/floor/one-query", one_query),
    path("bench/floor/audit-write", audit_write),
    path("bench/floor/numbered-write", numbered_write),
    path("", include("config.urls")),
]
