"""Settings shared by every environment. Values that differ come from the environment."""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
import django
import django_include_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def key_file(path: Path) -> str:
    """A development key kept in a git-ignored file, made once (32 random bytes, URL-safe base64)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as out:
                out.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip()


# bandit B105 accepted: a development default that config/settings/prod.py refuses to start with.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # nosec B105
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
    "rules",  # permission predicates and {% test_rule %} (jxjy/accounts/predicates.py)
    "captcha",  # 图形验证码 on the login form after failed logins (jxjy/accounts/lockout.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "jxjy.core",
    "jxjy.audit",
    "jxjy.attachments",
    "jxjy.notify",
    "jxjy.accounts",
    # The top layer (menu, home, 审计日志), listed here so that its admin (规则设置) registers right after the
    # accounts' admin, as before: the admin's app index keeps its order.
    "jxjy.portal",
    "jxjy.catalog",
    "jxjy.review",
    "jxjy.filings",
    "jxjy.trainings",
    "jxjy.completions",
    "jxjy.certificates",
    "jxjy.hours",
    "jxjy.stats",
    "jxjy.jobs",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jxjy.api",
    "jxjy.sysadmin",  # 系统管理 in the site's own screens
    "statici18n",  # the scripts' catalogue as a static file (make messages)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jxjy.core.middleware.BareErrorPageMiddleware",  # 405, 413, 429, 503 with no page: the site's Chinese one
    "jxjy.core.outcome.OutcomeMiddleware",  # a failure after a committed move still answers 操作已完成
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jxjy.accounts.middleware.SessionRefreshMiddleware",  # renews the idle timeout at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jxjy.accounts.language.AccountLanguageMiddleware",  # a signed-in user's chosen language, on any device
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jxjy.core.middleware.RequestContextMiddleware",
    "jxjy.audit.middleware.RefusalAuditMiddleware",  # refused attempts (403, 404, CSRF, 409, 429, API 401) → 失败
    "jxjy.core.kept_posts.KeptPostMiddleware",  # a form's POST that meets an ended login is kept, not dropped
    "jxjy.core.middleware.SessionLifetimeMiddleware",
    "jxjy.accounts.middleware.AccountGateMiddleware",
    "jxjy.core.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jxjy.core.inputs.BadInputMiddleware",  # an integer or JSON input out of bounds → 400 with its message
    "jxjy.jobs.middleware.TooManyJobsMiddleware",  # a job refused for too many under way → 我的下载任务, with why
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
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "jxjy.portal.context_processors.platform",
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

# Argon2id (jxjy/accounts/hashers.py) hashes new passwords; a PBKDF2 hash made before it still logs in and is
# rehashed with Argon2id at that login, as is any hash made with other Argon2 parameters.
PASSWORD_HASHERS = [
    "jxjy.accounts.hashers.JxjyArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with Chinese messages (jxjy/accounts/passwords.py).
    {"NAME": "jxjy.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "jxjy.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "jxjy.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "jxjy.accounts.passwords.NumericPasswordValidator"},
    {"NAME": "jxjy.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "jxjy.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# Staff passwords expire (the 安全管理员 may change the number under 安全策略); learners' do not.
JXJY_PASSWORD_MAX_AGE_DAYS = env_int("JXJY_PASSWORD_MAX_AGE_DAYS", 90)

# Second factor (TOTP, django-otp) for the administrators and HR reviewers. A wrong code waits
# 1, 2, 4, 8 … seconds before the next one is even checked.
OTP_TOTP_ISSUER = "继续教育系统"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "zh-hans"
# 简体中文 is the source language (the guide's wording); ئۇيغۇرچە (Uyghur, Arabic script, right to left) is
# translated in locale/ug/ (its glossary beside it). The language is the account's, else the cookie's (the
# switch on every page sets both), else the browser's Accept-Language.
LANGUAGES = [("zh-hans", "简体中文"), ("ug", "ئۇيغۇرچە")]
LANGUAGE_COOKIE_NAME = "jxjy_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's own catalogue listed here ranks above the apps': the REST framework words seven of Django's
# messages differently (这个字段是必填项。 → 该字段是必填项。), and the site's forms keep Django's wording.
LOCALE_PATHS = [BASE_DIR / "locale", Path(django.__file__).parent / "conf" / "locale"]

STATIC_URL = "static/"
# Bootstrap's reboot, grid and utilities (and their .rtl variants) come from the django-include-bootstrap
# package (Bootstrap's own dist files), served from where pip put them: /static/bootstrap/css/… (never copied
# into the repository; the package is not an installed app, so its templates stay out).
BOOTSTRAP_DIST = Path(django_include_bootstrap.__file__).parent / "static"
# The scripts' translations, compiled by `make messages` (django-statici18n) to /static/jsi18n/<language>/.
STATICI18N_ROOT = BASE_DIR / "var" / "i18n"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", BOOTSTRAP_DIST), STATICI18N_ROOT]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Attachments live outside the static root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# No URL serves MEDIA_ROOT: attachments go out only through permission-checked views.
MEDIA_URL = "/media/"
# Files follow transactions (jxjy/core/storage.py): a file written in a transaction that rolls back is
# deleted, and a write reaches its name only whole. `manage.py sweep_media` removes files no row points to.
STORAGES = {
    "default": {"BACKEND": "jxjy.core.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background jobs (certificate zips, large exports): django-tasks with its database backend, so a job
# needs no broker and survives a restart; `manage.py db_worker` runs them. JXJY_TASKS=immediate runs
# each job inside the request instead (development without a worker, and the tests).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def task_settings(default: str) -> dict:
    return {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("JXJY_TASKS", default)]}}


TASKS = task_settings("database")
# Where an SMS goes (jxjy/notify/backends.py; README: 短信与邮件): the console (or files in JXJY_SMS_FILE_DIR)
# in development, 腾讯云短信 (jxjy.notify.backends.TencentSms) in production.
JXJY_SMS_BACKEND = os.environ.get("JXJY_SMS_BACKEND", "jxjy.notify.backends.ConsoleSms")
JXJY_SMS_FILE_DIR = os.environ.get("JXJY_SMS_FILE_DIR", str(BASE_DIR / "var" / "sms"))
JXJY_TENCENT_SMS = {
    "secret_id": os.environ.get("JXJY_TENCENT_SMS_SECRET_ID", ""),
    "secret_key": os.environ.get("JXJY_TENCENT_SMS_SECRET_KEY", ""),
    "app_id": os.environ.get("JXJY_TENCENT_SMS_APP_ID", ""),  # SmsSdkAppId
    "sign_name": os.environ.get("JXJY_TENCENT_SMS_SIGN_NAME", ""),
    "region": os.environ.get("JXJY_TENCENT_SMS_REGION", "ap-guangzhou"),
    "endpoint": os.environ.get("JXJY_TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"),
    "protocol": os.environ.get("JXJY_TENCENT_SMS_PROTOCOL", "https"),
    "timeout": env_int("JXJY_TENCENT_SMS_TIMEOUT", 10),
    # event=template id, comma-separated: registration_approved=1234567,registration_returned=1234568,…
    "templates": dict(
        item.strip().split("=", 1)
        for item in os.environ.get("JXJY_TENCENT_SMS_TEMPLATES", "").split(",")
        if "=" in item
    ),
}
# E-mail goes out through SMTP (Django's backend) configured here; development prints it, addresses masked.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"  # STARTTLS, usually port 587
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"  # implicit TLS, usually port 465
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "继续教育系统 <noreply@localhost>")
# A job's file (a zip or an export with personal data) is kept this many days, then pruned (prune_jobs).
JXJY_JOB_KEEP_DAYS = env_int("JXJY_JOB_KEEP_DAYS", 7)
# A running job holds a lease, renewed as it makes progress; one whose worker died is run again once the lease
# has expired, up to JXJY_JOB_MAX_ATTEMPTS times in all, then shown as 生成中断 (jxjy/jobs/services.py).
JXJY_JOB_LEASE_SECONDS = env_int("JXJY_JOB_LEASE_SECONDS", 300)
JXJY_JOB_MAX_ATTEMPTS = env_int("JXJY_JOB_MAX_ATTEMPTS", 3)
# A user has at most this many jobs queued or running; the same request again follows the job already under way.
JXJY_JOB_MAX_ACTIVE_PER_USER = env_int("JXJY_JOB_MAX_ACTIVE_PER_USER", 3)
# `manage.py task_worker` writes its heartbeat this often; /healthz/ready fails when none is this old or newer.
JXJY_WORKER_HEARTBEAT_SECONDS = env_int("JXJY_WORKER_HEARTBEAT_SECONDS", 10)
# What the task worker does now and then besides its tasks (dotted path, interval in seconds): messages a
# process that died after its commit left in the outbox, 候补 seats freed by a deadline nobody acted on, and
# autosaved drafts left untouched for JXJY_DRAFT_KEEP_DAYS.
JXJY_WORKER_SWEEPS = [
    ("jxjy.notify.delivery.deliver_due", 60),
    ("jxjy.trainings.services.promote_all_waiting", 60),
    ("jxjy.core.drafts.prune_drafts", 3600),
    ("jxjy.attachments.services.prune_staged", 3600),  # files picked on forms nobody saved
    ("jxjy.audit.checkpoints.periodic_checkpoint", 3600),  # the audit chain's head, kept outside the database
    ("jxjy.accounts.lockout.prune_captchas", 600),  # 图形验证码 challenges past their 5 minutes
]
JXJY_WORKER_STALE_SECONDS = env_int("JXJY_WORKER_STALE_SECONDS", 60)
# The checks of /healthz/ready whose failure answers 503 (jxjy/core/health.py); the others are only reported.
# The site serves without Redis and without a task worker, so by default neither takes a node out of the load
# balancer (that would turn one outage into a stopped site); add them where a node should leave for them.
JXJY_READY_REQUIRED = [
    c.strip() for c in os.environ.get("JXJY_READY_REQUIRED", "database,storage").split(",") if c.strip()
]

# Uploads: the guide's limit is 2 MB per file; keep request bodies bounded too.
JXJY_ATTACHMENT_MAX_BYTES = env_int("JXJY_ATTACHMENT_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A form takes at most jxjy.core.uploads.MAX_FILES (10) files in one request (JXJY_UPLOAD_MAX_FILES overrides it),
# refused next to the field; a request with more than this many is refused outright (400) while it is read.
DATA_UPLOAD_MAX_NUMBER_FILES = 50
JXJY_UPLOAD_MAX_FILES = env_int("JXJY_UPLOAD_MAX_FILES", 10)
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# Sessions: the guide's 30-minute idle timeout, renewed by a request at most once a minute (a session is not
# written on every request: jxjy.accounts.middleware.SessionRefreshMiddleware), so it ends 29 to 30 minutes
# after the last request.
JXJY_SESSION_IDLE_MINUTES = env_int("JXJY_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = JXJY_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
# However active, a session ends this many hours after its login.
JXJY_SESSION_MAX_HOURS = env_int("JXJY_SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent without a valid token (a page left open past its login) gets the site's own page with a way back.
CSRF_FAILURE_VIEW = "jxjy.core.error_views.csrf_failure"
# Autosave keeps the draft this often (seconds) while a form is open.
JXJY_AUTOSAVE_SECONDS = env_int("JXJY_AUTOSAVE_SECONDS", 30)
# The forms that autosave: a key's kind ("prefiling" of "prefiling:12") and the check whether the user may edit
# that document (or create one, for "prefiling:new"). A draft untouched this many days is pruned (prune_drafts).
JXJY_DRAFT_KINDS = {
    "prefiling": "jxjy.filings.draft_kinds.prefiling",
    "recognition": "jxjy.filings.draft_kinds.recognition",
    "training": "jxjy.trainings.draft_kinds.training",
    "register": "jxjy.trainings.draft_kinds.register",
    "registration": "jxjy.trainings.draft_kinds.registration",
    "completion": "jxjy.completions.draft_kinds.completion",
    "*_opinion": "jxjy.review.draft_kinds.opinion",  # 审核意见: "prefiling_opinion:12", one per document kind
}
JXJY_DRAFT_KEEP_DAYS = env_int("JXJY_DRAFT_KEEP_DAYS", 30)
# The idle warning appears this many minutes before the session would end.
JXJY_IDLE_WARNING_MINUTES = env_int("JXJY_IDLE_WARNING_MINUTES", 3)

# Business rules (DESIGN §6); later features read them, tests may override them.
JXJY_FILING_LEAD_DAYS = env_int("JXJY_FILING_LEAD_DAYS", 15)
JXJY_COMPLETION_FILING_DAYS = env_int("JXJY_COMPLETION_FILING_DAYS", 7)
JXJY_YEARLY_HOURS = env_int("JXJY_YEARLY_HOURS", 90)
JXJY_PROFESSIONAL_SHARE = env_float("JXJY_PROFESSIONAL_SHARE", 0.6667)

# The Chinese font of every PDF (申报表, certificates, 学时证明) and of the seal's characters: TrueType outlines
# (.ttf, or a .ttc whose Simplified Chinese face is used; ReportLab embeds no CFF fonts). Debian's fonts-arphic-uming.
JXJY_PDF_FONT = os.environ.get("JXJY_PDF_FONT", "/usr/share/fonts/truetype/arphic/uming.ttc")
# The Uyghur font of the bilingual certificates and 学时证明 (Arabic script, shaped with HarfBuzz, set right to
# left): TrueType outlines. Debian's fonts-ukij-uyghur (UKIJ Tuz, the Uyghur Computer Science Association's).
JXJY_PDF_UYGHUR_FONT = os.environ.get("JXJY_PDF_UYGHUR_FONT", "/usr/share/fonts/truetype/fonts-ukij-uyghur/UKIJTuz.ttf")

# 电子签章 (README: 电子签章): certificates and 学时证明 are signed as PAdES with the platform's key, from a
# PKCS#12 file or a PKCS#11 token; JXJY_SIGNING_TRUST lists the CA certificates a file must chain to, and
# JXJY_TSA_URL makes the signatures B-T. Outside production an unconfigured platform makes a throw-away
# CA in JXJY_SIGNING_DEV_DIR.
JXJY_SIGNING_PKCS12 = os.environ.get("JXJY_SIGNING_PKCS12", "")
JXJY_SIGNING_PKCS12_PASSWORD = os.environ.get("JXJY_SIGNING_PKCS12_PASSWORD", "")
JXJY_SIGNING_PKCS11_MODULE = os.environ.get("JXJY_SIGNING_PKCS11_MODULE", "")
JXJY_SIGNING_PKCS11_TOKEN = os.environ.get("JXJY_SIGNING_PKCS11_TOKEN", "")
JXJY_SIGNING_PKCS11_KEY = os.environ.get("JXJY_SIGNING_PKCS11_KEY", "")
JXJY_SIGNING_PKCS11_CERT = os.environ.get("JXJY_SIGNING_PKCS11_CERT", "")
JXJY_SIGNING_PKCS11_PIN = os.environ.get("JXJY_SIGNING_PKCS11_PIN", "")
JXJY_SIGNING_TRUST = os.environ.get("JXJY_SIGNING_TRUST", "")
JXJY_TSA_URL = os.environ.get("JXJY_TSA_URL", "")
JXJY_SIGNING_DEV_DIR = os.environ.get("JXJY_SIGNING_DEV_DIR", str(BASE_DIR / "var" / "signing"))
# The address the public reaches the platform at: a certificate's QR code points to its 证书查验 page here.
JXJY_SITE_URL = os.environ.get("JXJY_SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "").rstrip("/")

# An answer (操作成功, 报名人数已满 …) travels to the page after the redirect in a signed cookie (HttpOnly and
# Secure as the session's), with the session only for what does not fit: no session write to show a message.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# Login throttling (jxjy.accounts.lockout): 5 failures lock the pair (account, address) for 30 minutes, so that
# nobody elsewhere can lock an account out (the 安全管理员's included); the account key is a keyed hash. After
# JXJY_LOGIN_CAPTCHA_AFTER failures for the account (from anywhere) or from the address (on any account) the login
# form asks for a 图形验证码 as well. The address is the client's (jxjy.core.proxy, JXJY_TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "jxjy.accounts.lockout.lockout_key"
AXES_CLIENT_IP_CALLABLE = "jxjy.accounts.lockout.client_address"
JXJY_LOGIN_CAPTCHA_AFTER = env_int("JXJY_LOGIN_CAPTCHA_AFTER", 3)
# django-simple-captcha: kept in the database (a login works while Redis is away), its image served by this site.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5  # minutes
CAPTCHA_FONT_SIZE = 30
CAPTCHA_2X_IMAGE = False
AXES_RESET_ON_SUCCESS = True
# Successful logins are in the audit trail (登录, with address and outcome); axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "jxjy.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS: list[str] = []
# One address trying many accounts is also rate-limited, at the login view.
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

# 开放接口 (jxjy.api): token authentication, JSON only, our error shape, rate limits per token and per address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["jxjy.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["jxjy.api.parsers.BoundedJSONParser"],  # size and depth bounded (jxjy.core.inputs)
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jxjy.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Rate limits key on REMOTE_ADDR, as the login limit does: a client's own X-Forwarded-For is not believed.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "继续教育系统开放接口",
    "DESCRIPTION": "证书查验、学员年度学时查询、公需课学习记录导入、基地单据状态。令牌由系统管理员创建。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts each one as a link inside the operation's button (WCAG: nested controls).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}
JXJY_API_RATE_PER_TOKEN = os.environ.get("JXJY_API_RATE_PER_TOKEN", "600/m")
JXJY_API_RATE_PER_IP = os.environ.get("JXJY_API_RATE_PER_IP", "30/m")

# Log lines never carry a full 身份证号, mobile, password or token: every handler masks them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "jxjy.core.log_filters.RedactPersonalData"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["personal_data"]},
    },
    "loggers": {"django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# 身份证号 and 手机号 are encrypted with this secret, kept outside the database and the repository (see
# jxjy/core/pii.py): from the environment in production, from a git-ignored file under var/ in development.
# Old secrets stay listed (comma-separated) until `manage.py rotate_pii_key` has rewritten every row.
JXJY_PII_KEY = os.environ.get("JXJY_PII_KEY", "")
JXJY_PII_OLD_KEYS = [k.strip() for k in os.environ.get("JXJY_PII_OLD_KEYS", "").split(",") if k.strip()]
# Lookups also try the HMAC-SHA256 hashes of before 国密 until `manage.py reencrypt_personal_data` has converted
# every row; then JXJY_PII_LEGACY_LOOKUP=0.
JXJY_PII_LEGACY_LOOKUP = os.environ.get("JXJY_PII_LEGACY_LOOKUP", "1") != "0"

# Seats are recounted under a row lock on the class. Only the concurrency tests' control run
# switches this off, to show that the race is real without it.
JXJY_SEAT_LOCK = True
# How long a submission waits for the class's lock before answering "busy, try again".
JXJY_SEAT_LOCK_TIMEOUT_MS = env_int("JXJY_SEAT_LOCK_TIMEOUT_MS", 5000)

# The audit trail is kept at least this many days (GB/T 22239-2019: six months); `purge_audit` refuses
# anything younger, and refuses to run at all if this is set below 184.
JXJY_AUDIT_RETENTION_DAYS = env_int("JXJY_AUDIT_RETENTION_DAYS", 184)
# The audit chain is keyed (HMAC-SM3) by this secret, kept outside the database like JXJY_PII_KEY; unset, a key is
# derived from SECRET_KEY. Checkpoints of its head go to this append-only file and, if named, to syslog
# ("/dev/log" or "host:514"); `verify_audit` checks the database against them (SECURITY.md: 审计日志的运维).
JXJY_AUDIT_KEY = os.environ.get("JXJY_AUDIT_KEY", "")
JXJY_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "JXJY_AUDIT_CHECKPOINT_FILE", str(BASE_DIR / "var" / "audit-checkpoints.jsonl")
)
JXJY_AUDIT_CHECKPOINT_SYSLOG = os.environ.get("JXJY_AUDIT_CHECKPOINT_SYSLOG", "")
# Refused attempts recorded per account (or address) and in all per minute; beyond, they are only counted.
JXJY_AUDIT_REFUSALS_PER_MINUTE = env_int("JXJY_AUDIT_REFUSALS_PER_MINUTE", 20)
JXJY_AUDIT_REFUSALS_TOTAL_PER_MINUTE = env_int("JXJY_AUDIT_REFUSALS_TOTAL_PER_MINUTE", 600)
