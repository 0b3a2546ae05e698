"""Production settings and the headers every page carries."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linju.notify.purposes import TEMPLATES

ROOT = Path(__file__).resolve().parents[3]


# texts through Aliyun's SMS API, a template code for each (docs/sms.md)
SMS_GATEWAY = {
    "LINJU_SMS_BACKEND": "linju.notify.aliyun.AliyunSmsBackend",
    "LINJU_SMS_ALIYUN_ACCESS_KEY_ID": "LTAI-check-only",
    "LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET": "check-only-secret",
    "LINJU_SMS_SIGN_NAME": "綦江人社",
    "LINJU_SMS_TEMPLATES": json.dumps({key: f"SMS_{100000 + n}" for n, key in enumerate(TEMPLATES)}),
    "LINJU_SMS_REPORT_TOKEN": "a-long-shared-secret-for-the-check-only",
}


# people identified through the counter's reader service and the e-card platform (docs/identification.md)
IDENTITY_VERIFIERS = {
    "LINJU_ID_CARD_VERIFIER": "linju.identity.verifiers.CardReaderService",
    "LINJU_SOCIAL_CARD_VERIFIER": "linju.identity.verifiers.CardReaderService",
    "LINJU_ECARD_VERIFIER": "linju.identity.verifiers.ECardPlatform",
    "LINJU_ECARD_URL": "https://ecard-gateway.example.gov.cn",
    "LINJU_ECARD_APP_KEY": "the-app-key-for-the-check-only",
}


def a_key_file(folder: Path) -> str:
    """Keys of its own for personal data at rest (linju/core/crypto.py), as a site keeps them."""
    path = folder / "keys.json"
    path.write_text(
        json.dumps({"current": "k1", "keys": {"k1": os.urandom(16).hex()}, "index": os.urandom(32).hex()})
    )
    return str(path)


@pytest.mark.settings_only
def test_check_deploy_is_clean_and_production_needs_a_shared_cache(tmp_path):
    # as a server starts: without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    env = (
        {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-0123456789-abcdefghijklmnop",
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": "sqlite:///:memory:",
            "LINJU_PUBLIC_URL": "https://linju.example.gov.cn",
            "LINJU_PROVINCE_URL": "https://zwfw.example.gov.cn/linju/messages",
            "LINJU_PROVINCE_KEY": "the-province-key-for-the-check-only",
            "LINJU_KEY_FILE": a_key_file(tmp_path),
        }
        | SMS_GATEWAY
        | IDENTITY_VERIFIERS
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # texts and papers are made by workers, with no request to take the address from
    no_address = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | {"LINJU_PUBLIC_URL": "http://127.0.0.1:8000"},
        capture_output=True,
        text=True,
    )
    assert no_address.returncode != 0 and "linju.W001" in no_address.stderr + no_address.stdout
    # cases kept for the province and never sent, unless the site says where
    no_province = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | {"LINJU_PROVINCE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert no_province.returncode != 0 and "linju.W060" in no_province.stderr + no_province.stdout
    # people identified through the stand-ins, which pass every card as the demo's
    on_stand_ins = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k not in IDENTITY_VERIFIERS},
        capture_output=True,
        text=True,
    )
    assert on_stand_ins.returncode != 0 and "linju.W070" in on_stand_ins.stderr + on_stand_ins.stdout

    # personal data encrypted with the demo's public keys
    demo_keys = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | {"LINJU_KEY_FILE": ""},
        capture_output=True,
        text=True,
    )
    assert demo_keys.returncode != 0 and "linju.W080" in demo_keys.stderr + demo_keys.stdout
    without_cache = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env | {"REDIS_URL": ""},
        capture_output=True,
        text=True,
    )
    assert without_cache.returncode != 0 and "REDIS_URL" in without_cache.stderr


@pytest.mark.settings_only
def test_check_deploy_fails_when_production_would_send_no_text():
    """Without a gateway, texts are only written to the outbox: `check --deploy` fails and names the
    setting; a gateway missing a template code names the texts that would fail."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-0123456789-abcdefghijklmnop",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "DATABASE_URL": "sqlite:///:memory:",
        "LINJU_PUBLIC_URL": "https://linju.example.gov.cn",
    }
    env = {k: v for k, v in env.items() if not k.startswith("LINJU_SMS_")}
    no_gateway = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    said = no_gateway.stdout + no_gateway.stderr
    assert no_gateway.returncode != 0 and "linju.E010" in said and "LINJU_SMS_BACKEND" in said
    templates = json.loads(SMS_GATEWAY["LINJU_SMS_TEMPLATES"])
    del templates["booth_reminder"]
    no_template = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env | SMS_GATEWAY | {"LINJU_SMS_TEMPLATES": json.dumps(templates)},
        capture_output=True,
        text=True,
    )
    said = no_template.stdout + no_template.stderr
    assert no_template.returncode != 0 and "linju.E012" in said and "booth_reminder" in said


