"""After a named 差评: the callback by the named person, recorded with what the resident said; the
rectification (立行立改, 限期整改, 解释说明), its result texted to the resident and sent to the
province; the resident's rating of the fix; the rated staff member's appeal, decided by someone
else. Staff pages list them by the viewer's towns, overdue ones first by town."""

import datetime

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import IntegrityError, transaction
from django.urls import reverse

from linju.cases.models import Appeal, FollowUp, Rating
from linju.cases.rating_selectors import callbacks, overdue_callbacks_by_town, rating_figures
from linju.cases.services import (
    Outcome,
    appeal_decide,
    appeal_file,
    callback_record_call,
    callback_rectified,
    callback_rectify,
    case_rate_by_resident,
    fix_rate,
)
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.exchange.models import Message
from linju.exchange.standin import province_validator
from linju.notify.models import OutboxMessage

GRANTED = Outcome(kind="granted", detail="已发放")
RATED_ON = at(2026, 12, 4)  # a Friday: the callback is due five working days later, on the 11th


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def callback(served) -> FollowUp:
    """代云峰 rated 永新镇's UI-002 case 非常不满意: a callback for 永新镇, assigned to qj_staff."""
    case = case_moved(served, case_taken(served), "finish", outcome=GRANTED)
    rating = case_rate_by_resident(
        number=case.number, phone_last4=served.dai.phone[-4:], level=1, comment="等太久", now=RATED_ON
    )
    return rating.callback


def test_the_callback_is_called_rectified_by_a_deadline_texted_and_rated_again(
    served, client, callback, django_capture_on_commit_callbacks
):
    assert callback.due_on == datetime.date(2026, 12, 11) and callback.assigned_to == served.staff
    with pytest.raises(Conflict):  # no rectification before the call
        callback_rectify(actor=served.cadre, follow_up_id=callback.pk, way="explained", rectification="x")
    callback_record_call(actor=served.cadre, follow_up_id=callback.pk, resident_said="窗口让我跑了两次")
    listed = callback_rectify(
        actor=served.cadre,
        follow_up_id=callback.pk,
        way="deadline",
        rectification="材料清单上墙，一次告知",
        rectify_by=datetime.date(2026, 12, 31),
        now=at(2026, 12, 7),
    )
    assert listed.status == "rectifying" and not Message.objects.filter(kind="rectification").exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = callback_rectified(actor=served.cadre, follow_up_id=callback.pk, rectification="已上墙公示")
    assert done.status == "rectified" and done.rectified_by == served.cadre
    text = OutboxMessage.objects.get(purpose="rectified")
    assert text.phone == served.dai.phone and f"/rate/fix/{done.fix_token}/" in text.text
    payload = Message.objects.get(kind="rectification").payload
    assert province_validator().is_valid(payload), list(province_validator().iter_errors(payload))
    assert payload["rectification"] == "deadline" and payload["result"] == "已上墙公示"
    assert payload["case_number"] == callback.case.number and payload["level"] == 1
    page = client.post(reverse("rate-fix", args=[done.fix_token]), {"level": 2})
    assert page.status_code == 200
    done.refresh_from_db()
    assert done.fix_level == 2 and done.fix_rated_at is not None
    with pytest.raises(Conflict):
        fix_rate(token=done.fix_token, level=3)


def test_fixed_at_once_or_explained_is_done_and_told_at_once(served, callback):
    callback_record_call(actor=served.staff, follow_up_id=callback.pk, resident_said="等太久")
    done = callback_rectify(
        actor=served.staff, follow_up_id=callback.pk, way="explained", rectification="审核需要五个工作日"
    )
    assert done.status == "rectified" and done.fix_token
    assert Message.objects.get(kind="rectification").payload["rectification"] == "explained"


