"""The replica router: reads that asked for it go to the replica, writes and locks to the primary,
and a request that wrote (or follows one that did) reads its own write from the primary."""

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from linju.cases.models import Case
from linju.core import replica
from linju.core.replica import PIN_COOKIE, ReplicaMiddleware, replica_reads, request_unit
from linju.people.models import Resident


@pytest.fixture
def with_replica(settings, monkeypatch):
    """As settings make it when DATABASE_REPLICA_URL is set (the alias is not connected here: the
    streaming replica itself is proved in e2e/test_replica_and_workers.py, `make test-all`)."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    settings.DATABASE_ROUTERS = ["linju.core.replica.ReplicaRouter"]  # Django re-reads the routers


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert Case.objects.all().db == "default"


def test_reads_go_to_the_replica_only_when_asked(with_replica):
    assert Case.objects.all().db == "default"  # a page that did not ask reads the primary
    with replica_reads():
        assert Case.objects.all().db == "replica"
        assert Resident.objects.filter(name="x").db == "replica"
    assert Case.objects.all().db == "default"


@pytest.mark.django_db
def test_writes_locks_and_transactions_stay_on_the_primary(with_replica):
    with replica_reads():
        assert Case.objects.select_for_update().db == "default"  # a lock is a write
        assert router.db_for_write(Case) == "default"
        with transaction.atomic():  # a replica read is never mixed into the primary's transaction
            assert Case.objects.all().db == "default"


def test_a_request_that_wrote_reads_its_own_write(with_replica):
    with request_unit():
        with replica_reads():
            assert Case.objects.all().db == "replica"
            router.db_for_write(Case)
            assert Case.objects.all().db == "default"
    with request_unit(pinned=True), replica_reads():  # the page after a recent write
        assert Case.objects.all().db == "default"


def test_a_post_that_wrote_pins_the_next_pages_to_the_primary(with_replica):
    seen = []

    def view(request):
        with replica_reads():
            seen.append(Case.objects.all().db)
            if request.method == "POST":
                router.db_for_write(Case)  # the view saved something
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(view)
    factory = RequestFactory()
    assert PIN_COOKIE not in middleware(factory.get("/")).cookies
    posted = middleware(factory.post("/"))
    assert posted.cookies[PIN_COOKIE]["max-age"] > 0
    after = factory.get("/")
    after.COOKIES[PIN_COOKIE] = "1"
    middleware(after)
    assert seen == ["replica", "replica", "default"]
