"""Two factors for staff (等级保护 2.0: staff who reach personal data log in with two factors): the
password, then a code from an authenticator app (TOTP, RFC 6238, django-otp's TOTP device) or one of
ten recovery codes (django-otp's static device; each works once).

LINJU_TWO_FACTOR says whether the second factor is required: "required" in production (every member
of staff, the administrators and district staff included: a log-in without it is refused), "optional"
with `make run`, where staff turn it on for themselves at /accounts/two-factor/. Once a member of staff
has an authenticator, their log-in asks for its code whatever the setting. An administrator enrols an
account with `manage.py two_factor USERNAME` (the key to scan, and the recovery codes, printed once).

API keys are not touched: a key is a factor of its own, a long random secret held by a device (a
booth's tablet), issued by `create_api_token` to one member of staff and revoked by the administrator.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODES = 10


def required() -> bool:
    return getattr(settings, "LINJU_TWO_FACTOR", "optional") == "required"


def has_second_factor(user: User) -> bool:
    return any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True))


@dataclass(frozen=True)
class Refusal:
    code: str  # "needed", "wrong", "missing"


def second_factor_check(user: User, token: str):
    """The device that accepts the code (a recovery code is used up), or a Refusal: a code needed
    and not given, a wrong one (each device slows down after failures: django-otp's throttling), or
    no authenticator where one is required."""
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return Refusal("missing") if required() else None
    token = "".join(str(token or "").split())
    if not token:
        return Refusal("needed")
    with transaction.atomic():  # the static device's used code is deleted with the log-in
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                return device
    return Refusal("wrong")


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    url: str  # otpauth://totp/...: what the authenticator app scans

    @property
    def secret(self) -> str:
        """The key as an app asks for it when typed (base32)."""
        return base64.b32encode(self.device.bin_key).decode()

    def qr_svg(self) -> str:
        return segno.make(self.url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def totp_start(*, user: User) -> Enrolment:
    """An authenticator being added: unconfirmed until its first code is typed (totp_confirm). One at
    a time: a second start replaces the first."""
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return Enrolment(device=device, url=device.config_url)


def totp_pending(*, user: User) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return Enrolment(device=device, url=device.config_url) if device else None


def totp_confirm(*, user: User, token: str) -> list[str] | None:
    """The authenticator being added, confirmed by its first code: it replaces any earlier one, and
    ten new recovery codes replace the old (returned to be shown once). None: the code is wrong."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is None or not pending.verify_token("".join(str(token or "").split())):
        return None
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        return recovery_codes_renew_within(user=user)


def recovery_codes_renew_within(*, user: User) -> list[str]:
    """Ten new recovery codes, the old ones gone; part of the caller's transaction."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    with transaction.atomic(durable=True):
        return recovery_codes_renew_within(user=user)


def second_factor_enrol(*, user: User) -> tuple[str, list[str]]:
    """An administrator sets up an account's authenticator at once (manage.py two_factor): the key's
    otpauth URL to scan and the recovery codes. Any earlier authenticator is replaced."""
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        codes = recovery_codes_renew_within(user=user)
    return device.config_url, codes


def second_factor_remove(*, user: User) -> None:
    """An authenticator lost: the account's devices removed (then enrolled again)."""
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
