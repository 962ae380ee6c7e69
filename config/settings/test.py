"""The test suite: `make test`. The database comes from DATABASE_URL like everywhere else."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, JXJY_PII_KEY, task_settings

# The demo and its factories (demo/; requirements-demo.txt): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# A fast hasher: the suite sets hundreds of passwords. tests/test_passwords.py logs in through the production
# list (base.PASSWORD_HASHERS: Argon2id, then PBKDF2) and checks the rehash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
JXJY_SIGNING_DEV_DIR = str(BASE_DIR / "var" / "test-signing")
JXJY_SITE_URL = "http://testserver"  # the test client's host: QR codes point where the tests can follow them
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JXJY_SMS_BACKEND = "jxjy.notify.backends.LocmemSms"

# Lets two suites share one PostgreSQL server without dropping each other's test database.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}  # noqa: F405

# Tests log in often from one address; the rate limit has its own test.
JXJY_LOGIN_RATE_PER_IP = "10000/m"

# The test databases hold made-up people; a fixed key keeps runs on one machine alike.
if not JXJY_PII_KEY:
    JXJY_PII_KEY = "dGVzdC1vbmx5LXBpaS1rZXktMzItYnl0ZXMtbG9uZyE="  # base64 of a 32-byte test-only phrase

# Jobs run at once inside the request; the worker has its own test (tests/test_jobs_worker.py).
TASKS = task_settings("immediate")

# Each test has a database of its own but the disk is shared: checkpoints are off unless a test names its file.
JXJY_AUDIT_CHECKPOINT_FILE = ""