def test_public_pages_run_no_script_and_staff_pages_only_their_own(client, served):
    public = client.get("/catalog/")["Content-Security-Policy"]
    assert "script-src 'none'" in public and "frame-ancestors 'none'" in public
    client.force_login(served.cadre)
    staff = client.get("/staff/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in staff
        and "unsafe-eval" not in staff
        and "'unsafe-inline'" not in staff.split("script-src")[1]
    )


def test_staff_sessions_end_after_a_working_day_without_use(client, served, settings, monkeypatch):
    from linju.core import middleware

    assert settings.SESSION_COOKIE_AGE <= 10 * 3600
    client.force_login(served.cadre)
    client.get("/staff/")
    first = client.session.get_expiry_date()
    assert client.session.get_expiry_age() <= 10 * 3600
    later = __import__("time").time() + 3600  # an hour of work later, the end has moved on
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    client.get("/staff/")
    assert client.session["_touched"] == int(later) and client.session.get_expiry_date() >= first


@pytest.mark.settings_only
def test_production_keeps_files_in_a_private_bucket_when_one_is_named():
    """Photos of papers, decisions and rendered papers go to an S3-compatible bucket (django-storages),
    private, with short-lived signed links; without a bucket, the folder MEDIA_ROOT."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-0123456789-abcdefghijklmnop",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    show = (
        "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'default_acl', ''), "
        "getattr(s, 'querystring_auth', ''), getattr(s, 'endpoint_url', ''))"
    )
    bucket = subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env=env | {"LINJU_S3_BUCKET": "linju-qj", "LINJU_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
        capture_output=True,
        text=True,
    )
    assert bucket.returncode == 0, bucket.stderr
    assert bucket.stdout.split() == ["S3Storage", "linju-qj", "private", "True", "http://127.0.0.1:9000"]
    folder = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True)
    assert folder.stdout.split()[0] == "FileSystemStorage", folder.stderr


def _production_settings(**env) -> str:
    """What production's settings say of the job queue, as a server would start with `env`."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.HUEY['huey_class'], settings.HUEY.get('consumer', {}).get('periodic'), "
        "settings.CACHES['default']['BACKEND'])"
    )
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-0123456789-abcdefghijklmnop",
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=base | env, capture_output=True, text=True
    )
    return done.stdout + done.stderr


@pytest.mark.settings_only
def test_production_runs_jobs_and_cache_on_redis_with_one_scheduler():
    scheduler = _production_settings(REDIS_URL="redis://127.0.0.1:6379/13")
    assert "huey.RedisHuey True django.core.cache.backends.redis.RedisCache" in scheduler
    worker = _production_settings(REDIS_URL="redis://127.0.0.1:6379/13", LINJU_HUEY_SCHEDULER="false")
    assert "huey.RedisHuey False" in worker  # another host's consumer enqueues no periodic job
    refused = _production_settings(REDIS_URL="")
    assert "ImproperlyConfigured" in refused and "REDIS_URL" in refused
