"""Starting discovery is a durable transaction: the page queues the job once its run is committed."""

import pytest
from django.db import transaction

from linju.eligibility.models import DiscoveryRun
from linju.eligibility.services import discovery_fan_out, discovery_start


@pytest.mark.parametrize("start", [discovery_start, discovery_fan_out], ids=lambda f: f.__name__)
def test_starting_discovery_refuses_to_run_inside_a_callers_transaction(served, start):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        start(actor=served.staff)
    assert not DiscoveryRun.objects.exists()


def test_a_fan_out_starts_every_run_or_none(served, monkeypatch):
    from linju.eligibility import services

    made = []
    real = services._queued_run

    def second_fails(**kwargs):
        if made:
            raise RuntimeError("the second run could not be written")
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, "_queued_run", second_fails)
    with pytest.raises(RuntimeError, match="second run"):
        discovery_fan_out()  # one run a bureau: the world has two
    assert made and not DiscoveryRun.objects.exists()
