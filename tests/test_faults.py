"""Fault test: the site in production mode (deploy/run-prod: 2 gunicorn workers, 1 supervised task worker) on a
PostgreSQL and a redis-server of this module's own (tests/fault_helpers.py), and what users see and what the
database holds when parts of it fail.

It runs once per CI run, in the SQLite pass (it brings its own PostgreSQL, so the PostgreSQL pass skips it).

Scenarios:
1. The database stops for a few seconds while the base approves a 学员报名: pages during the outage are our
   Chinese 500 page; after `pg_ctl start` the site answers without a restart, the approval goes through with
   exactly one audit entry, one 站内消息 and one SMS in the outbox, and the task worker (heartbeat advancing)
   delivers that SMS.
2. Redis stopped, then frozen (SIGSTOP): a learner logs in (身份证号), opens pages, saves and 提交 a registration,
   撤回 it (stopped) or leaves it 待审核 (frozen), uses 证书查验 and logs out; stopped, each request answers within
   5 s, frozen within 2.5 s; the database holds the first registration 已撤回 and the second 待审核.
3. The task worker is killed (SIGKILL) while a certificates zip is 正在生成: the supervisor starts it again and
   the job ends 已完成 after its lease ran out.
4. A web worker is killed (SIGKILL) during a save (the approval waits on the audit chain's lock): that request
   fails, the next one succeeds, and the database holds the whole move with its audit entry, never half.
"""

import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from .fault_helpers import PASSWORD, Browser, Postgres, Redis, Site, free_port, wait_for
from .service_helpers import prod_env

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        connection.vendor == "postgresql", reason="runs in the SQLite pass: it brings its own PostgreSQL"
    ),
]

SETUP = f"""
from decimal import Decimal
from django.test import override_settings
from demo import factories as f
from jxjy.certificates import services as cs
from jxjy.trainings import services as ts

PASSWORD = {PASSWORD!r}
base = f.BaseFactory()
staff = f.UserFactory(username="fault_base", organisation=base, password=PASSWORD)
c = f.published_class(f.approved_filing(base, staff), staff)
sp, lv = f.scope_of(c)
DETAILS = {{"work_unit": "测试单位", "current_title": "工程师", "year": c.years[0]}}

def submitted(n):
    person = f.learner(n, password=PASSWORD)
    reg = ts.start_registration(learner=person, training_class=c, specialty_id=sp, level_id=lv,
                                details=DETAILS, package_course_ids=[])
    ts.submit_registration(reg, actor=person.user)
    return reg.pk

walker = f.learner(20, password=PASSWORD)
result = {{"base_user": staff.username, "class": c.pk, "specialty": sp, "level": lv, "year": c.years[0],
          "reg_db": submitted(21), "reg_kill": submitted(22), "walker": walker.id_number}}
# A finished class with certificates whose signed files are not stored yet: the zip signs each on the spot.
cs._enqueue_signing = lambda ids: None
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    done = f.finished_class(base, staff, learners=40)
facts = [cs.Facts(source_key=f"fault-{{r.pk}}", learner=r.learner, kind="professional", year=r.year,
                  hours=Decimal(8), class_name="培训班", base=base, base_name=base.name, scope="",
                  issuer=f.hr_region(), source_label="培训后备案", registration=r)
         for r in done.registrations.all()]
certs = cs.issue_many(facts)
result["done_class"] = done.pk
result["verify_code"] = certs[0].code if hasattr(certs[0], "code") else ""
"""

COUNTS = """
from jxjy.core.models import WorkerHeartbeat
from jxjy.audit.models import AuditEntry
from jxjy.notify.models import Outbox
from jxjy.notify.models import Notification
from jxjy.trainings.models import Registration
r = Registration.objects.select_related("learner__user").get(pk={pk})
user = r.learner.user
result = {{
    "status": r.status,
    "audits": AuditEntry.objects.filter(object_id=str(r.pk), state_after="approved").count(),
    "notes": Notification.objects.filter(recipient=user).count(),
    "sms": list(Outbox.objects.filter(recipient=user, channel="sms").values_list("status", flat=True)),
    "beat": max([b.isoformat() for b in WorkerHeartbeat.objects.values_list("beat_at", flat=True)] or [""]),
}}
"""


