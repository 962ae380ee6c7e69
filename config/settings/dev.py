"""The demo on this machine: `make run` serves it as users will see it (DEBUG off: the site's own error pages,
static files served by the application); `make run-debug` (JXJY_DEBUG=1) gives developers Django's debug pages."""

import os

from .base import *  # noqa: F403
from .base import task_settings

# The demo and its factories (demo/; requirements-demo.txt): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

DEBUG = os.environ.get("JXJY_DEBUG", "") == "1"
# Static files from the application itself, straight from the source folders (no collectstatic), as the
# production server serves its collected ones (whitenoise, right after SecurityMiddleware).
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # a changed file is served as changed, without restarting
EMAIL_BACKEND = "jxjy.notify.backends.ConsoleEmailBackend"  # the console, recipients masked

if not JXJY_PII_KEY:  # noqa: F405
    JXJY_PII_KEY = key_file(BASE_DIR / "var" / "pii.key")  # noqa: F405

# `make run` starts no worker: a job runs inside the request that starts it (JXJY_TASKS=database to queue).
TASKS = task_settings("immediate")

JXJY_SITE_URL = os.environ.get("JXJY_SITE_URL", "http://127.0.0.1:8000")
