"""The registration rush: 2,000 signed-in learners submit to one class of 500 seats at the same moment.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_bench_rush .venv/bin/python bench/rush.py

The server is gunicorn (config.settings.bench) on PostgreSQL; this process is the load, over
loopback. Each learner already has a saved registration and a session (written straight into the
session store beforehand), so the measured phase is only the 提交 requests. Then the same load
goes to a baseline endpoint of the same server that does one INSERT per request.
Targets: accepted exactly 500, no 5xx, ≥ 300 submissions/s, p99 ≤ 500 ms, ratio to baseline ≥ 0.5.
The database named in DATABASE_URL is dropped and created anew (its name must contain "bench").
"""

import argparse
import asyncio
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

from _setup import ROOT, django_setup, grid, recreate_database
from seed_scale import learner_row

CSRF = secrets.token_hex(16)  # 32 characters: a valid CSRF secret, sent as cookie and header alike


def prepare(*, learners: int, seats: int) -> tuple[int, list[tuple[int, str]]]:
    """A published class with `seats` seats and `learners` saved registrations; returns the class and
    (registration id, session key) of each learner."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from jxjy.accounts.models import Learner, Organisation, Prefecture, Role, User
    from jxjy.catalog.models import Level, Specialty
    from jxjy.core.middleware import LOGIN_AT
    from jxjy.filings.models import PreFiling
    from jxjy.trainings.models import ClassSpecialty, Registration, TrainingClass

    now = timezone.now()
    dept = Organisation.objects.create(name="抢报主管部门", kind="department")
    base = Organisation.objects.create(name="抢报继续教育基地", kind="base", level="regional", department=dept,
                                       prefecture=Prefecture.objects.first())  # fmt: skip
    staff = User.objects.create(username="rush-base", role=Role.BASE, organisation=base)
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    level = Level.objects.get(series=specialty.series, name="工程师")
    start = timezone.localdate() + dt.timedelta(days=30)
    filing = PreFiling.objects.create(base=base, created_by=staff, status="approved", class_name="抢报培训班",
                                      start_date=start, end_date=start + dt.timedelta(days=4), year=start.year,
                                      total_hours=Decimal(40), subject_kind="professional")  # fmt: skip
    c = TrainingClass.objects.create(base=base, pre_filing=filing, created_by=staff, status="approved",
                                     years=[start.year], years_start=start.year, reg_start=now - dt.timedelta(days=1),
                                     reg_end=now + dt.timedelta(days=10), resubmit_deadline=now + dt.timedelta(days=12),
                                     seat_limit=seats, is_published=True, report_place="-", class_place="-",
                                     contact="-", contact_phone="-")  # fmt: skip
    ClassSpecialty.objects.create(training_class=c, specialty=specialty, level=level)
    users = User.objects.bulk_create(
        User(username=f"rush-{n}", role=Role.LEARNER, password="!") for n in range(learners)
    )
    people = [Learner(**learner_row(n, user_id=user.pk, created_at=now, stored=False)) for n, user in enumerate(users)]
    people = Learner.objects.bulk_create(people)
    regs = Registration.objects.bulk_create(
        Registration(learner=p, training_class=c, specialty=specialty, level=level, status="draft", name=p.name,
                     work_unit="单位", current_title="工程师", year=start.year)
        for p in people
    )  # fmt: skip
    store = SessionStore()
    sessions = []
    for user in users:
        data = {"_auth_user_id": str(user.pk), "_auth_user_backend": "jxjy.accounts.backends.StaffOrLearnerBackend",
                "_auth_user_hash": user.get_session_auth_hash(), LOGIN_AT: time.time()}  # fmt: skip
        sessions.append(Session(session_key=store._get_new_session_key(), session_data=store.encode(data),
                                expire_date=now + dt.timedelta(hours=1)))  # fmt: skip
    Session.objects.bulk_create(sessions)
    return c.pk, [(r.pk, s.session_key) for r, s in zip(regs, sessions, strict=True)]


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--workers", str(workers),
               "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--backlog", "4096",
               "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


async def post(port: int, path: str, session: str) -> tuple[int, float]:
    """One POST on a new connection, as a browser's form submit; (status, seconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: sessionid={session}; csrftoken={CSRF}\r\n"
        f"X-CSRFToken: {CSRF}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    status = int(response.split(b" ", 2)[1]) if response else 0
    return status, time.perf_counter() - started


