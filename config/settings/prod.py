"""Production: PostgreSQL through DATABASE_URL, secrets from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from jxjy.core.pii import parse_secret

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, SECRET_KEY

if not os.environ.get("SECRET_KEY") or SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置一个独有的密钥。")
if not os.environ.get("JXJY_PII_KEY"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 JXJY_PII_KEY 提供个人信息加密密钥。")
parse_secret(os.environ["JXJY_PII_KEY"])  # refuses a malformed key at start, not at the first learner
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 DATABASE_URL 指定 PostgreSQL 数据库。")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
