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

# The migrations are proven on PostgreSQL, the production database: its pass of `make test` builds
# each test database through every migration. The SQLite pass builds its tables from the models (the
# lint step's `makemigrations --check` holds the two equal), 30 s of each worker's time, and adds the
# one database rule a migration writes by hand (conftest.py, `django_db_setup`).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"MIGRATE": False}  # noqa: F405
