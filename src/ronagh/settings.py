"""Ronagh settings. Every value that differs between machines comes from the environment here,
and nowhere else (SPEC 9)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (where package.json and node_modules live) is two levels above the package.
PROJECT_DIR = PACKAGE_DIR.parent.parent
NODE_MODULES = Path(os.environ.get("RONAGH_NODE_MODULES", PROJECT_DIR / "node_modules"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# SPEC 9: the data directory is ./var of the directory Ronagh is started from, unless told.
DATA_DIR = Path(os.environ.get("RONAGH_DATA_DIR") or Path.cwd() / "var").resolve()
DEBUG = _bool("DEBUG", False)
TESTING = _bool("RONAGH_TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "ronagh-insecure-development-key-do-not-use-in-production"
    else:
        from django.core.exceptions import ImproperlyConfigured

        # Read before any translation is loaded: the one sentence in the site's language. The
        # console script prints it as one line (cli.py); a WSGI server logs it.
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY=… (a long random text)."
            if os.environ.get("RONAGH_LANGUAGE", "fa").startswith("en")
            else "متغیر SECRET_KEY تعریف نشده است؛ وقتی DEBUG خاموش است باید یک متن تصادفی "
            "بلند در آن بگذارید: export SECRET_KEY=…"
        )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "ronagh.core.admin_site.RonaghAdminConfig",  # django.contrib.admin, superuser only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "ronagh.staticfiles.RonaghStaticFilesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Ronagh's apps, lowest first: an app imports only the apps listed before it.
    "ronagh.core",
    "ronagh.notifications",
    "ronagh.plans",
    "ronagh.obstacles",
    "ronagh.hq",
    "ronagh.scorecards",
    "ronagh.units",
    "ronagh.reports",
    "ronagh.bale",
    "ronagh.api",
    "ronagh.jobs",
    "ronagh.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ronagh.core.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ronagh.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ronagh.core.middleware.FriendlyNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ronagh.urls"
WSGI_APPLICATION = "ronagh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ronagh.core.context_processors.ronagh",
                "ronagh.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'ronagh.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default database lives in the data directory: make sure it exists on a fresh machine.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one writer writes; IMMEDIATE makes writers queue for the lock
    # instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            # 64 MB of page cache and memory-mapped reads: a province's reports stay in memory.
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
    }
    # The test database is a file too, not Django's shared in-memory one: concurrent writers
    # (the tests of concurrent submits) then queue for the lock as in production instead of
    # failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-ronagh.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: Ronagh's statements are many small index probes, which PostgreSQL's cost model
    # mistakes for big queries; compiling them costs more (150 ms on the national view) than
    # running them (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    # A read replica for the pages (core/replica.py): safe requests read there.
    if os.environ.get("DATABASE_REPLICA_URL"):
        replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
        replica.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        replica["TEST"] = {"MIRROR": "default"}
        DATABASES["replica"] = replica
DATABASE_ROUTERS = ["ronagh.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "ronagh.core.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("RONAGH_LANGUAGE", "fa")
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries come from npm (package.json) and are served by the app itself: the
# provincial intranet has no CDN.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/jalalidatepicker", NODE_MODULES / "@majidh1" / "jalalidatepicker" / "dist"),
]
# Production: every file compressed (gzip, and Brotli when installed) under a name carrying its
# hash, so browsers keep it for a year (WhiteNoise's manifest storage; `ronagh serve` collects
# the files first). The demo (DEBUG) and the tests serve the files as they are from the finders:
# they never run collectstatic, and a manifest storage without its manifest cannot name a file.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "ronagh.staticfiles.RonaghStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_MAX_AGE = 0 if DEBUG else 60
# Hashed names may be kept forever (WhiteNoise's default for them); the others a minute.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ronagh API",
    "DESCRIPTION": "Production-boom plan, daily physical progress, rollups and scorecards.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ronagh@localhost")

# SPEC 4.3 thresholds and SPEC 4.2 reporting window; SPEC 3 working calendar.
RONAGH = {
    "BEHIND_GAP": float(os.environ.get("RONAGH_BEHIND_GAP", "5")),
    "CRITICAL_GAP": float(os.environ.get("RONAGH_CRITICAL_GAP", "20")),
    "STALLED_DAYS": int(os.environ.get("RONAGH_STALLED_DAYS", "14")),
    "UNREPORTED_WORKING_DAYS": int(os.environ.get("RONAGH_UNREPORTED_WORKING_DAYS", "3")),
    "REPORTING_WINDOW_WORKING_DAYS": int(os.environ.get("RONAGH_REPORTING_WINDOW", "3")),
    "THURSDAY_IS_WEEKEND": _bool("RONAGH_THURSDAY_WEEKEND", False),
    "FORECAST_WINDOW_DAYS": 30,
    "SCORE_WEIGHTS": {"progress": 0.60, "compliance": 0.25, "obstacles": 0.15},
}

# Progress bars of the console commands (core/console.py); RONAGH_PROGRESS=0 silences them.
RONAGH_PROGRESS = _bool("RONAGH_PROGRESS", True)

# The site's address, for full links in emails and SMS (e.g. https://ronagh.qom.ir).
RONAGH_SITE_URL = os.environ.get("RONAGH_SITE_URL", "")

# SMS: a small backend interface; the console backend by default, Kavenegar in production.
RONAGH_SMS = {
    "BACKEND": os.environ.get("RONAGH_SMS_BACKEND", "ronagh.notifications.sms.ConsoleBackend"),
    "KAVENEGAR_API_KEY": os.environ.get("KAVENEGAR_API_KEY", ""),
    "KAVENEGAR_SENDER": os.environ.get("KAVENEGAR_SENDER", ""),
    "KAVENEGAR_URL": os.environ.get("KAVENEGAR_URL", "https://api.kavenegar.com/v1"),
    "TIMEOUT": float(os.environ.get("RONAGH_SMS_TIMEOUT", "10")),
}

# Bale (SPEC 4.2.1): the province's bot. Its API has Telegram's shape; the token comes from
# Bale's @BotFather. Without a token the bot and the Bale channel of notifications stay off.
RONAGH_BALE_API = os.environ.get("RONAGH_BALE_API", "https://tapi.bale.ai")
RONAGH_BALE_TOKEN = os.environ.get("RONAGH_BALE_TOKEN", "")

# SPEC 10: upload caps (the type checks are core/uploads.py's).
RONAGH_UPLOADS = {
    "EVIDENCE_MAX_BYTES": int(os.environ.get("RONAGH_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)),
    "WORKBOOK_MAX_BYTES": int(os.environ.get("RONAGH_WORKBOOK_MAX_BYTES", 10 * 1024 * 1024)),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# SPEC 5: obstacle deadlines by severity (days), 4 the gravest.
RONAGH_OBSTACLE_SLA_DAYS = {4: 7, 3: 14, 2: 30, 1: 60}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"

# Early warning (SPEC 6): a month's indicators are due by this day of the next Jalali month, when
# the daily job scores the units that sent none; the horizon and alert budget of the backtest;
# the legal days an issuing agency has to decide a permit application.
RONAGH_EARLY_WARNING = {
    "INDICATOR_DUE_DAY": int(os.environ.get("RONAGH_INDICATOR_DUE_DAY", "15")),
    "HORIZON_MONTHS": int(os.environ.get("RONAGH_WARNING_HORIZON_MONTHS", "6")),
    "ALERT_BUDGET": float(os.environ.get("RONAGH_WARNING_ALERT_BUDGET", "0.05")),
    "PERMIT_LEGAL_DAYS": int(os.environ.get("RONAGH_PERMIT_LEGAL_DAYS", "30")),
}
