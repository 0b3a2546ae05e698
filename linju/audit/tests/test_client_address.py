"""The audit log's "from where" is the connection's own address; X-Forwarded-For is read only from
the proxies Linju is told to trust (LINJU_TRUSTED_PROXIES), from its right-hand end, and a malformed
entry is never recorded (nor a 500)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from linju.audit.models import AuditEvent


def opened_from(client, towns_and_staff, **headers) -> str | None:
    """Open a resident's record (an audited page) and give the address the log recorded."""
    client.force_login(towns_and_staff.cadre)
    before = AuditEvent.objects.count()
    response = client.get(reverse("people:detail", args=[towns_and_staff.dai.pk]), **headers)
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    return AuditEvent.objects.order_by("-pk").first().ip_address


@pytest.mark.parametrize("forwarded", ["203.0.113.7", "not-an-ip", "1.2.3.4, 5.6.7.8", "", "\u202e1.1.1.1"])
def test_without_trusted_proxies_the_connections_address_is_recorded(client, towns_and_staff, forwarded):
    """A client's own X-Forwarded-For is not its address; "not-an-ip" was a 500 on every audited page."""
    assert opened_from(
        client, towns_and_staff, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=forwarded
    ) == ("198.51.100.4")


@pytest.mark.parametrize(
    "remote, forwarded, recorded",
    [
        ("10.0.0.1", "203.0.113.7", "203.0.113.7"),
        # the client wrote the first entry itself; the proxy appended the address it was reached from
        ("10.0.0.1", "9.9.9.9, 203.0.113.7", "203.0.113.7"),
        # two trusted proxies in a row
        ("10.0.0.1", "203.0.113.7, 10.0.0.2", "203.0.113.7"),
        ("10.0.0.1", "2001:db8::1", "2001:db8::1"),
        # malformed: ignored, the last good address stands
        ("10.0.0.1", "not-an-ip", "10.0.0.1"),
        ("10.0.0.1", "203.0.113.7, not-an-ip", "10.0.0.1"),
        ("10.0.0.1", "not-an-ip, 203.0.113.7", "203.0.113.7"),
        ("10.0.0.1", "fe80::1%eth0", "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        # not from a trusted proxy: the header is the client's own words
        ("198.51.100.4", "203.0.113.7", "198.51.100.4"),
    ],
)
def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(
    client, towns_and_staff, settings, remote, forwarded, recorded
):
    settings.LINJU_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    assert (
        opened_from(client, towns_and_staff, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded) == recorded
    )


def test_the_audit_page_shows_the_connections_address(client, towns_and_staff):
    opened_from(client, towns_and_staff, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="6.6.6.6")
    client.force_login(towns_and_staff.admin)
    page = client.get(reverse("audit:list")).content.decode()
    assert "198.51.100.4" in page and "6.6.6.6" not in page


def test_hidden_characters_in_the_user_agent_are_not_recorded(client, towns_and_staff):
    opened_from(client, towns_and_staff, HTTP_USER_AGENT="curl\x00/8\u202e")
    assert AuditEvent.objects.order_by("-pk").first().user_agent == "curl/8"


def test_the_per_address_limit_reads_the_same_address(client, served, settings):
    """A client cannot start a fresh count by writing a new X-Forwarded-For each time."""
    settings.STATUS_LOOKUP_RATE = "2/m"
    answers = [
        client.post(
            reverse("status"),
            {"number": "QJ-20260101-0001", "phone_last4": "0000"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(3)
    ]
    assert answers[:2] == [404, 404] and answers[2] == 429


def test_a_proxy_setting_that_is_not_an_address_stops_the_start():
    environment = os.environ | {"LINJU_TRUSTED_PROXIES": "10.0.0.1, not-a-network"}
    started = subprocess.run(
        [sys.executable, "-c", "import config.settings.base"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0 and "not-a-network" in started.stderr
