"""Settings for every deployment, read from the environment (12-factor).

Unset variables give the embedded default: a SQLite file under ./var, the database task
backend with an in-process worker, and a local outbox.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CIVICDESK_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("CIVICDESK_DEBUG", False)
SECRET_KEY = os.environ.get("CIVICDESK_SECRET_KEY", "")
if not SECRET_KEY:
    if not env_bool("CIVICDESK_INSECURE_DEV_SECRET", True):
        raise ImproperlyConfigured("Set CIVICDESK_SECRET_KEY in production.")
    # The embedded default must start with no set-up; a production deployment sets its own key
    # and turns CIVICDESK_INSECURE_DEV_SECRET off so a missing key fails loudly.
    SECRET_KEY = "civicdesk-embedded-default-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "CIVICDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CIVICDESK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "civicdesk.core",
    "civicdesk.catalog",
    "civicdesk.geo",
    "civicdesk.people",
    "civicdesk.cases",
    "civicdesk.contacts",
    "civicdesk.knowledge",
    "civicdesk.assistant",
    "civicdesk.routing",
    "civicdesk.intake",
    "civicdesk.open311",
    "civicdesk.api",
    "civicdesk.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civicdesk.urls"
WSGI_APPLICATION = "civicdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "civicdesk.core.postgresql_backend"
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the
        # write lock up front so concurrent writers wait (busy timeout) instead of failing.
        # Kept open like any other connection: opening one runs the PRAGMAs, which cost more
        # than a cached read; a local file needs no health check.
        config["CONN_HEALTH_CHECKS"] = False
        config["ENGINE"] = "civicdesk.core.sqlite_backend"
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Tests use a file too: an in-memory shared-cache database locks whole tables and ignores
        # the busy timeout, so concurrent tests would fail where a real deployment would wait.
        config["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"civicdesk-test-{os.getpid()}.sqlite3")
        }
    return config


DEFAULT_SQLITE_PATH = VAR_DIR / "civicdesk.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default must work from a fresh checkout, where ./var does not exist yet.
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
TASK_BACKEND = os.environ.get("CIVICDESK_TASK_BACKEND", "rq" if REDIS_URL else "database")
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("CIVICDESK_TASK_BACKEND=rq needs REDIS_URL.")
    TASKS: dict[str, Any] = {
        "default": {"BACKEND": "civicdesk.core.rq.RQBackend", "QUEUES": ["default"]},
    }
elif TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"CIVICDESK_TASK_BACKEND must be database, rq or immediate, not {TASK_BACKEND!r}"
    )
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}


def periodic_tasks_from_env(name: str, default: dict[str, int]) -> dict[str, int]:
    """The periodic-task registry: `default`, changed by `path=period` entries in `name`.

    Entries are separated by commas; a period is seconds or a number with s, m, h or d, and
    `off` removes a task (docs/background-work.md).
    """
    tasks = dict(default)
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    for entry in env_list(name, []):
        path, separator, period = (part.strip() for part in entry.partition("="))
        if not separator or not path:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not task.path=period")
        if period.lower() == "off":
            tasks.pop(path, None)
            continue
        multiplier = units.get(period[-1:].lower(), 0)
        number = period[:-1] if multiplier else period
        multiplier = multiplier or 1
        if not number.isdigit() or int(number) * multiplier <= 0:
            raise ImproperlyConfigured(f"{name}: {period!r} is not a period such as 300, 5m or 1d")
        tasks[path] = int(number) * multiplier
    return tasks


# Background work (docs/background-work.md): what `civicdesk worker` enqueues periodically
# (task path -> period in seconds; each period's run is enqueued once across all workers), how
# long a running task's lease lasts before another worker takes it as lost, how often a lost task
# is run again, and how often the worker's scheduler and housekeeping wake up.
CIVICDESK_PERIODIC_TASKS = periodic_tasks_from_env(
    "CIVICDESK_PERIODIC_TASKS",
    {
        "civicdesk.core.tasks.worker_heartbeat": 60,
        "civicdesk.cases.tasks.sla_sweep": 300,
        "civicdesk.knowledge.tasks.knowledge_links_check": 86400,
    },
)
CIVICDESK_TASK_LEASE_SECONDS = float(os.environ.get("CIVICDESK_TASK_LEASE_SECONDS", "60"))
CIVICDESK_TASK_LOST_RETRIES = int(os.environ.get("CIVICDESK_TASK_LOST_RETRIES", "3"))
CIVICDESK_SCHEDULER_TICK_SECONDS = float(os.environ.get("CIVICDESK_SCHEDULER_TICK_SECONDS", "5"))
if CIVICDESK_TASK_LEASE_SECONDS < 1 or CIVICDESK_SCHEDULER_TICK_SECONDS <= 0:
    raise ImproperlyConfigured(
        "CIVICDESK_TASK_LEASE_SECONDS must be at least 1 and CIVICDESK_SCHEDULER_TICK_SECONDS "
        "more than 0."
    )

CACHES: dict[str, Any] = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
CIVICDESK_JURISDICTION_TIMEZONE = os.environ.get("CIVICDESK_TIMEZONE", "America/New_York")
CIVICDESK_JURISDICTION_NAME = os.environ.get("CIVICDESK_JURISDICTION_NAME", "City of Boston (demo)")
CIVICDESK_JURISDICTION_ID = os.environ.get("CIVICDESK_JURISDICTION_ID", "civicdesk.demo")
CIVICDESK_PHONE_REGION = os.environ.get("CIVICDESK_PHONE_REGION", "US")
# An open case turns "at risk" once this share of its SLA time has passed (docs/sla.md).
CIVICDESK_SLA_AT_RISK_SHARE = float(os.environ.get("CIVICDESK_SLA_AT_RISK_SHARE", "0.75"))
CIVICDESK_GEO_CACHE_CHECK_SECONDS = float(os.environ.get("CIVICDESK_GEO_CACHE_CHECK_SECONDS", "5"))
CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = float(
    os.environ.get("CIVICDESK_CATALOG_CACHE_CHECK_SECONDS", "2")
)
# Site search (knowledge.search): how often a process checks whether articles or the catalog
# changed, and how many API searches one client may make a minute (0: no limit).
CIVICDESK_SEARCH_CHECK_SECONDS = float(os.environ.get("CIVICDESK_SEARCH_CHECK_SECONDS", "2"))
CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE = int(
    os.environ.get("CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE", "120")
)
# Messages one client may send the assistant a minute, on the portal and the API (0: no limit).
CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE = int(
    os.environ.get("CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE", "30")
)
# Semantic re-ranking of English searches with the civicdesk[semantic] extra: auto (when it
# is installed), on (required: start-up fails without it) or off.
CIVICDESK_SEARCH_SEMANTIC = os.environ.get("CIVICDESK_SEARCH_SEMANTIC", "auto").strip().lower()
CIVICDESK_PUBLIC_CACHE_SECONDS = float(os.environ.get("CIVICDESK_PUBLIC_CACHE_SECONDS", "30"))
CIVICDESK_APIKEY_CACHE_SECONDS = float(os.environ.get("CIVICDESK_APIKEY_CACHE_SECONDS", "5"))
# The text classifier (routing): below this confidence a text goes to a person (triage) instead
# of being given a service type; how often a process checks whether the active version changed.
CIVICDESK_ROUTING_CONFIDENCE = float(os.environ.get("CIVICDESK_ROUTING_CONFIDENCE", "0.6"))
CIVICDESK_ROUTING_SUGGEST_LIMIT_PER_MINUTE = int(
    os.environ.get("CIVICDESK_ROUTING_SUGGEST_LIMIT_PER_MINUTE", "120")
)
CIVICDESK_ROUTING_CACHE_CHECK_SECONDS = float(
    os.environ.get("CIVICDESK_ROUTING_CACHE_CHECK_SECONDS", "5")
)

# Resident accounts in the portal: one-time links by email, and limits on asking for them.
CIVICDESK_SIGN_IN_LINK_MINUTES = float(os.environ.get("CIVICDESK_SIGN_IN_LINK_MINUTES", "15"))
CIVICDESK_FOLLOW_LINK_HOURS = float(os.environ.get("CIVICDESK_FOLLOW_LINK_HOURS", "24"))
CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS = int(
    os.environ.get("CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS", "5")
)
CIVICDESK_EMAIL_LINK_LIMIT_PER_IP = int(os.environ.get("CIVICDESK_EMAIL_LINK_LIMIT_PER_IP", "20"))
CIVICDESK_EMAIL_LINK_LIMIT_WINDOW_SECONDS = int(
    os.environ.get("CIVICDESK_EMAIL_LINK_LIMIT_WINDOW_SECONDS", "3600")
)
# Proxies in front of the server that append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
CIVICDESK_TRUSTED_PROXY_COUNT = int(os.environ.get("CIVICDESK_TRUSTED_PROXY_COUNT", "0"))
# The portal's maps: a tile URL template ({z}/{x}/{y}) and its attribution; empty shows
# district outlines only, with no request to any tile server.
CIVICDESK_MAP_TILE_URL = os.environ.get("CIVICDESK_MAP_TILE_URL", "")
CIVICDESK_MAP_TILE_ATTRIBUTION = os.environ.get("CIVICDESK_MAP_TILE_ATTRIBUTION", "")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("CIVICDESK_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CIVICDESK_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Once `collectstatic` has filled STATIC_ROOT (`civicdesk serve` runs it first), WhiteNoise serves
# those files with their compressed copies; finders would shadow them with the uncompressed
# originals, so they are only used before that (tests, a fresh checkout).
WHITENOISE_USE_FINDERS = DEBUG or not any(STATIC_ROOT.glob("*"))

CIVICDESK_MAX_DESCRIPTION_LENGTH = 4000
CIVICDESK_MAX_UPLOAD_BYTES = int(os.environ.get("CIVICDESK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
CIVICDESK_MAX_IMAGE_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = CIVICDESK_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The portal's "Report a problem" flow: reports sent per hour from one IP address and for one
# email or phone, and where photos wait (validated, re-encoded) until the report is sent.
CIVICDESK_REPORT_LIMIT_PER_IP = int(os.environ.get("CIVICDESK_REPORT_LIMIT_PER_IP", "10"))
CIVICDESK_REPORT_LIMIT_PER_CONTACT = int(os.environ.get("CIVICDESK_REPORT_LIMIT_PER_CONTACT", "5"))
CIVICDESK_REPORT_DRAFT_DIR = Path(
    os.environ.get("CIVICDESK_REPORT_DRAFT_DIR", VAR_DIR / "report-drafts")
)

EMAIL_BACKEND = os.environ.get(
    "CIVICDESK_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "outbox"
EMAIL_HOST = os.environ.get("CIVICDESK_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("CIVICDESK_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("CIVICDESK_FROM_EMAIL", "311@civicdesk.invalid")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CIVICDESK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CIVICDESK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
