"""Leaders read how many could apply in each village and for which item, never who: on the demo,
a leader's discovery page holds the counts and no name; staff read the names."""

import pytest
from django.contrib.auth import get_user_model

from linju.core.errors import PermissionDenied
from linju.eligibility.models import DiscoveryList
from linju.eligibility.selectors import discovery_counts, discovery_entries
from linju.eligibility.services import discovery_execute, discovery_start


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def run(demo):
    return discovery_execute(run=discovery_start(actor=_user("qj_staff")))


def test_a_leader_reads_the_counts_per_village_and_item_and_no_name(run, client):
    names = {entry.resident.name for entry in discovery_entries(viewer=_user("qj_staff"), run=run)}
    assert names  # the demo finds people (in 永新镇)
    client.force_login(_user("qj_leader"))
    page = client.get("/staff/discovery/")
    assert page.status_code == 200
    text = page.content.decode()
    assert not [name for name in names if name in text]
    first = (
        DiscoveryList.objects.filter(run=run).select_related("village", "item").order_by("village__code")[0]
    )
    assert first.village.name in text and first.item.name in text and f"<td>{first.size}</td>" in text
    assert "visit them" not in text and "/start/" not in text  # nothing offered a leader may not do


def test_staff_read_the_same_lists_by_name(run, client):
    client.force_login(_user("qj_staff"))
    first = next(iter(discovery_entries(viewer=_user("qj_staff"), run=run)))
    assert first.resident.name in client.get("/staff/discovery/").content.decode()


def test_the_list_by_name_is_refused_to_a_leader_and_the_counts_are_not(run):
    leader = _user("qj_leader")
    with pytest.raises(PermissionDenied):
        discovery_entries(viewer=leader, run=run)
    counts = discovery_counts(viewer=leader, run=run)
    assert sum(c.size for c in counts) == run.hits
