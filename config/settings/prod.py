"""Production: PostgreSQL through DATABASE_URL, secrets from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from jxjy.core.pii import parse_secret

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, SECRET_KEY, env_float, env_int

if not os.environ.get("SECRET_KEY") or SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置一个独有的密钥。")
if not os.environ.get("JXJY_PII_KEY"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 JXJY_PII_KEY 提供个人信息加密密钥。")
parse_secret(os.environ["JXJY_PII_KEY"])  # refuses a malformed key at start, not at the first learner
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 DATABASE_URL 指定 PostgreSQL 数据库。")
# E-mail: SMTP from EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER/PASSWORD (base.py; README: 短信与邮件).
if os.environ.get("EMAIL_USE_TLS") == "1" and os.environ.get("EMAIL_USE_SSL") == "1":
    raise ImproperlyConfigured("EMAIL_USE_TLS 与 EMAIL_USE_SSL 只能开启一个（587 端口用 TLS，465 端口用 SSL）。")

DEBUG = False
# `manage.py check_accounts` refuses superusers and demo passwords here.
JXJY_PRODUCTION = True
# Production signs with the operator's key only (JXJY_SIGNING_PKCS12 or _PKCS11_MODULE), never a throw-away one.
JXJY_SIGNING_DEV_DIR = ""
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Several gunicorn workers on one or more machines share one PostgreSQL and one Redis. Redis is a help, not
# a single point of failure (jxjy/core/cache.py): short timeouts, and an error is logged and answered as a miss.
# Sessions live in the database with a short-lived copy in Redis (jxjy/core/sessions.py), so a Redis outage
# signs nobody out and 退出 still works. The rate limits have their own alias that keeps counting in each
# process's memory while Redis is away (a login limit that fails open would invite password guessing).
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 REDIS_URL 指定 Redis，如 redis://127.0.0.1:6379/0。")
REDIS_TIMEOUT = env_float("JXJY_REDIS_TIMEOUT", 0.3)  # seconds, connecting and each reply
_redis = {
    "BACKEND": "jxjy.core.cache.FailSafeRedisCache",
    "LOCATION": os.environ["REDIS_URL"],
    "KEY_PREFIX": "jxjy",
    "RETRY_SECONDS": env_float("JXJY_REDIS_RETRY_SECONDS", 5),
    "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
}
CACHES = {
    "default": _redis,
    "ratelimit": {**_redis, "KEY_PREFIX": "jxjy-rl", "LOCAL_FALLBACK": True},
}
RATELIMIT_USE_CACHE = "ratelimit"
SESSION_ENGINE = "jxjy.core.sessions"
JXJY_SESSION_CACHE_SECONDS = env_int("JXJY_SESSION_CACHE_SECONDS", 60)
# The load balancer's probes (jxjy/core/health.py) reach gunicorn over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Static files are served by the application itself (whitenoise, right after SecurityMiddleware):
# compressed, with hashed names that browsers may keep for a year; `manage.py collectstatic` writes
# them to STATIC_ROOT.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Source maps (the API documentation's bundles, Bootstrap's) are for developers' tools, not for pages: left
# uncompressed, they no longer make most of collectstatic's minutes (gzip and brotli of every .map).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    "default": {"BACKEND": "jxjy.core.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Attachments, certificates and exports go to S3-compatible object storage when a bucket is named
# (MinIO, 华为云 OBS, 阿里云 OSS …); otherwise to MEDIA_ROOT on local disk. Either way they are served
# only through permission-checked views, never by a public URL.
if os.environ.get("JXJY_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "jxjy.core.storage.S3Storage",  # django-storages' S3Storage, rollback-aware
        "OPTIONS": {
            "bucket_name": os.environ["JXJY_S3_BUCKET"],
            "endpoint_url": os.environ.get("JXJY_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("JXJY_S3_REGION") or None,
            "access_key": os.environ.get("JXJY_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("JXJY_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("JXJY_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# nginx passes the client's address in X-Real-IP (deploy/nginx.conf); believed only from these peers.
JXJY_TRUSTED_PROXIES = [a for a in os.environ.get("JXJY_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a]
MIDDLEWARE.insert(0, "jxjy.core.proxy.TrustedProxyMiddleware")

# TLS ends at nginx, which also sends http:// to https:// (deploy/nginx.conf); SECURE_SSL_REDIRECT=0 leaves
# that to nginx alone, or serves plain http on a machine's loopback for a local trial.
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W008"]  # noqa: F405