async def load(port: int, requests: list[tuple[str, str]], concurrency: int) -> tuple[Counter, list[float], float]:
    """Send every request, at most `concurrency` at a time; (statuses, latencies, seconds for all)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(path: str, session: str):
        async with gate:
            try:
                return await post(port, path, session)
            except OSError:
                return 0, 0.0

    started = time.perf_counter()
    results = await asyncio.gather(*(one(p, s) for p, s in requests))
    took = time.perf_counter() - started
    return Counter(s for s, _ in results), [t for s, t in results if s], took


def figures(statuses: Counter, latencies: list[float], took: float) -> dict:
    ms = sorted(t * 1000 for t in latencies)
    return {
        "5xx": sum(n for s, n in statuses.items() if s >= 500),
        "failed": statuses.get(0, 0),
        "rate": sum(statuses.values()) / took,
        "p50": statistics.median(ms),
        "p99": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
        "took": took,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seats", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight at once")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (it is recreated).")
    recreate_database(url)
    django_setup()
    from django.db import connection

    from jxjy.trainings.models import Registration

    class_id, learners = prepare(learners=args.learners, seats=args.seats)
    connection.close()
    server = start_server(args.port, args.workers, args.threads)
    try:
        submits = [(f"/trainings/registrations/{pk}/submit/", s) for pk, s in learners]
        baseline = [("/bench/baseline/", s) for _, s in learners]
        asyncio.run(load(args.port, baseline[:200], args.concurrency))  # warm the workers up
        loadavg = os.getloadavg()[0]
        rush = figures(*asyncio.run(load(args.port, submits, args.concurrency)))
        base = figures(*asyncio.run(load(args.port, baseline, args.concurrency)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    accepted = Registration.objects.filter(training_class_id=class_id, status="submitted").count()
    refused = args.learners - accepted - rush["5xx"] - rush["failed"]
    ratio = rush["rate"] / base["rate"]
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL "
          f"{connection.pg_version // 10000}; gunicorn {args.workers} workers × {args.threads} threads; "
          f"{args.learners} learners, "
          f"{args.concurrency} requests in flight; load average before {loadavg:.1f}")  # fmt: skip
    print(grid(
        ["", "accepted", "refused", "5xx", "failed", "requests/s", "p50 ms", "p99 ms", "seconds"],
        [["报名提交", f"{accepted}", f"{refused}", f"{rush['5xx']}", f"{rush['failed']}", f"{rush['rate']:.0f}",
          f"{rush['p50']:.0f}", f"{rush['p99']:.0f}", f"{rush['took']:.1f}"],
         ["baseline (1 INSERT)", "", "", f"{base['5xx']}", f"{base['failed']}", f"{base['rate']:.0f}",
          f"{base['p50']:.0f}", f"{base['p99']:.0f}", f"{base['took']:.1f}"]],
    ))  # fmt: skip
    checks = [
        (f"accepted = {args.seats}", accepted == args.seats),
        ("no 5xx", rush["5xx"] == 0 and base["5xx"] == 0),
        ("≥ 300 submissions/s", rush["rate"] >= 300),
        ("p99 ≤ 500 ms", rush["p99"] <= 500),
        (f"ratio to baseline {ratio:.2f} ≥ 0.5", ratio >= 0.5),
    ]
    print("  ".join(f"{'✓' if ok else '✗'} {what}" for what, ok in checks))
    sys.exit(0 if all(ok for _, ok in checks) else 1)


if __name__ == "__main__":
    main()
