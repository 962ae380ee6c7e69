"""The real morning: learners sign in through the login page, then all register for one class at once.

    .venv/bin/python bench/morning.py                       # 2,000 learners, 200 seats, 32 requests in flight
    .venv/bin/python bench/morning.py --learners 300 --seats 50 --mixed

Unlike bench/rush.py, everything goes through the production settings and server: config.settings.prod
(through config.settings.bench_prod, which only adds the baseline URL) under gunicorn with
deploy/gunicorn.conf.py and 4 sync workers, PostgreSQL, Redis (cache and sessions) and the task worker, with
the configured password hasher. This process is the load (asyncio, over loopback, one connection per
request as gunicorn's sync workers answer; each request carries X-Real-IP as nginx sets it):

1. 登录: every learner opens the login page (cookie and CSRF token from the form), posts 身份证号 or 手机号
   and password, and follows the redirect to 我的主页.
2. 报名: every learner at once opens step ③ of 我要报名 for the class, 保存, opens the detail page, 提交.
   Accepted must be exactly the seats, the others refused for lack of seats, no 5xx.
3. The same number of requests, with the same sessions, to the one-INSERT baseline of the same server.
4. --mixed: locust (bench/locustfile.py) plays learners browsing 我的主页, 我的证书, 学时档案, bases reading
   学员报名审核 and HR reviewers reading their lists, for --mixed-seconds; then each page is requested 30
   times one after another to measure its server time (gunicorn's access log) and its CPU cost.

The CPU time of each part (gunicorn master and workers, the task worker, this database's PostgreSQL backends,
the whole Redis server, and the load itself) is read from /proc around every phase: the machine may be busy
with other work, so the per-request CPU costs are the figures to plan with, the rates depend on the load.

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jxjy_bench_morning) is dropped and created anew, so
its name must contain "bench"; REDIS_URL (default redis://127.0.0.1:6379/7) must name a database other than 0,
which is emptied. The background data (bases, classes, learners with certificates, HR offices) is that of
bench/seed_scale.py at --scale (default 0.01).
"""

import argparse
import asyncio
import base64
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _setup import ROOT, grid, recreate_database  # noqa: E402

PASSWORD = "Zaochen#2026qd"
TICK = os.sysconf("SC_CLK_TCK")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REG_RE = re.compile(r"/trainings/registrations/(\d+)/")
TIMEOUT = 180  # seconds for one request, beyond gunicorn's 60 s worker timeout
ACCESS_5XX = re.compile(r'"(GET|POST) ([^ ?"]*)[^"]*" 5\d\d ')
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Denied)\b.*:")


# ---- the environment of production ----


def production_env(args, tmp: Path) -> None:
    """The variables deploy/run-prod requires, for this process and the servers it starts."""
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jxjy_bench_morning")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    db = os.environ["DATABASE_URL"]
    if not db.startswith("postgres") or "bench" not in db.rsplit("/", 1)[-1]:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database whose name contains 'bench' (it is recreated).")
    redis_db = urlsplit(os.environ["REDIS_URL"]).path.strip("/")
    if not redis_db.isdigit() or redis_db == "0":
        raise SystemExit("REDIS_URL must name a Redis database of its own, e.g. redis://127.0.0.1:6379/7 (emptied).")
    signing = tmp / "signing"
    os.environ.update(
        DJANGO_SETTINGS_MODULE=args.settings,
        PYTHONPATH=os.pathsep.join([str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]),
        SECRET_KEY=secrets.token_urlsafe(50),
        JXJY_PII_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain http on loopback; nginx ends TLS in production
        JXJY_SIGNING_PKCS12=str(signing / "signing.p12"),
        JXJY_SIGNING_PKCS12_PASSWORD="",
        JXJY_SIGNING_TRUST=str(signing / "ca.pem"),
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        WEB_CONCURRENCY=str(args.workers),
        JXJY_BIND=f"127.0.0.1:{args.port}",
        JXJY_ACCESS_LOG="-",
    )


