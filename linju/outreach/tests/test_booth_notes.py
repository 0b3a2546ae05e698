"""A booth day's record as a leader reads it: topics and counts, not the notes staff wrote about
the people who asked (a note may name them); on the demo."""

import pytest
from django.contrib.auth import get_user_model

from linju.outreach.models import BoothSession
from linju.outreach.services import consultation_log
from linju.people.models import Resident


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def noted(demo):
    """A demo booth day with a question logged without a topic, its note naming who asked."""
    booth = BoothSession.objects.select_related("market__town").order_by("date", "pk").first()
    resident = Resident.objects.filter(village__town=booth.market.town).order_by("pk").first()
    note = f"{resident.name}问补缴"
    consultation_log(actor=_user("qj_staff"), booth_id=booth.pk, note=note)
    return booth, resident.name


def _texts(client, booth):
    page = client.get(f"/staff/outreach/booths/{booth.pk}/")
    api = client.get(f"/api/v1/outreach/booths/{booth.pk}/consultations")
    assert page.status_code == 200 and api.status_code == 200
    return page.content.decode() + api.content.decode()


def test_a_leader_reads_a_booth_day_without_the_names_in_its_notes(noted, client):
    booth, name = noted
    client.force_login(_user("qj_leader"))
    text = _texts(client, booth)
    assert name not in text and "—" in text
    assert 'id="consult"' not in text  # no form to log a question they may not log


def test_staff_read_the_notes_whole(noted, client):
    booth, name = noted
    client.force_login(_user("qj_staff"))
    assert name in _texts(client, booth)
