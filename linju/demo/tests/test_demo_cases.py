import io

from django.core.management import call_command
from django.utils import timezone

from linju.cases.models import Case, FollowUp, Rating
from linju.cases.services import due_soon_reminders
from linju.cases.tasks import remind_staff_of_cases_due_soon
from linju.notify.models import OutboxMessage


def test_demo_cases_cover_every_state_and_channel(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"accepted", "suspended", "finished", "returned"} <= statuses
    assert {"counter", "booth", "home_visit", "phone"} <= set(Case.objects.values_list("channel", flat=True))
    assert Rating.objects.exists()
    assert Case.objects.filter(status__in=Case.OPEN, promised_date__lt=timezone.localdate()).exists()
    assert Case.objects.values("town").distinct().count() > 5


def test_demo_cases_are_idempotent(demo):
    before = sorted(Case.objects.values_list("number", "status", "version"))
    out = io.StringIO()
    call_command("load_demo", "--residents", "1500", "--cases", "150", stdout=out)
    assert "cases (synthetic): 0 created" in out.getvalue()
    assert sorted(Case.objects.values_list("number", "status", "version")) == before


def test_due_soon_reminders_once_a_day(demo):
    sent = remind_staff_of_cases_due_soon.call_local()
    assert sent == OutboxMessage.objects.filter(purpose="due_soon").count()
    assert due_soon_reminders() == 0  # not twice the same day
    if sent:
        assert "2个工作日内到期" in OutboxMessage.objects.filter(purpose="due_soon").first().text


def test_unsatisfied_ratings_open_follow_ups(demo):
    unsatisfied = Rating.objects.filter(level__lte=2).count()
    assert FollowUp.objects.count() == unsatisfied


def test_every_demo_case_moves_forward_in_time(demo):
    """A case's timeline reads in order: no step of the demo comes before the step it follows."""
    from linju.cases.models import CaseEvent

    backwards = []
    last_of: dict[int, object] = {}
    for case_id, at, action in CaseEvent.objects.order_by("case_id", "pk").values_list(
        "case_id", "created_at", "action"
    ):
        if case_id in last_of and at < last_of[case_id]:
            backwards.append((case_id, action, at))
        last_of[case_id] = at
    assert CaseEvent.objects.exists() and not backwards, backwards[:5]
