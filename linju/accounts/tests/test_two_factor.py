"""Two factors for staff: where required (production), a log-in without the second factor is refused
for every role, the administrator and district staff included; the authenticator's current code lets
one in; a recovery code works once; API keys are their own factor. Optional (make run): staff turn
it on for themselves, and from then on their log-in asks for it."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from linju.accounts.services import api_token_create
from linju.accounts.tests.factories import AdminFactory, CadreFactory, UserFactory
from linju.accounts.two_factor import second_factor_enrol

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "pw-for-tests-1"


def code_now(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client, user, code=""):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD, "otp_token": code}
    )


@pytest.fixture
def required(settings):
    settings.LINJU_TWO_FACTOR = "required"


@pytest.mark.parametrize(
    "factory", [AdminFactory, UserFactory, CadreFactory], ids=["admin", "staff", "cadre"]
)
def test_where_required_a_log_in_without_the_second_factor_is_refused(client, db, required, factory):
    user = factory(username="someone")
    response = log_in(client, user)
    assert response.status_code == 200
    assert "管理员" in response.content.decode()  # no authenticator yet: ask the administrator
    assert client.get(reverse("staff-home")).status_code == 302
    second_factor_enrol(user=user)
    response = log_in(client, user)  # the password alone
    assert response.status_code == 200 and "验证器" in response.content.decode()
    assert client.get(reverse("staff-home")).status_code == 302


@pytest.mark.parametrize("factory", [AdminFactory, UserFactory], ids=["admin", "staff"])
def test_the_authenticators_code_lets_one_in(client, db, required, factory):
    user = factory(username="someone")
    second_factor_enrol(user=user)
    response = log_in(client, user, code_now(user))
    assert response.status_code == 302, response.content.decode()
    assert client.get(reverse("staff-home")).status_code == 200


def test_a_recovery_code_works_once(client, db, required):
    user = UserFactory(username="someone")
    _url, codes = second_factor_enrol(user=user)
    assert log_in(client, user, codes[0]).status_code == 302
    client.post(reverse("accounts:logout"))
    again = log_in(client, user, codes[0])
    assert again.status_code == 200 and client.get(reverse("staff-home")).status_code == 302
    # a while later (each failure makes the devices wait longer: django-otp's throttling)
    for device in devices_for_user(user):
        device.throttle_reset()
    assert log_in(client, user, codes[1]).status_code == 302


def test_a_wrong_code_is_refused_and_said_so(client, db, required):
    user = UserFactory(username="someone")
    second_factor_enrol(user=user)
    wrong = f"{(int(code_now(user)) + 1) % 1_000_000:06d}"
    response = log_in(client, user, wrong)
    assert response.status_code == 200 and "已用过" in response.content.decode()
    assert client.get(reverse("staff-home")).status_code == 302


def test_a_session_that_did_not_pass_the_second_factor_is_ended_where_it_is_required(client, db, settings):
    user = AdminFactory(username="someone")
    client.force_login(user)  # a session begun before the site required it
    assert client.get(reverse("staff-home")).status_code == 200
    settings.LINJU_TWO_FACTOR = "required"
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/admin/").status_code == 302


def test_the_administration_sites_log_in_is_the_staff_log_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_api_keys_are_not_asked_for_a_second_factor(client, served, required):
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_where_optional_staff_turn_it_on_and_then_their_log_in_asks_for_it(client, db):
    user = CadreFactory(username="someone")
    assert log_in(client, user).status_code == 302  # optional, and none yet: the password is enough
    page = client.get(reverse("accounts:two-factor"))
    assert "未开启" in page.content.decode()
    client.post(reverse("accounts:two-factor"), {"do": "start"})
    pending = client.get(reverse("accounts:two-factor"))
    assert "<svg" in pending.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    turned_on = client.post(reverse("accounts:two-factor"), {"token": code})
    recovery = turned_on.context["codes"]
    assert len(recovery) == 10 and all(c in turned_on.content.decode() for c in recovery)
    client.post(reverse("accounts:logout"))
    assert log_in(client, user).status_code == 200  # now it asks
    assert log_in(client, user, recovery[0]).status_code == 302


@pytest.mark.settings_only
def test_production_settings_require_the_second_factor():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.LINJU_TWO_FACTOR)",
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-0123456789-abcdefghijklmnop",
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": "sqlite:///:memory:",
            "LINJU_TWO_FACTOR": "optional",  # not an option in production
        },
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "required", done.stderr