def test_a_deadline_needs_a_date_and_words_are_bounded(served, callback):
    callback_record_call(actor=served.cadre, follow_up_id=callback.pk, resident_said="等太久")
    with pytest.raises(DomainError):
        callback_rectify(actor=served.cadre, follow_up_id=callback.pk, way="deadline", rectification="整改")
    with pytest.raises(DomainError):
        callback_rectify(
            actor=served.cadre, follow_up_id=callback.pk, way="explained", rectification="字" * 2001
        )
    with pytest.raises(DomainError):
        callback_rectify(actor=served.cadre, follow_up_id=callback.pk, way="shrug", rectification="整改")


def test_another_towns_cadre_finds_no_callback_and_a_leader_records_none(served, callback):
    with pytest.raises(NotFound):
        callback_record_call(actor=served.dongxi_cadre, follow_up_id=callback.pk, resident_said="x")
    with pytest.raises(PermissionDenied):
        callback_record_call(actor=served.leader, follow_up_id=callback.pk, resident_said="x")
    callback.refresh_from_db()
    assert callback.status == "open" and callback.called_at is None


def test_the_database_holds_a_callbacks_steps(served, callback):
    for change in (
        {"assigned_to": None},
        {"status": "called"},  # called, without when or what was said
        {"status": "rectifying", "called_at": RATED_ON, "resident_said": "x"},  # no rectification said
        {"way": "deadline"},  # listed without a date
        {"fix_level": 2},  # the fix rated before it was done
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUp.objects.filter(pk=callback.pk).update(**change)


def test_the_rated_staff_member_appeals_and_someone_else_decides(served):
    case = case_moved(served, case_taken(served), "finish", outcome=GRANTED, actor=served.staff)
    rating = case_rate_by_resident(number=case.number, phone_last4=served.dai.phone[-4:], level=1)
    assert rating.rated_staff == served.staff
    with pytest.raises(NotFound):  # not the cadre's work
        appeal_file(actor=served.cadre, rating_id=rating.pk, ground="malicious", reason="不是我")
    appeal = appeal_file(
        actor=served.staff, rating_id=rating.pk, ground="mistaken", reason="评价的是别的窗口"
    )
    with pytest.raises(Conflict):
        appeal_file(actor=served.staff, rating_id=rating.pk, ground="mistaken", reason="再次申诉")
    with pytest.raises(PermissionDenied):  # not the one who made it
        appeal_decide(actor=served.staff, appeal_id=appeal.pk, uphold=True, decision="属实")
    with pytest.raises(PermissionDenied):  # the capability table: cadres do not decide
        appeal_decide(actor=served.cadre, appeal_id=appeal.pk, uphold=True, decision="属实")
    decided = appeal_decide(actor=served.leader, appeal_id=appeal.pk, uphold=True, decision="经核实属误评")
    assert decided.status == "upheld" and decided.decided_by == served.leader
    rating.refresh_from_db()
    assert rating.set_aside_at is not None
    assert rating_figures(Rating.objects.all()).named_bad == 0  # out of the figures
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(decided_by=served.staff)


def test_overdue_callbacks_are_counted_by_town(served, callback):
    assert overdue_callbacks_by_town(viewer=served.staff, today=datetime.date(2026, 12, 11)) == []
    late = overdue_callbacks_by_town(viewer=served.staff, today=datetime.date(2026, 12, 14))
    assert late == [(served.yongxin.code, "永新镇", 1)]
    assert overdue_callbacks_by_town(viewer=served.dongxi_cadre, today=datetime.date(2026, 12, 14)) == []
    assert list(callbacks(viewer=served.cadre, which="overdue", today=datetime.date(2026, 12, 14))) == [
        callback
    ]


def test_staff_pages_list_callbacks_and_take_each_step(served, client, callback):
    client.force_login(served.cadre)
    listed = client.get(reverse("cases:callbacks"))
    assert (
        listed.status_code == 200 and reverse("cases:callback", args=[callback.pk]) in listed.content.decode()
    )
    page = client.get(reverse("cases:callback", args=[callback.pk]))
    assert page.status_code == 200 and 'name="resident_said"' in page.content.decode()
    client.post(reverse("cases:callback-call", args=[callback.pk]), {"resident_said": "窗口让我跑了两次"})
    client.post(
        reverse("cases:callback-rectify", args=[callback.pk]),
        {"way": "fixed_now", "rectification": "当场补办", "rectify_by": ""},
    )
    callback.refresh_from_db()
    assert callback.status == "rectified" and callback.called_by == served.cadre
    client.force_login(served.dongxi_cadre)
    assert client.get(reverse("cases:callback", args=[callback.pk])).status_code == 404
    client.force_login(served.leader)
    assert (
        client.post(reverse("cases:callback-call", args=[callback.pk]), {"resident_said": "x"}).status_code
        == 403
    )


def test_the_callback_days_setting_is_held_to_fifteen(settings):
    settings.LINJU_CALLBACK_WORKING_DAYS = 16
    assert "linju.E070" in [m.id for m in run_checks()]
    settings.LINJU_CALLBACK_WORKING_DAYS = 15
    assert "linju.E070" not in [m.id for m in run_checks()]


def test_a_refused_rectification_keeps_what_was_typed_with_the_error_beside_the_date(
    served, client, callback
):
    callback_record_call(actor=served.cadre, follow_up_id=callback.pk, resident_said="窗口让我跑了两次")
    client.force_login(served.cadre)
    refused = client.post(
        reverse("cases:callback-rectify", args=[callback.pk]),
        {"way": "deadline", "rectification": "重新核定待遇", "rectify_by": "2020-01-01"},
    )
    page = refused.content.decode()
    form = page.split(reverse("cases:callback-rectify", args=[callback.pk]), 1)[1]
    assert refused.status_code == 400
    assert 'value="deadline"' in form and "checked" in form.split('value="deadline"', 1)[1].split(">", 1)[0]
    assert "重新核定待遇" in form and 'value="2020-01-01"' in form
    date_field = form.split('name="rectify_by"', 1)[1]
    assert 'id="rectify-by-error"' in date_field.split("<button", 1)[0]
    callback.refresh_from_db()
    assert callback.status == "called"


def test_the_callback_shows_the_phone_masked_and_reveals_it_as_the_record_does(served, client, callback):
    """The whole number only on asking, recorded as the resident record's reveal (the person's own page
    lists it); a leader, who may not see whole numbers, is refused."""
    from linju.audit.models import AuditEvent

    client.force_login(served.cadre)
    phone = callback.case.applicant_phone or callback.case.applicant.phone
    page = client.get(reverse("cases:callback", args=[callback.pk])).content.decode()
    assert (
        phone[-4:] in page
        and phone not in page
        and reverse("cases:callback-phone", args=[callback.pk]) in page
    )
    shown = client.post(reverse("cases:callback-phone", args=[callback.pk])).content.decode()
    assert f'href="tel:{phone}"' in shown
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNMASKED)
    assert (event.object_type, event.object_id, event.actor) == ("resident", str(served.dai.pk), served.cadre)
    assert event.detail["fields"] == ["phone"]
    client.force_login(served.leader)
    assert client.post(reverse("cases:callback-phone", args=[callback.pk])).status_code == 403


@pytest.mark.parametrize(("level", "appealable"), [(5, False), (4, False), (3, False), (2, True), (1, True)])
def test_only_a_bad_rating_is_offered_for_appeal_and_taken(served, client, level, appealable):
    case = case_moved(served, case_taken(served), "finish", outcome=GRANTED, actor=served.staff)
    rating = case_rate_by_resident(number=case.number, phone_last4=served.dai.phone[-4:], level=level)
    client.force_login(served.staff)
    page = client.get(reverse("cases:callbacks")).content.decode()
    assert (reverse("cases:appeal", args=[rating.pk]) in page) is appealable
    if appealable:
        assert appeal_file(actor=served.staff, rating_id=rating.pk, ground="mistaken", reason="评错窗口")
    else:
        with pytest.raises(Conflict) as refused:
            appeal_file(actor=served.staff, rating_id=rating.pk, ground="mistaken", reason="评错窗口")
        assert refused.value.code == "not_bad"
