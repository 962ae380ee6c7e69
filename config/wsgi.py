"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
# What is loaded by now (Django, the apps, their modules: some 200,000 objects) lives as long as the process.
# Frozen, the collector no longer walks it on every full collection: one walk took about a tenth of a second of
# a request, now and then, and all of them together about 5 % of a page's CPU (bench/morning.py).
gc.freeze()
