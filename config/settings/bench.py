"""The benchmarks (bench/): production's behaviour on a local PostgreSQL, plus the baseline endpoint of
bench/rush.py. Only the benchmark scripts select this module; no deployment uses it."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, JXJY_PII_KEY, env_int, key_file

DEBUG = False
# A server keeps its database connections open between requests, as production does.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
# config.bench_urls = config.urls + the one-INSERT baseline that bench/rush.py compares 报名提交 against.
ROOT_URLCONF = "config.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# The seed (config.settings.dev) and the measurements read the same learners: the development key file.
if not JXJY_PII_KEY:
    JXJY_PII_KEY = key_file(BASE_DIR / "var" / "pii.key")

# Each benchmark makes its own database: no checkpoint file shared with the development database's trail.
JXJY_AUDIT_CHECKPOINT_FILE = os.environ.get("JXJY_AUDIT_CHECKPOINT_FILE", "")