def manage(*command: str, log) -> int:
    return subprocess.call([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, stdout=log, stderr=log)


def start_server(port: int, log) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py, as deploy/run-prod starts it."""
    command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not start (see its log)")


def start_task_worker(log) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# ---- the data ----


def reset_sequences(connection) -> None:
    """After COPY with explicit ids: each table's sequence past its largest id (the tables that exist: a model
    being written by someone else may not have its migration yet)."""
    from django.apps import apps
    from django.core.management.color import no_style

    tables = set(connection.introspection.table_names())
    models = [m for m in apps.get_models() if m._meta.db_table in tables]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def prepare(args) -> dict:
    """bench/seed_scale.py's data at --scale, then the morning's class, its N learners and the mixed load's accounts."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from seed_scale import Copier, Plan, learner_row, seed, skip_foreign_key_checks

    from jxjy.accounts.models import Learner, Organisation, Prefecture, Role, User
    from jxjy.catalog.models import Level, Specialty
    from jxjy.certificates.models import Certificate
    from jxjy.filings.models import PreFiling
    from jxjy.trainings.models import ClassSpecialty, TrainingClass

    plan = Plan(args.scale)
    with transaction.atomic():
        connection.cursor().execute("SET LOCAL synchronous_commit = off")
        skip_foreign_key_checks(connection)
        seed(plan, Copier(connection))
    reset_sequences(connection)

    hashed = make_password(PASSWORD)  # one hash for everyone: each sign-in still pays the full check
    now = timezone.now()
    dept = Organisation.objects.create(name="早高峰主管部门", kind="department")
    base = Organisation.objects.create(name="早高峰继续教育基地", kind="base", level="regional", department=dept,
                                       prefecture=Prefecture.objects.first())  # fmt: skip
    staff = User.objects.create(username="morning-base", role=Role.BASE, organisation=base, password=hashed)
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    level = Level.objects.get(series=specialty.series, name="工程师")
    start = timezone.localdate() + dt.timedelta(days=30)
    filing = PreFiling.objects.create(base=base, created_by=staff, status="approved", class_name="早高峰培训班",
                                      start_date=start, end_date=start + dt.timedelta(days=4), year=start.year,
                                      total_hours=40, subject_kind="professional")  # fmt: skip
    c = TrainingClass.objects.create(base=base, pre_filing=filing, created_by=staff, status="approved",
                                     years=[start.year], years_start=start.year, reg_start=now - dt.timedelta(days=1),
                                     reg_end=now + dt.timedelta(days=10), resubmit_deadline=now + dt.timedelta(days=12),
                                     seat_limit=args.seats, is_published=True, report_place="-", class_place="-",
                                     contact="-", contact_phone="-")  # fmt: skip
    ClassSpecialty.objects.create(training_class=c, specialty=specialty, level=level)
    first = plan.learners  # after the seeded learners' numbers, so that 身份证号 and mobiles stay unique
    users = User.objects.bulk_create(
        User(username=f"morning-{n}", role=Role.LEARNER, password=hashed) for n in range(args.learners)
    )
    rows = [learner_row(first + n, user_id=u.pk, created_at=now, stored=False) for n, u in enumerate(users)]
    Learner.objects.bulk_create(Learner(**row) for row in rows)
    # Learners sign in by 身份证号 or by mobile, half each.
    logins = [row["id_number"] if n % 2 == 0 else row["mobile"] for n, row in enumerate(rows)]

    # The mixed load: seeded learners who hold certificates, bases with registrations, HR reviewers with an
    # authenticator (one account each: a code is accepted once per 30 s and device).
    holders = list(Certificate.objects.values_list("learner_id", flat=True).distinct().order_by("learner_id")[:300])
    User.objects.filter(pk__in=holders).update(password=hashed)
    browsing = [learner.id_number for learner in Learner.objects.filter(user_id__in=holders)]
    bases = ["morning-base", *[f"bench_base_{i}" for i in range(3)]]
    User.objects.filter(username__in=bases).update(password=hashed)
    region = Organisation.objects.get(kind="hr_region")
    hr = []
    for i in range(args.mixed_hr + 1):  # the last one for the CPU measurement of the HR pages
        user = User.objects.create(
            username=f"morning-hr-{i}", role=Role.HR_REGION, organisation=region, password=hashed
        )
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="基准测试", confirmed=True, key=key)
        hr.append([user.username, key])
    connection.cursor().execute("ANALYZE")
    return {
        "class": c.pk, "specialty": specialty.pk, "level": level.pk, "year": start.year, "logins": logins,
        "work_units": [row["work_unit"] for row in rows], "browsing": browsing, "bases": bases, "hr": hr,
        "background": plan,
    }  # fmt: skip


# ---- measuring ----


