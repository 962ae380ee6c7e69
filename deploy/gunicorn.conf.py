"""gunicorn for 继续教育系统: used by deploy/run-prod and deploy/systemd/jxjy-web.service.

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("JXJY_BIND", "127.0.0.1:8000").split(",")
# Sync workers: the pages are short database work; long jobs go to the task worker instead.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("JXJY_WORKER_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so that a slow leak cannot grow for months.
max_requests = 2000
max_requests_jitter = 200
# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn's advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# nginx in front sets X-Forwarded-Proto; only trust it from the proxy's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("JXJY_ACCESS_LOG", "-") or None  # empty: no access log
# gunicorn's default line plus the time the server spent on the request, in microseconds (from the request read
# to the response sent): what bench/morning.py reads as each page's server time, and what an operator looks at
# first when a page is slow.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
errorlog = "-"
proc_name = "jxjy-web"
# gunicorn's control socket (gunicornc) is off unless a path is given: two instances on one machine
# would otherwise fight over the same default path.
control_socket = os.environ.get("JXJY_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