@pytest.fixture(scope="module")
def site():
    folder = tempfile.mkdtemp(prefix="jxjy-faults-")
    os.chmod(folder, 0o711)  # noqa: S103 - PostgreSQL's own account must reach its folder inside (no listing)
    pg_folder = os.path.join(folder, "pg")
    os.mkdir(pg_folder)
    pg, redis = Postgres(Path(pg_folder)), Redis(Path(folder))
    server = None
    try:
        pg.init()
        redis.start()
        env = prod_env(
            DATABASE_URL=pg.url, REDIS_URL=redis.url, JXJY_BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY=2,
            JXJY_TASK_WORKERS=1, STATIC_ROOT=f"{folder}/static", MEDIA_ROOT=f"{folder}/media", JXJY_ACCESS_LOG="",
            JXJY_WORKER_HEARTBEAT_SECONDS=1, JXJY_JOB_LEASE_SECONDS=4, SUPERVISE_BACKOFF_CAP=2,
            JXJY_SMS_BACKEND="jxjy.notify.backends.FileSms", JXJY_SMS_FILE_DIR=f"{folder}/sms",
        )  # fmt: skip
        server = Site(env, Path(folder) / "site.log")
        server.pg, server.redis = pg, redis
        server.start()
        server.data = server.django(SETUP)
        yield server
    finally:
        if server is not None and server.proc is not None:
            server.stop()
        redis.stop()
        pg.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def counts(site, pk):
    return site.django(COUNTS.format(pk=pk))


def error_page(status, body):
    assert status in (500, 503), status
    assert "系统繁忙" in body and "Traceback" not in body and "Server Error" not in body


def test_database_stopped_during_a_move_then_back_without_restart(site):
    pk = site.data["reg_db"]
    browser = Browser(site.url)
    browser.login(site.data["base_user"])
    act = reverse("review:act", args=["registration", pk, "approve"])
    before = counts(site, pk)
    site.pg.stop()
    try:
        error_page(*[v for i, v in enumerate(browser.get(reverse("trainings:registration_review"))) if i != 1])
        status, _, body = browser.post(act)
        error_page(status, body)
        assert "没有保存任何内容" in body  # the move had not committed
    finally:
        site.pg.start()
    wait_for(lambda: browser.get(reverse("trainings:registration_review"))[0] == 200, seconds=20, what="site back")
    status, headers, _ = browser.post(act)
    assert status == 302
    status, _, body = browser.get(headers["Location"])
    assert status == 200 and "已通过" in body
    after = counts(site, pk)
    assert after["status"] == "approved" and after["audits"] == before["audits"] + 1 == 1
    assert after["notes"] == before["notes"] + 1 and len(after["sms"]) == len(before["sms"]) + 1
    delivered = wait_for(
        lambda: (c := counts(site, pk))["sms"][-1] == "sent" and c, seconds=30, what="the SMS delivered", step=1
    )
    assert delivered["beat"] > after["beat"] >= before["beat"], "the task worker's heartbeat advances"


def _walk_as_learner(site, *, limit: float, withdraw: bool = False):
    d = site.data
    browser = Browser(site.url)

    def timed(call, *args, **kw):
        started = time.monotonic()
        response = call(*args, **kw)
        assert time.monotonic() - started < limit, f"{args[0]} took too long"
        return response

    timed(browser.get, "/accounts/login/")
    status, headers, _ = timed(browser.post, "/accounts/login/", {"username": d["walker"], "password": PASSWORD})
    assert status == 302 and "/accounts/login/" not in headers["Location"]
    status, _, body = timed(browser.get, reverse("trainings:my_registrations"))
    assert status == 200 and "我要报名" in body
    form = reverse("trainings:register_form", args=[d["class"]]) + f"?specialty={d['specialty']}&level={d['level']}"
    status, _, body = timed(browser.get, form)
    assert status == 200
    fields = {"work_unit": "测试单位", "current_title": "工程师", "year": d["year"]}
    status, headers, body = timed(browser.post, form, fields)
    assert status == 302, body[-1500:]
    detail = headers["Location"]
    status, _, body = timed(browser.get, detail)
    assert status == 200 and "报名信息已保存" in body
    pk = int(detail.rstrip("/").rsplit("/", 1)[1])
    status, headers, _ = timed(browser.post, reverse("trainings:registration_submit", args=[pk]))
    assert status == 302
    status, _, body = timed(browser.get, headers["Location"])
    assert status == 200 and "待审核" in body, body[-1500:]
    if withdraw:  # 撤回, so that the next walk may register for the same class again
        status, headers, _ = timed(browser.post, reverse("trainings:registration_withdraw", args=[pk]))
        assert status == 302
        status, _, body = timed(browser.get, headers["Location"])
        assert status == 200 and "报名已撤回。" in body
    status, _, body = timed(browser.get, reverse("certificates:verify"))
    assert status == 200 and "证书" in body
    status, _, _ = timed(browser.post, reverse("accounts:logout"))
    assert status == 302
    status, headers, _ = timed(browser.get, reverse("trainings:my_registrations"))
    assert status == 302 and "/accounts/login/" in headers["Location"]
    return pk


