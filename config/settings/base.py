"""Settings shared by every environment. Everything that differs comes from the environment."""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "linju-insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "simple_history",
    "huey.contrib.djhuey",
    "linju.core",
    "linju.workdays",
    "linju.geo",
    "linju.accounts",
    "linju.access",
    "linju.people",
    "linju.identity",
    "linju.audit",
    "linju.catalog",
    "linju.consent",
    "linju.notify",
    "linju.exchange",
    "linju.pensions",
    "linju.cases",
    "linju.outreach",
    "linju.jobs",
    "linju.gigs",
    "linju.eligibility",
    "linju.offers",
    "linju.insights",
    "linju.planning",
    "linju.portal",
    "linju.field",
    "linju.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files served by the application itself, compressed and cached, with DEBUG off too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "linju.core.middleware.ContentSecurityPolicyMiddleware",
    "linju.core.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "linju.core.middleware.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linju.accounts.middleware.SecondFactorRequiredMiddleware",
    "linju.core.middleware.SessionIdleExpiryMiddleware",
    "linju.core.middleware.PersonalNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "linju.core.middleware.DomainErrorMiddleware",
    "linju.access.guards.NeedsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linju.access.context_processors.capabilities",
                "linju.portal.elder.elder",
            ],
            # `|nobr` keeps a date, phone or case number on one line; pages print one nearly everywhere
            "builtins": ["linju.core.templatetags.nobr"],
        },
    },
]

DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'linju.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while a bulk load writes; a busy writer waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for the reads that may be a moment behind (dashboards, exports,
# discovery): linju/core/replica.py. Writes and locks always go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["linju.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# Log-in throttling (django-axes): 5 failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two factors for staff (linju/accounts/two_factor.py): "required" in production (its settings say so
# and nothing turns it off there), "optional" with `make run`, where each member of staff turns it on
# at /accounts/two-factor/. The authenticator's name for the site:
LINJU_TWO_FACTOR = os.environ.get("LINJU_TWO_FACTOR", "optional")
OTP_TOTP_ISSUER = "Linju 邻居"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where residents reach Linju: the links in their text messages (status look-up, rating) start here.
LINJU_PUBLIC_URL = os.environ.get("LINJU_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Public answers built from held tables and booths ("where can I do this") are kept this long in the
# shared cache; their keys carry the versions of what they were built from and the minute (opening
# hours), so a change shows at once and the cache only spares repeating the same work.
LINJU_ANSWER_CACHE_SECONDS = int(os.environ.get("LINJU_ANSWER_CACHE_SECONDS", "120"))
# Open311's list read without a key shows a request only among at least this many of one service,
# one town, one whole day (linju/cases/open311.py): fewer could single a person out.
LINJU_OPEN311_MIN_CELL = int(os.environ.get("LINJU_OPEN311_MIN_CELL", "5"))
# 帮扶: a gig worker who has signed in on this many days since their last work is listed for the cadre
LINJU_GIG_IDLE_DAYS = int(os.environ.get("LINJU_GIG_IDLE_DAYS", "5"))
# Workbooks brought in (spreadsheet imports) are measured before openpyxl reads them
# (linju/core/xlsx.py, `workbook_survey`): a cell over Excel's own limit, a string table or sheet
# unpacking past these sizes, or more text than these characters refuses the file in words.
LINJU_IMPORT_MAX_CELL_CHARS = 32_767
LINJU_IMPORT_MAX_TEXT_CHARS = 50_000_000
LINJU_IMPORT_MAX_STRINGS_BYTES = 64 * 1024 * 1024
LINJU_IMPORT_MAX_SHEET_BYTES = 400 * 1024 * 1024
LINJU_IMPORT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024

# Files Linju writes (rendered papers): Django's default storage. A folder here; shared storage in a
# multi-server installation (a STORAGES setting of production's).
MEDIA_ROOT = Path(os.environ.get("LINJU_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm at set-up time (`make deps`), never pasted into the repo.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
SILENCED_SYSTEM_CHECKS = ["staticfiles.W004"]

SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after a working day without use, not 14 days: SessionIdleExpiryMiddleware moves
# the end on as they work (every ten minutes at most, not a write per page).
SESSION_COOKIE_AGE = 9 * 3600
CSRF_COOKIE_HTTPONLY = False

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 200

# Where the real Qijiang divisions live inside the project (copied from shared/data with provenance).
DIVISIONS_CSV = BASE_DIR / "linju" / "geo" / "data" / "qijiang_divisions.csv"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background jobs (huey): a SQLite queue under var/ by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "linju",
        "url": REDIS_URL,
        "immediate": False,
        "utc": False,
        # Periodic jobs (the 7:30 reminder, the 17:00 booth texts, the watchdogs) are enqueued by one
        # consumer only, the scheduler: every other host runs with LINJU_HUEY_SCHEDULER=false.
        # A second scheduler by mistake still sends no text twice (the outbox's unique claim).
        "consumer": {"periodic": os.environ.get("LINJU_HUEY_SCHEDULER", "true").lower() != "false"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "linju",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "utc": False,
    }

# Text messages (linju/notify/sms.py, docs/sms.md): the default backend writes to the outbox table and the
# log, sends nothing (the demo's); production names a gateway: linju.notify.aliyun.AliyunSmsBackend.
LINJU_SMS_BACKEND = os.environ.get("LINJU_SMS_BACKEND", "linju.notify.sms.OutboxOnlyBackend")
# the provider's template code of each text (linju/notify/purposes.py), a JSON object:
# {"accepted": "SMS_123456", "suspended": "SMS_123457", ...}
try:
    LINJU_SMS_TEMPLATES = json.loads(os.environ.get("LINJU_SMS_TEMPLATES") or "{}")
except ValueError:
    LINJU_SMS_TEMPLATES = None  # `check` names the setting (linju.E012)
LINJU_SMS_SIGN_NAME = os.environ.get("LINJU_SMS_SIGN_NAME", "")  # the approved signature, e.g. 綦江人社
LINJU_SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("LINJU_SMS_ALIYUN_ACCESS_KEY_ID", "")
LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
LINJU_SMS_ALIYUN_ENDPOINT = os.environ.get("LINJU_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
LINJU_SMS_ALIYUN_REGION = os.environ.get("LINJU_SMS_ALIYUN_REGION", "cn-hangzhou")
# how the gateway is reached: HTTPS (urllib), or the stand-in (linju.notify.standin.transport) in tests
LINJU_SMS_TRANSPORT = os.environ.get("LINJU_SMS_TRANSPORT", "linju.notify.aliyun.https_transport")
LINJU_SMS_TIMEOUT = float(os.environ.get("LINJU_SMS_TIMEOUT", "5"))
# a text a throttled or unreachable gateway did not take is asked again (a job each minute) this many
# times, 1 minute later, then 2, then 4
LINJU_SMS_RETRIES = int(os.environ.get("LINJU_SMS_RETRIES", "3"))
LINJU_SMS_RETRY_SECONDS = float(os.environ.get("LINJU_SMS_RETRY_SECONDS", "60"))
# the shared secret in the address of the delivery receipts (/notify/sms-reports?token=...); no
# secret, no endpoint
LINJU_SMS_REPORT_TOKEN = os.environ.get("LINJU_SMS_REPORT_TOKEN", "")
# refuse a text whose template variables do not match linju/notify/purposes.py (the tests turn it on)
LINJU_SMS_STRICT = False

# The province's 政务服务 platform (linju/exchange): each case's 受理 … 办结 and each rating is POSTed
# there once, signed with the key (HMAC-SHA256). No address: the messages are kept in the outbox and
# none is sent (`check --deploy` warns, linju.W060); they go once an address is set.
LINJU_PROVINCE_URL = os.environ.get("LINJU_PROVINCE_URL", "")
LINJU_PROVINCE_KEY = os.environ.get("LINJU_PROVINCE_KEY", "")
LINJU_EXCHANGE_TIMEOUT = float(os.environ.get("LINJU_EXCHANGE_TIMEOUT", "10"))  # seconds for an answer
# a message not received is sent again 1 minute later, then 2, 4 … (at most 6 hours), this many
# times in all; then it is dead and listed for the staff, who may send it again
LINJU_EXCHANGE_MAX_ATTEMPTS = int(os.environ.get("LINJU_EXCHANGE_MAX_ATTEMPTS", "10"))
LINJU_EXCHANGE_RETRY_SECONDS = float(os.environ.get("LINJU_EXCHANGE_RETRY_SECONDS", "60"))
# 好差评: a named 差评 is called back within this many working days (1–15; the national bound is 15)
LINJU_CALLBACK_WORKING_DAYS = int(os.environ.get("LINJU_CALLBACK_WORKING_DAYS", "5"))
# the public rating pages (phone code asked, slip rated): tries from one address
RATING_RATE = os.environ.get("LINJU_RATING_RATE", "10/h")

# Identifying people at intake (linju/identity, docs/identification.md): one verifier per method, a dotted
# path. The defaults are the stand-ins (the demo's and the tests'); `check --deploy` warns (linju.W070)
# until production names the real ones: linju.identity.verifiers.CardReaderService (the counter's
# reader service for the ID card and the 社保卡) and linju.identity.verifiers.ECardPlatform.
LINJU_ID_CARD_VERIFIER = os.environ.get("LINJU_ID_CARD_VERIFIER", "linju.identity.standin.StandInCardReader")
LINJU_SOCIAL_CARD_VERIFIER = os.environ.get(
    "LINJU_SOCIAL_CARD_VERIFIER", "linju.identity.standin.StandInCardReader"
)
LINJU_ECARD_VERIFIER = os.environ.get("LINJU_ECARD_VERIFIER", "linju.identity.standin.StandInECardPlatform")
LINJU_CARD_READER_URL = os.environ.get("LINJU_CARD_READER_URL", "http://127.0.0.1:18600")
LINJU_ECARD_URL = os.environ.get("LINJU_ECARD_URL", "")
LINJU_ECARD_APP_KEY = os.environ.get("LINJU_ECARD_APP_KEY", "")
# seconds a reader or the platform is waited for; then it is unreachable and the person is identified by hand
LINJU_IDENTITY_TIMEOUT = float(os.environ.get("LINJU_IDENTITY_TIMEOUT", "3"))
# the stand-ins answer after this long, as real devices take a moment
LINJU_IDENTITY_STANDIN_DELAY = float(os.environ.get("LINJU_IDENTITY_STANDIN_DELAY", "0.3"))

# Keys for personal data at rest (linju/core/crypto.py: SM4 to encrypt, HMAC-SM3 to find): a key
# service's address (asked once per process, with the token) or a key file (JSON: the data keys by
# id, the current one, the index key). Neither: the demo's public keys (`check --deploy` warns,
# linju.W080). `manage.py rotate_keys` re-encrypts under the current key; docs/crypto.md.
LINJU_KMS_URL = os.environ.get("LINJU_KMS_URL", "")
LINJU_KMS_TOKEN = os.environ.get("LINJU_KMS_TOKEN", "")
LINJU_KMS_TIMEOUT = float(os.environ.get("LINJU_KMS_TIMEOUT", "5"))
LINJU_KEY_FILE = os.environ.get("LINJU_KEY_FILE", "")

# The proxies in front of Linju (addresses or networks, comma-separated: "10.0.0.5,10.1.0.0/16").
# X-Forwarded-For is read only from a connection that comes from one of them; none (the default):
# the connection's own address is the client's (linju/core/request_context.py). The audit log, the
# per-address limits (django-ratelimit) and the log-in lock-out (django-axes) read the same address.
LINJU_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("LINJU_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in LINJU_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"LINJU_TRUSTED_PROXIES: {_proxy!r} is not an address or network, like 10.0.0.5 or 10.1.0.0/16"
        ) from None
RATELIMIT_IP_META_KEY = "linju.core.request_context.client_ip_for_limits"
AXES_CLIENT_IP_CALLABLE = "linju.core.request_context.client_ip"

# The public status page answers at most this many look-ups per address (django-ratelimit).
STATUS_LOOKUP_RATE = os.environ.get("LINJU_STATUS_LOOKUP_RATE", "10/m")
# The SMS gateway's key for the replies it passes on (a resident's 退订); no key, no endpoint.
LINJU_SMS_REPLY_KEY = os.environ.get("LINJU_SMS_REPLY_KEY", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "linju"}}
if REDIS_URL:
    # Redis unreachable (a cut network rather than a refused connection) costs a request one second,
    # not the system's TCP timeout: every use of the cache works on without it (core/shared_cache.py)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
