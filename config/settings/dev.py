"""Local development: `make run`."""

from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

if not JXJY_PII_KEY:  # noqa: F405
    JXJY_PII_KEY = key_file(BASE_DIR / "var" / "pii.key")  # noqa: F405
