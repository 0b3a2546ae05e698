"""The test suite: `make test` runs it on SQLite and on PostgreSQL (DATABASE_URL)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise reads the source folders (the suite runs no collectstatic); the live server's own static
# handler answers the browser tests first.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None

HUEY = {"huey_class": "huey.MemoryHuey", "name": "linju-test", "immediate": True}

# Each test process has its own cache, emptied before every test (conftest.py): a rolled-back test
# leaves no held copy or counter behind.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "linju-test"}}

# Tests change booths and places directly: public answers are built afresh unless a test turns the
# answer cache on (linju/catalog/tests/test_where_cache.py).
LINJU_ANSWER_CACHE_SECONDS = 0

# a text whose template variables do not match linju/notify/purposes.py is an error, not a log line
LINJU_SMS_STRICT = True

# the identification stand-ins answer at once, and a "slow" one makes the adapters wait a moment only
LINJU_IDENTITY_STANDIN_DELAY = 0
LINJU_IDENTITY_TIMEOUT = 0.5

# The test databases are built from the models, not through the 140 migrations (30 s of every
# worker's time, in each pass): `make test` applies every migration to an empty SQLite and an empty
# PostgreSQL database beside its lint step (scripts/migrations_apply.py), `makemigrations --check`
# holds the models and the migrations equal, and conftest.py's `django_db_setup` adds the one
# database rule a migration writes by hand.
DATABASES["default"]["TEST"] = {"MIGRATE": False}  # noqa: F405
