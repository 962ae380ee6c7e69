"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "jxjy.core",
    "jxjy.accounts",
    "jxjy.catalog",
    "jxjy.review",
    "jxjy.filings",
    "jxjy.trainings",
    "jxjy.completions",
    "jxjy.certificates",
    "jxjy.hours",
    "jxjy.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jxjy.core.middleware.RequestContextMiddleware",
    "jxjy.core.middleware.SessionLifetimeMiddleware",
    "jxjy.core.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jxjy.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; SQLite allows one writer at a time.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two moves on one document
    # serialise instead of both reading the old state (PostgreSQL uses SELECT … FOR UPDATE).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account before any password check
    "jxjy.accounts.backends.StaffOrLearnerBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jxjy.accounts.passwords.CharacterClassesValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Attachments live outside the static root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# No URL serves MEDIA_ROOT: attachments go out only through permission-checked views.
MEDIA_URL = "/media/"

# Uploads: the guide's limit is 2 MB per file; keep request bodies bounded too.
JXJY_ATTACHMENT_MAX_BYTES = env_int("JXJY_ATTACHMENT_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# Sessions: the guide's 30-minute idle timeout, renewed by every request.
JXJY_SESSION_IDLE_MINUTES = env_int("JXJY_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = JXJY_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# However active, a session ends this many hours after its login.
JXJY_SESSION_MAX_HOURS = env_int("JXJY_SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Autosave keeps the draft this often (seconds) while a form is open.
JXJY_AUTOSAVE_SECONDS = env_int("JXJY_AUTOSAVE_SECONDS", 30)
# The idle warning appears this many minutes before the session would end.
JXJY_IDLE_WARNING_MINUTES = env_int("JXJY_IDLE_WARNING_MINUTES", 3)

# Business rules (DESIGN §6); later features read them, tests may override them.
JXJY_FILING_LEAD_DAYS = env_int("JXJY_FILING_LEAD_DAYS", 15)
JXJY_COMPLETION_FILING_DAYS = env_int("JXJY_COMPLETION_FILING_DAYS", 7)
JXJY_YEARLY_HOURS = env_int("JXJY_YEARLY_HOURS", 90)
JXJY_PROFESSIONAL_SHARE = env_float("JXJY_PROFESSIONAL_SHARE", 0.6667)
# 统计分析 scans a year's registrations and certificates; its figures are kept this long (0: never kept).
JXJY_STATS_CACHE_SECONDS = env_int("JXJY_STATS_CACHE_SECONDS", 300)

# The Chinese font embedded in the 申报表 PDF (.ttf/.otf/.ttc, CFF outlines too; of a collection the Simplified
# Chinese face is used). The default comes with Debian's fonts-noto-cjk.
JXJY_PDF_FONT = os.environ.get("JXJY_PDF_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")

# The TrueType font of certificates (ReportLab embeds TrueType faces; Debian's fonts-arphic-uming).
JXJY_CERT_FONT = os.environ.get("JXJY_CERT_FONT", "/usr/share/fonts/truetype/arphic/uming.ttc")

# Messages live in the session, so that an answer survives the redirect whatever the client.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Login throttling: 5 failures lock the account (offices share one NAT address, so not the IP)
# for 30 minutes; the key is a keyed hash (see jxjy.accounts.lockout).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "jxjy.accounts.lockout.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Keyed on the account on purpose (see above); addresses are rate-limited separately, at the login view.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
JXJY_LOGIN_RATE_PER_IP = os.environ.get("JXJY_LOGIN_RATE_PER_IP", "60/m")

# Content Security Policy: only this site's own scripts, styles and images; no plugins, no framing,
# no <base> tricks, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Seats are recounted under a row lock on the class. Only the concurrency tests' control run
# switches this off, to show that the race is real without it.
JXJY_SEAT_LOCK = True
# How long a submission waits for the class's lock before answering "busy, try again".
JXJY_SEAT_LOCK_TIMEOUT_MS = env_int("JXJY_SEAT_LOCK_TIMEOUT_MS", 5000)
