"""bench/morning.py: the production settings, unchanged, plus the one-INSERT baseline of config.bench_urls.

Everything comes from config.settings.prod and the same environment (SECRET_KEY, JXJY_PII_KEY, DATABASE_URL,
REDIS_URL, the signing identity …); only the URL configuration adds `/bench/baseline/`, so that the benchmark
compares the morning's requests with the cheapest useful write on the same server. Only bench/morning.py
selects this module; no deployment uses it.

Absolute imports, so that the same file also works copied next to bench/morning.py (`--settings bench_prod`)
in a checkout that predates it.
"""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