def proc_cpu(pid: int) -> tuple[float, float, int]:
    """(own CPU seconds, CPU seconds of reaped children, parent pid) from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / TICK
    return own, (int(fields[13]) + int(fields[14])) / TICK, int(fields[1])


def tree_cpu(root: int) -> tuple[float, frozenset]:
    """CPU seconds of a process, its reaped children and its live children (gunicorn: the master, replaced and
    live workers); and the live children as (pid, seconds since it started)."""
    try:
        own, reaped, _ = proc_cpu(root)
    except OSError:
        return 0.0, frozenset()
    total, children = own + reaped, []
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                child_own, child_reaped, parent = proc_cpu(int(entry))
                with open(f"/proc/{entry}/stat") as f:
                    started = int(f.read().rsplit(")", 1)[1].split()[19]) / TICK
            except OSError:
                continue
            if parent == root:
                total += child_own + child_reaped
                children.append((int(entry), uptime - started))
    return total, frozenset(children)


class Meter:
    """Cumulative CPU seconds of each part, and the database's and Redis's counters."""

    def __init__(self, *, server: int, worker: int | None, database: str, pg_url: str, redis_url: str):
        import psycopg
        import redis

        self.server, self.worker, self.database = server, worker, database
        self.pg = psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)  # not counted itself
        self.redis = redis.Redis.from_url(redis_url)
        self.backends: dict[int, tuple[float, float]] = {}  # pid → (CPU when first seen, latest CPU)
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._sample_forever, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        """The CPU of this database's backends; a backend that ends keeps its last sampled value (≤ 0.25 s old)."""
        with self.lock:
            pids = [p for (p,) in self.pg.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                                  [self.database])]  # fmt: skip
            for pid in pids:
                try:
                    cpu = proc_cpu(pid)[0]
                except OSError:
                    continue
                first, _ = self.backends.get(pid, (0.0, 0.0))
                self.backends[pid] = (first, cpu)

    def _sample_forever(self) -> None:
        while self.running:
            with contextlib.suppress(Exception):  # a missed sample is a slightly lower figure, not a failed run
                self._sample()
            time.sleep(0.25)

    def read(self) -> dict:
        self._sample()
        with self.lock:
            pg_cpu = sum(last - first for first, last in self.backends.values())
        self.pg.execute("SELECT pg_stat_clear_snapshot()")
        row = self.pg.execute(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, blks_read FROM pg_stat_database "
            "WHERE datname = %s", [self.database]).fetchone()  # fmt: skip
        info = {**self.redis.info("cpu"), **self.redis.info("stats")}
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust, once it has ended
        return {
            "web": tree_cpu(self.server)[0],
            "worker": tree_cpu(self.worker)[0] if self.worker else 0.0,
            "pg": pg_cpu,
            "redis": float(info["used_cpu_user"]) + float(info["used_cpu_sys"]),
            "load": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "commits": row[0],
            "rows": row[1],
            "redis_ops": int(info["total_commands_processed"]),
            "at": time.monotonic(),
        }

    def pg_cpu(self) -> float:
        self._sample()
        with self.lock:
            return sum(last - first for first, last in self.backends.values())

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.pg.close()


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


class Phase:
    """Prints the load average before and after, and what the phase cost."""

    def __init__(self, meter: Meter, title: str):
        self.meter, self.title = meter, title

    def __enter__(self):
        print(f"\n== {self.title}\nload average before: {loadavg()}", flush=True)
        self.before = self.meter.read()
        return self

    def __exit__(self, *exc):
        time.sleep(1.1)  # PostgreSQL publishes its backends' counters about once a second
        after = self.meter.read()
        self.cost = {k: after[k] - self.before[k] for k in after}
        self.cost["at"] -= 1.1
        print(f"load average after:  {loadavg()}", flush=True)
        return False

    def summary(self, requests: int) -> str:
        c = self.cost
        busy = (c["web"] + c["pg"] + c["worker"] + c["load"]) / c["at"]
        return (f"CPU seconds: web {c['web']:.1f} ({c['web'] * 1000 / requests:.1f} ms/request), PostgreSQL "
                f"{c['pg']:.1f} ({c['pg'] * 1000 / requests:.1f} ms/request), Redis {c['redis']:.1f} "
                f"(whole server), task worker {c['worker']:.1f}, load generator {c['load']:.1f}; "
                f"{busy:.2f} of {os.cpu_count()} cores busy with this run; "
                f"{c['commits'] / requests:.1f} commits and {c['rows'] / requests:.1f} rows written per request, "
                f"{c['redis_ops'] / requests:.1f} Redis commands per request (whole server)")  # fmt: skip


def figures(samples: list[tuple[int, float]]) -> dict:
    statuses = Counter(s for s, _ in samples)
    ms = sorted(t * 1000 for s, t in samples if s)
    pick = lambda q: ms[min(len(ms) - 1, int(len(ms) * q))] if ms else 0.0  # noqa: E731
    return {
        "n": len(samples), "5xx": sum(n for s, n in statuses.items() if s >= 500), "failed": statuses.get(0, 0),
        "p50": statistics.median(ms) if ms else 0.0, "p95": pick(0.95), "p99": pick(0.99), "statuses": statuses,
    }  # fmt: skip


def step_rows(steps: dict[str, list]) -> list[list[str]]:
    rows = []
    for name, samples in steps.items():
        f = figures(samples)
        other = ", ".join(f"{s}×{n}" for s, n in sorted(f["statuses"].items()))
        rows.append([name, str(f["n"]), other, str(f["5xx"]), f"{f['p50']:.0f}", f"{f['p99']:.0f}"])
    return rows


STEP_HEADERS = ["", "requests", "statuses", "5xx", "p50 ms", "p99 ms"]
PAGE_COST_HEADERS = ["页面", "statuses", "p50 ms", "server p50 ms", "counted", "web CPU ms", "PostgreSQL CPU ms",
                     "Redis commands"]  # fmt: skip


# ---- the browser ----


