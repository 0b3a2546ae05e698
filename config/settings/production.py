"""Production: PostgreSQL via DATABASE_URL, secrets from the environment."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# every member of staff logs in with the second factor (linju/accounts/two_factor.py); not an option here
LINJU_TWO_FACTOR = "required"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS behind a proxy that says so in X-Forwarded-Proto; plain HTTP is redirected,
# except the health checks a load balancer asks for on the inside.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("LINJU_SSL_REDIRECT", "true").lower() != "false"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = int(os.environ.get("LINJU_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True  # a bureau's site is HTTPS-only for good

# Every worker must see the same cache and the same queue: the tables each process holds (catalogue, places, calendar)
# are read again when a version in it changes, and the look-up limits count across workers. A cache
# in each process's memory would keep a worker on yesterday's catalogue.
if not REDIS_URL:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Production needs Redis for the shared cache and the job queue: set REDIS_URL "
        "(for example redis://127.0.0.1:6379/0)."
    )
# huey on Redis, whatever else was configured: a SQLite queue file is one machine's
if HUEY.get("huey_class") != "huey.RedisHuey":  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Production runs its jobs on Redis (huey.RedisHuey): set REDIS_URL.")

# Files Linju writes (rendered papers, decisions, photos of papers): an S3-compatible bucket when
# one is named, so every server sees the same files; otherwise the folder MEDIA_ROOT (one server).
# Private: each file is served through Linju's own views (scoped and audited), and a link the
# storage signs lives five minutes.
if os.environ.get("LINJU_S3_BUCKET"):
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["LINJU_S3_BUCKET"],
                "endpoint_url": os.environ.get("LINJU_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("LINJU_S3_REGION") or None,
                "access_key": os.environ.get("LINJU_S3_ACCESS_KEY_ID") or None,
                "secret_key": os.environ.get("LINJU_S3_SECRET_ACCESS_KEY") or None,
                "location": os.environ.get("LINJU_S3_PREFIX", "linju"),
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
