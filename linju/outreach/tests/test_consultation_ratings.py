"""一次一评: a booth question logged gets a slip code; the person rates the visit with it, once. A
named 差评 is called back like a case's; an unnamed one is counted, not called back; a question that
became a case is rated as its case."""

import pytest
from django.utils import timezone

from linju.cases.models import FollowUp, Rating
from linju.core.errors import Conflict, DomainError, NotFound
from linju.exchange.models import Message
from linju.exchange.standin import province_validator
from linju.outreach.models import BoothSession
from linju.outreach.services import consultation_log, consultation_rate


@pytest.fixture
def booth(served):
    booth = BoothSession.objects.create(market=served.market, date=timezone.localdate())
    booth.staff.add(served.cadre)
    booth.items.add(served.ui)
    return booth


def test_a_logged_question_gets_a_slip_code_and_is_rated_once(served, booth, client):
    asked = consultation_log(actor=served.cadre, booth_id=booth.pk, item_code="UI-002")
    assert asked.slip_code.startswith("ZX") and len(asked.slip_code) == 10
    page = client.post("/rate/", {"slip_code": asked.slip_code.lower(), "level": 4, "comment": ""})
    assert page.status_code == 200
    rating = Rating.objects.get(consultation=asked)
    assert (rating.source, rating.channel, rating.town, rating.rated_staff) == (
        "slip",
        "booth",
        served.yongxin,
        served.cadre,
    )
    assert not rating.named  # nobody was recorded: counted, not called back
    payload = Message.objects.get(kind="rating").payload
    assert province_validator().is_valid(payload) and payload["case_number"] == asked.slip_code
    with pytest.raises(Conflict):
        consultation_rate(slip_code=asked.slip_code, level=1)


def test_a_named_poor_visit_rating_opens_a_callback_and_an_unnamed_one_does_not(served, booth):
    named = consultation_log(
        actor=served.cadre, booth_id=booth.pk, item_code="UI-002", resident_id=served.dai.pk
    )
    unnamed = consultation_log(actor=served.cadre, booth_id=booth.pk, note="问路")
    consultation_rate(slip_code=named.slip_code, level=1, comment="态度差")
    consultation_rate(slip_code=unnamed.slip_code, level=1)
    callback = FollowUp.objects.get()
    assert callback.rating.consultation == named and callback.case is None and callback.town == served.yongxin
    assert callback.assigned_to != served.cadre  # not the one rated
    assert Rating.objects.get(consultation=unnamed).item is None


def test_an_unknown_code_is_not_found_and_a_bad_level_is_refused(served, booth):
    asked = consultation_log(actor=served.cadre, booth_id=booth.pk, item_code="UI-002")
    with pytest.raises(NotFound):
        consultation_rate(slip_code="ZX00000000", level=3)
    with pytest.raises(DomainError):
        consultation_rate(slip_code=asked.slip_code, level=6)
    assert not Rating.objects.exists()