class Browser:
    """One person's browser: its cookies, its address (X-Real-IP, as nginx passes it), one connection per request."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}

    async def _exchange(self, raw: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(raw)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    async def request(self, gate: asyncio.Semaphore, method: str, path: str, form: dict | None = None,
                      headers: dict | None = None) -> tuple[int, dict, str, float]:  # fmt: skip
        """(status, headers, body, seconds); status 0 when the connection failed."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: jxjy-bench-morning",
                 "Accept: text/html", "Accept-Language: zh-CN,zh;q=0.9", f"X-Real-IP: {self.address}"]  # fmt: skip
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if method == "POST":
            body = urlencode(form or {}).encode()
            origin = f"http://127.0.0.1:{self.port}"
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}",
                      f"Origin: {origin}", f"Referer: {origin}{path}"]  # fmt: skip
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join([*lines, "Connection: close", "", ""])).encode() + body
        async with gate:
            started = time.perf_counter()
            try:
                data = await asyncio.wait_for(self._exchange(raw), TIMEOUT)
            except (TimeoutError, OSError):
                return 0, {}, "", time.perf_counter() - started
            took = time.perf_counter() - started
        head, _, content = data.partition(b"\r\n\r\n")
        head_lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(head_lines[0].split(" ", 2)[1])
        except (IndexError, ValueError):
            return 0, {}, "", took
        found: dict[str, str] = {}
        for line in head_lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                pair, _, attributes = value.partition(";")
                key, _, val = pair.partition("=")
                if "max-age=0" in attributes.lower().replace(" ", ""):
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
            else:
                found[name] = value
        if found.get("transfer-encoding", "").lower() == "chunked":
            content = dechunk(content)
        return status, found, content.decode("utf-8", "replace"), took


def dechunk(data: bytes) -> bytes:
    out, rest = [], data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if not size:
            break
        out.append(rest[:size])
        rest = rest[size + 2 :]
    return b"".join(out)


def where(headers: dict) -> str:
    target = urlsplit(headers.get("location", ""))
    return target.path + (f"?{target.query}" if target.query else "")


def csrf(body: str) -> str:
    found = CSRF_RE.search(body)
    return found[1] if found else ""


def address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


async def sign_in(b: Browser, login: str, gate, steps) -> tuple[bool, float]:
    """登录页 → 登录 → the redirect (我的主页); (signed in, seconds of the three requests)."""
    status, _, body, took = await b.request(gate, "GET", "/accounts/login/")
    steps["登录页 GET"].append((status, took))
    if status != 200:
        return False, took
    spent = took
    form = {"csrfmiddlewaretoken": csrf(body), "username": login, "password": PASSWORD, "next": ""}
    status, headers, _, took = await b.request(gate, "POST", "/accounts/login/", form)
    steps["登录 POST"].append((status, took))
    spent += took
    if status != 302:
        return False, spent
    status, _, body, took = await b.request(gate, "GET", where(headers) or "/")
    steps["我的主页 GET"].append((status, took))
    return status == 200 and 'name="password"' not in body, spent + took


async def register(b: Browser, step3: str, form: dict, gate, steps) -> bool:
    """我要报名 ③ → 保存 → 报名详情 → 提交 (the answer's redirect is not followed)."""
    status, _, body, took = await b.request(gate, "GET", step3)
    steps["③ 填写报名信息 GET"].append((status, took))
    if status != 200:
        return False
    status, headers, _, took = await b.request(gate, "POST", step3, {"csrfmiddlewaretoken": csrf(body), **form})
    steps["保存 POST"].append((status, took))
    found = REG_RE.search(where(headers)) if status == 302 else None
    if not found:
        return False
    detail = f"/trainings/registrations/{found[1]}/"
    status, _, body, took = await b.request(gate, "GET", detail)
    steps["报名详情 GET"].append((status, took))
    if status != 200:
        return False
    status, _, _, took = await b.request(gate, "POST", detail + "submit/", {"csrfmiddlewaretoken": csrf(body)})
    steps["提交 POST"].append((status, took))
    return status == 302


async def baseline(b: Browser, times: int, gate, steps) -> None:
    token = b.cookies.get("csrftoken", "")
    for _ in range(times):
        status, _, _, took = await b.request(gate, "POST", "/bench/baseline/", {}, {"X-CSRFToken": token})
        steps["baseline POST (1 INSERT)"].append((status, took))


async def everyone(coroutines) -> tuple[list, float]:
    started = time.perf_counter()
    results = await asyncio.gather(*coroutines)
    return results, time.perf_counter() - started


# ---- the mixed load ----


