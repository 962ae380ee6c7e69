"""Local development: `make run`."""

import os

from .base import *  # noqa: F403
from .base import task_settings

# The demo and its factories (demo/; requirements-demo.txt): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

DEBUG = True
EMAIL_BACKEND = "jxjy.notify.backends.ConsoleEmailBackend"  # the console, recipients masked

if not JXJY_PII_KEY:  # noqa: F405
    JXJY_PII_KEY = key_file(BASE_DIR / "var" / "pii.key")  # noqa: F405

# `make run` starts no worker: a job runs inside the request that starts it (JXJY_TASKS=database to queue).
TASKS = task_settings("immediate")

JXJY_SITE_URL = os.environ.get("JXJY_SITE_URL", "http://127.0.0.1:8000")
