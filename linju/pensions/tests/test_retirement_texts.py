"""The text a year before retiring: to each resident with a mobile whose statutory retirement month
is one to twelve months ahead, once per person, however many schedulers run."""

import datetime
import threading
import time

import pytest
from django.db import connection

from linju.catalog.bundles import bundles_changed
from linju.catalog.tests.factories import BundleFactory
from linju.core.tests.threads import run_together
from linju.notify.models import OutboxMessage
from linju.notify.purposes import TEMPLATES
from linju.notify.sms import Outgoing
from linju.pensions.models import RetirementNotice
from linju.pensions.services import retirement_texts_send

from .conftest import TODAY

GATEWAY = "linju.pensions.tests.test_retirement_texts.SlowGateway"


class SlowGateway:
    """Counts what it was asked to send, slowly, so two schedulers overlap."""

    name = "slow"
    sent: list[tuple[str, str]] = []
    lock = threading.Lock()
    pause = 0.0

    def send(self, text: Outgoing) -> str:
        time.sleep(self.pause)
        with self.lock:
            SlowGateway.sent.append((text.phone, text.text))
        return ""


@pytest.fixture
def gateway(settings):
    settings.LINJU_SMS_BACKEND = GATEWAY
    SlowGateway.sent, SlowGateway.pause = [], 0.0
    return SlowGateway


def _texted(retiring):
    r = retiring
    # this month's (0 months ahead) and the man without a phone get none; nor do those outside
    return [r.man_march, r.woman_august, r.cadre_woman_march, r.man_last_in, r.dongxi_man]


def test_each_person_retiring_within_a_year_gets_one_text(retiring, gateway):
    assert retirement_texts_send(today=TODAY) == 5
    assert sorted(phone for phone, _ in gateway.sent) == sorted(p.phone for p in _texted(retiring))
    assert retirement_texts_send(today=TODAY) == 0  # the next night
    assert len(gateway.sent) == 5
    assert set(RetirementNotice.objects.values_list("resident_id", flat=True)) == {
        p.pk for p in _texted(retiring)
    }


def test_the_text_says_the_month_the_age_and_when_to_apply(retiring, gateway):
    BundleFactory(bureau=retiring.man_march.bureau, opens_months_before_retirement=6)  # 退休一件事
    bundles_changed()
    retirement_texts_send(today=TODAY)
    message = OutboxMessage.objects.get(phone=retiring.cadre_woman_march.phone)
    assert (
        message.purpose == "retirement_ahead"
        and message.reference == f"retire-{retiring.cadre_woman_march.pk}"
    )
    # open from six months before March 2027, September 2026, which has passed: "now"
    assert "2027年3月" in message.text and "55岁6个月" in message.text and "现在起可到" in message.text
    later = OutboxMessage.objects.get(phone=retiring.man_last_in.phone)  # November 2027: open from May
    assert "2027年11月" in later.text and "2027年5月起可到" in later.text
    assert set(message.params) == set(TEMPLATES["retirement_ahead"])


def test_a_new_phone_does_not_bring_a_second_text(retiring, gateway):
    retirement_texts_send(today=TODAY)
    retiring.man_march.phone = "13700009999"
    retiring.man_march.save(update_fields=["phone"])
    assert retirement_texts_send(today=TODAY) == 0


def test_someone_entering_the_year_is_texted_when_they_do(retiring, gateway):
    """The man retiring in January 2028 is thirteen months away on 6 December 2026: not yet; on the
    first of January 2027 he is twelve months away."""
    retirement_texts_send(today=TODAY)
    assert retiring.man_first_out.phone not in {phone for phone, _ in gateway.sent}
    assert retirement_texts_send(today=datetime.date(2027, 1, 1)) == 1
    assert gateway.sent[-1][0] == retiring.man_first_out.phone


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_schedulers_racing_send_each_person_one_text(retiring, gateway):
    gateway.pause = 0.2
    results = run_together([lambda: retirement_texts_send(today=TODAY) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 5
    assert sorted(phone for phone, _ in gateway.sent) == sorted(p.phone for p in _texted(retiring))
    assert OutboxMessage.objects.filter(purpose="retirement_ahead").count() == 5
    assert RetirementNotice.objects.count() == 5
