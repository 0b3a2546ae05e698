"""The second look (二次确认): staff see the new offers by town and item with a few masked names, and
approve or hold them a group at a time or all in their towns; a cadre only their towns'; leaders
nothing. Approval opens each offer for its rule's working days, decides how it reaches the person,
and tells the sending side only after it has committed."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from linju.audit.models import AuditEvent
from linju.core.errors import PermissionDenied
from linju.offers.models import Offer
from linju.offers.selectors import offer_groups
from linju.offers.services import sending
from linju.offers.services.approval import offers_approve, offers_hold
from linju.people.tests.factories import ResidentFactory
from linju.workdays.selectors import add_working_days

from .factories import make_offer, offered_rule

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def aw(served):
    """Offers of UI-002 waiting: 代 and six more in 永新镇's 荆山村 (one over 75, one with a landline),
    周 in 东溪镇, and 王 in 万盛's 南桐镇."""
    rule = offered_rule(served.ui, offer_open_days=10)
    yongxin = [served.dai] + [ResidentFactory(village=served.jingshan) for _ in range(6)]
    yongxin[1].birth_date = datetime.date(1940, 1, 1)
    yongxin[1].save()
    yongxin[2].phone = "023-48621234"
    yongxin[2].save()
    offers = [make_offer(r, rule) for r in [*yongxin, served.zhou, served.wansheng_resident]]
    return served | {"rule": rule, "yongxin": yongxin, "offers": offers}


@pytest.fixture
def approved_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(sending, "offers_approved", lambda ids: calls.append(sorted(ids)))
    return calls


def test_groups_by_town_and_item_with_five_masked_names(aw):
    groups = offer_groups(viewer=aw["staff"])
    assert [(g.town, g.item_code, g.count) for g in groups] == [
        ("永新镇", "UI-002", 7),
        ("东溪镇", "UI-002", 1),
    ]
    assert len(groups[0].sample) == 5 and groups[0].sample[0].name == "代*峰"
    assert [(g.town, g.count) for g in offer_groups(viewer=aw["cadre"])] == [("永新镇", 7)]
    assert [(g.town, g.count) for g in offer_groups(viewer=aw["ws_staff"])] == [("南桐镇", 1)]
    with pytest.raises(PermissionDenied):
        offer_groups(viewer=aw["leader"])


def test_approval_opens_each_offer_for_its_working_days_and_decides_how_it_reaches_them(
    aw, approved_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = offers_approve(actor=aw["cadre"], town_code="500110113000", item_code="UI-002", today=TODAY)
    assert count == 7
    opened = Offer.objects.filter(status=Offer.Status.OPEN)
    assert {o.resident for o in opened} == set(aw["yongxin"])
    assert {o.expires_on for o in opened} == {add_working_days(TODAY, 10).date}
    assert {o.approved_by for o in opened} == {aw["cadre"]} and all(o.approved_at for o in opened)
    reach = {o.resident: o.reach for o in opened}
    assert reach[aw["yongxin"][1]] == reach[aw["yongxin"][2]] == Offer.Reach.HOME_TASK  # over 75; landline
    assert reach[aw["dai"]] == Offer.Reach.TEXT
    assert Offer.objects.filter(status=Offer.Status.AWAITING).count() == 2  # 东溪镇's and 万盛's wait
    assert approved_calls == [sorted(o.pk for o in opened)]


def test_the_sending_hook_is_called_after_the_commit_only(
    aw, approved_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offers_approve(actor=aw["staff"], today=TODAY)
    assert approved_calls == [] and len(callbacks) == 1  # not yet: the approval has not committed
    callbacks[0]()
    assert approved_calls == [sorted(o.pk for o in aw["offers"][:8])]


def test_a_rolled_back_approval_sends_nothing(aw, approved_calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                offers_approve_outside = offers_approve  # a durable action refuses to run inside
                offers_approve_outside(actor=aw["staff"], today=TODAY)
    assert approved_calls == [] and not Offer.objects.filter(status=Offer.Status.OPEN).exists()


def test_the_sending_hook_is_a_documented_no_op_until_sending_is_written():
    assert sending.offers_approved([1, 2]) is None
    assert "after its transaction has committed" in sending.__doc__


def test_approve_all_in_my_scope_stays_in_my_towns(aw, approved_calls):
    assert offers_approve(actor=aw["cadre"], today=TODAY) == 7
    assert offers_approve(actor=aw["ws_staff"], today=TODAY) == 1
    assert Offer.objects.get(resident=aw["zhou"]).status == Offer.Status.AWAITING
    assert offers_approve(actor=aw["cadre"], today=TODAY) == 0  # nothing twice


def test_hold_keeps_a_group_back_until_approved_from_the_held(aw, approved_calls):
    assert offers_hold(actor=aw["staff"], town_code="500110109000", item_code="UI-002") == 1
    assert offers_approve(actor=aw["staff"], today=TODAY) == 7  # the waiting ones, not the held
    assert Offer.objects.get(resident=aw["zhou"]).status == Offer.Status.HELD
    assert offers_approve(actor=aw["staff"], town_code="500110109000", held=True, today=TODAY) == 1
    assert Offer.objects.get(resident=aw["zhou"]).status == Offer.Status.OPEN


def test_leaders_approve_nothing(aw):
    with pytest.raises(PermissionDenied):
        offers_approve(actor=aw["leader"])
    with pytest.raises(PermissionDenied):
        offers_hold(actor=aw["leader"])


def test_the_page_shows_groups_approves_one_with_a_post_and_records_the_names_seen(
    aw, client, approved_calls
):
    client.force_login(aw["cadre"])
    page = client.get(reverse("offers:approvals"))
    html = page.content.decode()
    assert page.status_code == 200 and "永新镇" in html and "代*峰" in html and "代云峰" not in html
    assert "东溪镇" not in html
    (event,) = AuditEvent.objects.filter(object_type="resident_list")
    assert event.actor == aw["cadre"] and event.detail["what"] == "offer_sample"
    assert aw["dai"].pk in event.detail["residents"] and len(event.detail["residents"]) == 5
    done = client.post(
        reverse("offers:approve"), {"action": "approve", "town": "500110113000", "item": "UI-002"}
    )
    assert done.status_code == 302
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() == 7


def test_the_page_refuses_leaders_and_bad_input_is_a_plain_message(aw, client):
    client.force_login(aw["leader"])
    assert client.get(reverse("offers:approvals")).status_code == 403
    client.force_login(aw["staff"])
    response = client.post(reverse("offers:approve"), {"action": "delete", "town": "x" * 50}, follow=True)
    assert response.status_code == 200 and not Offer.objects.exclude(status=Offer.Status.AWAITING).exists()


def test_the_page_costs_the_same_queries_for_many_offers(aw, client, django_assert_num_queries):
    client.force_login(aw["staff"])
    client.get(reverse("offers:approvals"))  # the session and held tables warmed
    # the session and user, the viewer's towns, the counts, the samples, the towns, the items, the
    # held ones' counts, one audit event
    with django_assert_num_queries(8):
        client.get(reverse("offers:approvals"))
    for _ in range(20):
        make_offer(ResidentFactory(village=aw["longjing"]), aw["rule"])
    with django_assert_num_queries(8):
        client.get(reverse("offers:approvals"))
