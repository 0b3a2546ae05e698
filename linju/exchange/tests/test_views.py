import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linju.exchange.models import Kind, Message

pytestmark = pytest.mark.django_db

URL = "exchange:dead-letters"


def _dead(bureau_id: int, n: int, reason: str) -> Message:
    return Message.objects.create(
        bureau_id=bureau_id,
        target="province",
        kind=Kind.CASE_FINISHED,
        reference=f"QJ-{n}:2:case_finished",
        payload={"case_number": f"QJ-20261125-{n:04d}"},
        status=Message.Status.DEAD,
        attempts=10,
        next_attempt_at=None,
        last_error=reason,
    )


def test_the_dead_letters_show_the_provinces_reason_and_go_again_on_a_press(client, towns_and_staff):
    mine = _dead(towns_and_staff.staff.bureau_id, 1, "HTTP 422: region_code: '50011' does not match")
    theirs = _dead(towns_and_staff.ws_staff.bureau_id, 2, "HTTP 401: 签名不符")
    client.force_login(towns_and_staff.staff)
    page = client.get(reverse(URL)).content.decode()
    assert "QJ-20261125-0001" in page and "does not match" in page
    assert "QJ-20261125-0002" not in page  # another bureau's
    answer = client.post(reverse(URL), {"message": [str(mine.pk), str(theirs.pk), "x"]})
    assert answer.status_code == 303
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.status == Message.Status.WAITING and mine.attempts == 0
    assert mine.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=1)
    assert theirs.status == Message.Status.DEAD
    assert "QJ-20261125-0001" not in client.get(reverse(URL)).content.decode()


def test_leaders_and_cadres_do_not_see_the_dead_letters(client, towns_and_staff):
    _dead(towns_and_staff.staff.bureau_id, 1, "HTTP 503: busy")
    for user in (towns_and_staff.leader, towns_and_staff.cadre):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403
        assert client.post(reverse(URL), {"message": ["1"]}).status_code == 403
    assert Message.objects.get().status == Message.Status.DEAD