def test_redis_stopped_then_frozen_the_learner_carries_on(site):
    redis = site.redis
    redis.stop()
    try:
        first = _walk_as_learner(site, limit=5, withdraw=True)
    finally:
        redis.start()
    redis.proc.send_signal(signal.SIGSTOP)
    try:
        second = _walk_as_learner(site, limit=2.5)
    finally:
        redis.proc.send_signal(signal.SIGCONT)
    statuses = site.django(
        f"from jxjy.trainings.models import Registration\n"
        f"result = dict(Registration.objects.filter(pk__in=[{first}, {second}]).values_list('pk', 'status'))"
    )
    assert statuses == {str(first): "withdrawn", str(second): "submitted"}, statuses


def test_task_worker_killed_mid_job_the_job_still_finishes(site):
    browser = Browser(site.url)
    browser.login(site.data["base_user"])
    status, headers, _ = browser.post(reverse("certificates:class_zip", args=[site.data["done_class"]]))
    assert status == 302
    job_page = headers["Location"]
    job = int(job_page.rstrip("/").rsplit("/", 1)[1])
    # The test's own connection, polled often: the zip of 40 certificates takes a few seconds.
    job_state = "SELECT status, done, total, attempts FROM jobs_job WHERE id = %s", [job]
    seen = []
    try:
        wait_for(lambda: seen.append(site.pg.sql(*job_state)[0]) or seen[-1][0] == "running", seconds=30, what="it")
    except AssertionError as e:
        raise AssertionError(f"{e}; job states {seen[-3:]}:\n{site.log_text()}") from None
    status, _, body = browser.get(job_page)
    assert status == 200 and "正在生成" in body
    worker = site.task_worker_pid()
    running, done, total, _ = site.pg.sql(*job_state)[0]
    os.kill(worker, signal.SIGKILL)
    assert running == "running" and done < total, "the worker is killed mid-job"
    wait_for(lambda: site.task_worker_pid() != worker, seconds=15, what="the supervisor restarting the worker")
    final = wait_for(
        lambda: (s := site.pg.sql(*job_state)[0])[0] in ("done", "failed") and s, seconds=60, what="the job ending"
    )
    assert final[0] == "done" and final[1] == final[2] == 40 and final[3] == 2, final
    status, _, body = browser.get(job_page)
    assert status == 200 and "已完成" in body


def test_web_worker_killed_during_a_save_leaves_all_or_nothing(site):
    pk = site.data["reg_kill"]
    browser = Browser(site.url)
    browser.login(site.data["base_user"])
    act = reverse("review:act", args=["registration", pk, "approve"])
    head_table = site.django("from jxjy.audit.models import AuditChainHead\nresult = AuditChainHead._meta.db_table")
    holder = site.pg.connect()
    from psycopg import sql

    holder.execute(sql.SQL("SELECT * FROM {} FOR UPDATE").format(sql.Identifier(head_table)))  # the move waits here
    answer = {}
    request = threading.Thread(target=lambda: answer.update(r=_safe(browser.post, act)))
    request.start()
    waiting = wait_for(
        lambda: site.pg.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")[0][0] > 0,
        seconds=15, what="the save waiting on the audit lock",
    )  # fmt: skip
    assert waiting
    workers = site.gunicorn_workers()
    for pid in workers:  # the one serving the save is among them
        os.kill(pid, signal.SIGKILL)
    request.join(30)
    holder.rollback()
    holder.close()
    assert answer["r"] is None or answer["r"][0] >= 500, "the killed request did not succeed"
    half = counts(site, pk)
    assert half["status"] == "submitted" and half["audits"] == 0, half
    wait_for(lambda: browser.get(reverse("trainings:registration_review"))[0] == 200, seconds=30, what="new workers")
    status, _, _ = browser.post(act)
    assert status == 302
    whole = counts(site, pk)
    assert whole["status"] == "approved" and whole["audits"] == 1


def _safe(call, *args):
    try:
        return call(*args)
    except OSError:
        return None
