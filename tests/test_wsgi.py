"""The WSGI entry point gunicorn loads (deploy/gunicorn.conf.py)."""

import subprocess
import sys

from django.conf import settings


def test_the_loaded_application_is_kept_out_of_the_collectors_walks():
    """gc.freeze() after the application is loaded: the full collections of a worker walk only what requests
    made, not the 200,000 objects of Django and the apps."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count(), callable(config.wsgi.application))"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 50_000 and out[1] == "True"