def run_locust(args, data: dict, tmp: Path, meter: Meter) -> int:
    accounts = tmp / "accounts.json"
    hr = data["hr"][: args.mixed_hr]
    accounts.write_text(json.dumps({"password": PASSWORD, "learners": data["browsing"] + data["logins"][:200],
                                    "bases": data["bases"], "hr": hr}))  # fmt: skip
    prefix = tmp / "locust"
    env = {**os.environ, "MORNING_ACCOUNTS": str(accounts), "MORNING_BASE_USERS": str(args.mixed_bases),
           "MORNING_HR_USERS": str(len(hr)), "MORNING_USERS": str(args.mixed_users),
           "MORNING_SECONDS": str(args.mixed_seconds)}  # fmt: skip
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
               "-u", str(args.mixed_users), "-r", str(args.mixed_rate), "-t", f"{args.mixed_seconds + 600}s",
               "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "5", "--loglevel", "WARNING"]  # fmt: skip
    spawn = args.mixed_users / args.mixed_rate
    title = (f"4. 混合负载（locust {locust_version()}，{args.mixed_users} 人：{len(hr)} 名人社审核人员、"
             f"{args.mixed_bases} 名基地工作人员、其余为学员；{spawn:.0f} 秒内陆续进入，每人经登录页登录一次，"
             f"之后每页停留 0.5–2 秒；统计从全部登录之后开始，共 {args.mixed_seconds} 秒）")  # fmt: skip
    with Phase(meter, title) as phase, open(tmp / "locust.log", "w") as log:
        code = subprocess.call(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    rows, total, failures, rate = [], 0, 0, 0.0
    signed = (
        "counted once all had signed in" if "signed in at" in (tmp / "locust.log").read_text() else "NOT ALL SIGNED IN"
    )
    with open(f"{prefix}_stats.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["Name"] == "Aggregated":
                total, failures, rate = int(r["Request Count"]), int(r["Failure Count"]), float(r["Requests/s"])
                continue
            if r["Request Count"] == "0":  # a sign-in done before the statistics were reset
                continue
            rows.append([r["Name"], r["Request Count"], r["Failure Count"], r["50%"], r["95%"], r["99%"],
                         f"{float(r['Requests/s']):.1f}"])  # fmt: skip
    rows.sort(key=lambda r: r[0])
    print(grid(["页面", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "requests/s"], rows))
    print(f"{total} requests, {failures} failures, {rate:.1f} requests/s in the measured {args.mixed_seconds} s "
          f"({signed}); locust exit code {code}")  # fmt: skip
    if failures:
        errors = Path(f"{prefix}_failures.csv").read_text().strip().splitlines()[1:6]
        print("failures:", *errors, sep="\n  ")
    print(
        phase.summary(max(total, 1)) + " (the CPU of the whole locust run, its sign-ins included, ÷ the pages "
        "measured: see each page's own cost below)"
    )
    return failures


def locust_version() -> str:
    from importlib.metadata import version

    return version("locust")


async def settled(server: int) -> None:
    """Wait (at most 30 s) until every gunicorn worker has run for 5 s: a new one is still importing Django, and
    that CPU is not the page's."""
    for _ in range(60):
        if min((age for _, age in tree_cpu(server)[1]), default=0) > 5:
            return
        await asyncio.sleep(0.5)


def server_times(log: Path, offset: int, path: str) -> list[float]:
    """The server's own time (ms) for each GET of `path` in gunicorn's access log after `offset`: the last field
    of deploy/gunicorn.conf.py's access_log_format, in microseconds, from the request read to the response sent."""
    with log.open("rb") as f:
        f.seek(offset)
        lines = f.read().decode(errors="replace").splitlines()
    mark = f'"GET {path} HTTP/1.1" '
    took = [line.rsplit(" ", 1)[1] for line in lines if mark in line]
    return [int(us) / 1000 for us in took if us.isdigit()]


async def page_costs(args, data: dict, meter: Meter, log: Path) -> list[list[str]]:
    """Each page 30 times, one request after another, as one signed-in person: the server's time per request (its
    median, from gunicorn's access log) and CPU ms per page (the mean over the requests during which no gunicorn
    worker was replaced or starting, without outliers above 5 × the median)."""
    from django_otp.oath import totp

    gate = asyncio.Semaphore(1)
    pages = {
        "学员": [("我的主页", "/"), ("我的证书", "/certificates/mine/"), ("学时档案", "/hours/"),
                 ("继续教育专业课", "/trainings/my/"), ("③ 填写报名信息（已报名也可打开）", data["step3"])],
        "基地": [("学员报名审核（待审核）", "/trainings/registrations/review/"),
                 ("学员报名审核（全部）", "/trainings/registrations/review/?status="), ("我的主页", "/")],
        "人社厅": [("培训前备案待审核", "/review/prefiling/waiting/"), ("培训信息待审核", "/review/training/waiting/"),
                   ("培训后备案待审核", "/review/completion/waiting/"),
                   ("专业课电子证书", "/certificates/list/professional/"), ("统计分析", "/stats/"), ("我的主页", "/")],
    }  # fmt: skip
    accounts = {"学员": data["browsing"][0], "基地": "morning-base", "人社厅": data["hr"][-1]}
    rows = []
    for who, items in pages.items():
        b = Browser(args.port, address(900_000 + len(rows)))
        login = accounts[who][0] if who == "人社厅" else accounts[who]
        steps = defaultdict(list)
        ok, _ = await sign_in(b, login, gate, steps)
        if who == "人社厅":  # 我的主页 sent it to 二次验证 instead
            ok = figures(steps["登录 POST"])["statuses"] == Counter({302: 1})
            _, _, body, _ = await b.request(gate, "GET", "/accounts/otp/verify/?next=/")
            code = f"{totp(bytes.fromhex(accounts[who][1])):06d}"
            form = {"csrfmiddlewaretoken": csrf(body), "token": code, "next": "/"}
            status, _, _, _ = await b.request(gate, "POST", "/accounts/otp/verify/", form)
            ok = ok and status == 302
        if not ok:
            rows.append([f"{who} （登录失败）", "", "", "", "", "", "", ""])
            continue
        for name, path in items:
            for _ in range(12):  # warm every worker: the statistics are then cached, as for all but the first user
                await b.request(gate, "GET", path)
            before, offset = meter.read(), log.stat().st_size
            samples, web, pg = [], [], []
            while len(web) < 30 and len(samples) < 120:
                await settled(meter.server)
                web0, workers0 = tree_cpu(meter.server)
                pg0 = meter.pg_cpu()
                status, _, _, took = await b.request(gate, "GET", path)
                web1, workers1 = tree_cpu(meter.server)
                samples.append((status, took))
                if {p for p, _ in workers0} == {p for p, _ in workers1}:  # no worker replaced meanwhile
                    web.append(web1 - web0)
                    pg.append(meter.pg_cpu() - pg0)
            after = meter.read()
            await asyncio.sleep(0.2)  # gunicorn writes the access line after the answer
            served = server_times(log, offset, path)
            # A replaced worker's first request of a page compiles its templates: an outlier, not the page's cost.
            limit = max(5 * statistics.median(web), 0.05) if web else 0
            kept = [(w, q) for w, q in zip(web, pg, strict=True) if w <= limit]
            f = figures(samples)
            rows.append([f"{who} {name}", ", ".join(f"{s}×{n}" for s, n in sorted(f["statuses"].items())),
                         f"{f['p50']:.0f}", f"{statistics.median(served):.1f}" if served else "-", f"{len(kept)}",
                         f"{sum(w for w, _ in kept) * 1000 / max(len(kept), 1):.1f}",
                         f"{sum(q for _, q in kept) * 1000 / max(len(kept), 1):.1f}",
                         f"{(after['redis_ops'] - before['redis_ops']) / len(samples):.1f}"])  # fmt: skip
    return rows


# ---- the run ----


def describe(args, data: dict, tmp: Path) -> None:
    import django
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher
    from django.db import connection

    hasher = get_hasher()
    cost = {k: getattr(hasher, k) for k in ("iterations", "rounds", "time_cost", "memory_cost", "parallelism")
            if hasattr(hasher, k)}  # fmt: skip
    rounds = " ".join(f"{k}={v}" for k, v in cost.items())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections'), current_setting('shared_buffers'), "
                       "current_setting('synchronous_commit')")  # fmt: skip
        max_conn, buffers, sync = cursor.fetchone()
    import redis

    r = redis.Redis.from_url(os.environ["REDIS_URL"]).info("server")
    plan = data["background"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}, Django {django.get_version()}; code at {ROOT}")  # fmt: skip
    print(f"settings: {settings.SETTINGS_MODULE} (config.settings.prod + the baseline URL), DEBUG={settings.DEBUG}, "
          f"password hasher {type(hasher).__name__} ({hasher.algorithm} {rounds}), "
          f"sessions {settings.SESSION_ENGINE}, cache "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, CONN_MAX_AGE "
          f"{settings.DATABASES['default']['CONN_MAX_AGE']}, tasks {settings.TASKS['default']['BACKEND']}")  # fmt: skip
    print(
        f"server: gunicorn (deploy/gunicorn.conf.py) {args.workers} sync workers, max_requests 2000±200; "
        f"task workers {args.task_workers}; PostgreSQL {connection.pg_version // 10000} (max_connections "
        f"{max_conn}, shared_buffers {buffers}, synchronous_commit {sync}); Redis {r['redis_version']} "
        f"(database {urlsplit(os.environ['REDIS_URL']).path.strip('/')}, emptied first)"
    )
    print(f"data: {args.learners} learners of the morning (one password hash for all), a class of {args.seats} seats; "
          f"background of bench/seed_scale.py at scale {args.scale:g} ({plan.bases} bases, {plan.classes} classes, "
          f"{plan.learners} learners, {plan.registrations} registrations, {plan.certificates} certificates); "
          f"load: {args.concurrency} requests in flight, one connection each")  # fmt: skip
    print(machine_speed(hasher))


def machine_speed(hasher) -> str:
    """Two fixed pieces of work timed before the run, so that runs on a machine whose speed drifts (a shared host)
    can be compared: one check of the configured password hash, and a pure-Python loop."""
    encoded = hasher.encode(PASSWORD, hasher.salt())
    checks, loops = [], []
    for _ in range(15):
        started = time.process_time()
        hasher.verify(PASSWORD, encoded)
        checks.append(time.process_time() - started)
        started = time.process_time()
        sum(i * i for i in range(300_000))
        loops.append(time.process_time() - started)
    return (f"machine speed (CPU ms, median of 15, before the run): one password check "
            f"{statistics.median(checks) * 1000:.1f}, Python loop {statistics.median(loops) * 1000:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seats", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (WEB_CONCURRENCY)")
    parser.add_argument("--task-workers", type=int, default=1, help="manage.py db_worker processes (0: none)")
    parser.add_argument("--scale", type=float, default=0.01, help="background data of bench/seed_scale.py")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--settings", default="config.settings.bench_prod",
                        help="bench_prod when the file is copied next to this script (an older checkout)")  # fmt: skip
    parser.add_argument("--mixed", action="store_true", help="also the mixed load (locust) and each page's CPU cost")
    parser.add_argument("--mixed-users", type=int, default=60)
    parser.add_argument("--mixed-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--mixed-bases", type=int, default=3)
    parser.add_argument("--mixed-hr", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jxjy-morning-"))
    production_env(args, tmp)
    recreate_database(os.environ["DATABASE_URL"])
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jxjy.certificates.identity import make_identity
    from jxjy.trainings.models import Registration

    make_identity(tmp / "signing")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    data = prepare(args)
    data["step3"] = f"/trainings/register/classes/{data['class']}/?specialty={data['specialty']}&level={data['level']}"
    seeded = time.perf_counter() - started
    database = connection.settings_dict["NAME"]
    describe(args, data, tmp)
    connection.close()

    log = open(tmp / "server.log", "w")  # noqa: SIM115 - open for the servers' whole life
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", log=log)
    checked = manage("check", "--deploy", "--fail-level", "WARNING", log=log)
    deploy_check = "clean" if checked == 0 else f"NOT clean (see {tmp / 'server.log'})"
    print(f"prepared in {seeded:.0f} s; collectstatic {'ok' if collected == 0 else 'FAILED'}, "
          f"check --deploy {deploy_check}; logs in {tmp}")  # fmt: skip
    server = worker = meter = None
    try:
        server = start_server(args.port, log)
        worker = start_task_worker(log) if args.task_workers else None
        for _ in range(args.task_workers - 1):
            subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"], cwd=ROOT,
                             stdout=log, stderr=log, start_new_session=True)  # fmt: skip
        meter = Meter(server=server.pid, worker=worker.pid if worker else None, database=database,
                      pg_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"])  # fmt: skip
        warm = asyncio.Semaphore(args.concurrency)
        asyncio.run(everyone(Browser(args.port, "10.0.0.1").request(warm, "GET", "/accounts/login/")
                             for _ in range(4 * args.workers)))  # fmt: skip
        browsers = [Browser(args.port, address(n + 1)) for n in range(args.learners)]

        # 1. Everyone signs in.
        steps = defaultdict(list)
        with Phase(meter, f"1. 登录：{args.learners} 名学员经登录页登录（{args.concurrency} 个请求同时进行）") as p1:
            gate = asyncio.Semaphore(args.concurrency)
            pairs = zip(browsers, data["logins"], strict=True)
            results, took1 = asyncio.run(everyone(sign_in(b, login, gate, steps) for b, login in pairs))
        signed = [ok for ok, _ in results]
        ms = sorted(t * 1000 for ok, t in results if ok) or [0.0]
        took = took1
        print(grid(STEP_HEADERS, step_rows(steps)))
        requests1 = sum(len(s) for s in steps.values())
        login_5xx = sum(figures(s)["5xx"] for s in steps.values())
        print(f"{sum(signed)} signed in within {took:.1f} s: {sum(signed) / took:.1f} sign-ins/s, "
              f"{requests1 / took:.1f} requests/s; one sign-in (three requests) p50 {statistics.median(ms):.0f} ms, "
              f"p99 {ms[int(len(ms) * 0.99)]:.0f} ms")  # fmt: skip
        print(p1.summary(requests1) + f"; per sign-in: web {p1.cost['web'] * 1000 / max(sum(signed), 1):.0f} ms, "
              f"PostgreSQL {p1.cost['pg'] * 1000 / max(sum(signed), 1):.1f} ms")  # fmt: skip
        signed_in = [b for b, ok in zip(browsers, signed, strict=True) if ok]

        # 2. Everyone registers for the class at once.
        steps = defaultdict(list)
        with Phase(meter, f"2. 报名：{len(signed_in)} 名已登录学员同时报名一个限 {args.seats} 人的培训班"
                          f"（③ 填写报名信息 → 保存 → 报名详情 → 提交）") as p2:  # fmt: skip
            gate = asyncio.Semaphore(args.concurrency)
            forms = [{"work_unit": data["work_units"][n], "current_title": "工程师", "year": str(data["year"])}
                     for n, ok in enumerate(signed) if ok]  # fmt: skip
            flows, took2 = asyncio.run(everyone(register(b, data["step3"], form, gate, steps)
                                               for b, form in zip(signed_in, forms, strict=True)))  # fmt: skip
        requests2 = sum(len(s) for s in steps.values())
        flow_5xx = sum(figures(s)["5xx"] for s in steps.values())
        took = took2
        flow_rate = requests2 / took
        print(grid(STEP_HEADERS, step_rows(steps)))
        by_status = dict(Counter(Registration.objects.filter(training_class_id=data["class"])
                                 .values_list("status", flat=True)))  # fmt: skip
        connection.close()
        accepted = by_status.get("submitted", 0)
        refused = by_status.get("draft", 0)
        print(f"{sum(flows)} flows completed in {took:.1f} s: {sum(flows) / took:.1f} flows/s, {flow_rate:.1f} "
              f"requests/s; in the database: accepted (submitted) {accepted}, refused for lack of seats (left as "
              f"saved) {refused}, other {sum(by_status.values()) - accepted - refused}; 5xx {flow_5xx}")  # fmt: skip
        print(p2.summary(requests2))

        # 3. The same load on the one-INSERT baseline.
        steps = defaultdict(list)
        with Phase(meter, f"3. 基准接口：同样 {requests2} 个请求、同样的会话，每个请求只做一条 INSERT") as p3:
            gate = asyncio.Semaphore(args.concurrency)
            per = max(1, round(requests2 / max(len(signed_in), 1)))
            _, took = asyncio.run(everyone(baseline(b, per, gate, steps) for b in signed_in))
        requests3 = sum(len(s) for s in steps.values())
        base_rate = requests3 / took
        base_5xx = sum(figures(s)["5xx"] for s in steps.values())
        print(grid(STEP_HEADERS, step_rows(steps)))
        print(f"{requests3} requests in {took:.1f} s: {base_rate:.1f} requests/s")
        print(p3.summary(requests3))

        mixed_failures = None
        if args.mixed:
            mixed_failures = run_locust(args, data, tmp, meter)
            print(
                f"\n== 每个页面的 CPU 成本（每页预热 12 次后连续请求 30 次，一次一个；不计工作进程替换前后的请求）\n"
                f"load average before: {loadavg()}"
            )
            costs = asyncio.run(page_costs(args, data, meter, tmp / "server.log"))
            print(f"load average after:  {loadavg()}")
            print(grid(PAGE_COST_HEADERS, costs))
    finally:
        if meter:
            meter.close()
        stop(server)
        stop(worker)
        log.close()

    lines = (tmp / "server.log").read_text(errors="replace").splitlines()
    served = Counter(m[1] + " " + m[2] for m in map(ACCESS_5XX.search, lines) if m)
    raised = Counter(line for line in lines if EXCEPTION.match(line) or "WORKER TIMEOUT" in line)
    print(f"\n== 汇总\nload average: {loadavg()}")
    ratio = flow_rate / base_rate
    n = max(sum(signed), 1)
    print(grid(
        ["", "web CPU ms", "PostgreSQL CPU ms", "requests/s"],
        [["一次登录（登录页、登录、我的主页）", f"{p1.cost['web'] * 1000 / n:.0f}", f"{p1.cost['pg'] * 1000 / n:.1f}",
          f"{requests1 / took1:.1f}"],
         ["报名流程的一个请求（平均）", f"{p2.cost['web'] * 1000 / requests2:.1f}",
          f"{p2.cost['pg'] * 1000 / requests2:.1f}", f"{flow_rate:.1f}"],
         ["基准接口的一个请求", f"{p3.cost['web'] * 1000 / requests3:.1f}", f"{p3.cost['pg'] * 1000 / requests3:.1f}",
          f"{base_rate:.1f}"]],
    ))  # fmt: skip
    print(f"ratio flow requests/s ÷ baseline requests/s = {flow_rate:.1f} ÷ {base_rate:.1f} = {ratio:.2f}")
    if served or raised:
        print("server log, 5xx answers:", ", ".join(f"{k} ×{n}" for k, n in served.most_common(8)) or "none")
        print("server log, errors:", *[f"{k} ×{n}" for k, n in raised.most_common(5)], sep="\n  ")
    checks = [
        (f"{args.learners} signed in", sum(signed) == args.learners),
        (f"accepted = {args.seats}", accepted == args.seats),
        (f"refused = {len(signed_in) - args.seats}", refused == len(signed_in) - args.seats),
        ("no 5xx", login_5xx == 0 and flow_5xx == 0 and base_5xx == 0),
    ]
    if mixed_failures is not None:
        checks.append((f"mixed load: {mixed_failures} failures", mixed_failures == 0))
    print("  ".join(f"{'✓' if ok else '✗'} {what}" for what, ok in checks))
    sys.exit(0 if all(ok for _, ok in checks) else 1)


if __name__ == "__main__":
    main()
