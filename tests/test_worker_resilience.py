"""`manage.py task_worker` rides out a database outage: an error in its poll is logged once, waited out with a
growing pause, and the queued job then runs; it writes its heartbeat and hands on the jobs of dead workers."""

import datetime as dt
import logging

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from jxjy.core import clock as platform_clock
from jxjy.core.models import WorkerHeartbeat
from jxjy.jobs import services
from jxjy.jobs.management.commands import task_worker
from jxjy.jobs.models import Job, JobKind, JobStatus
from jxjy.notify.models import Channel, Outbox, OutboxStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker opens its own transactions
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER = {
    "queue_names": ["*"], "interval": 0, "batch": True, "backend_name": "default", "startup_delay": False,
    "max_tasks": None, "worker_id": "test-worker",
}  # fmt: skip


@pytest.fixture
def queued_job(settings, auditor_user):
    settings.TASKS = DATABASE_TASKS
    job = services.start_job(kind=JobKind.AUDIT_EXPORT, actor=auditor_user, params={"conditions": {}})
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    return job


@pytest.fixture
def database_blip(monkeypatch):
    """The poll fails three times, as while PostgreSQL restarts, then works again."""
    real = DBTaskResultQuerySet.get_locked
    failures = []

    def get_locked(self):
        if len(failures) < 3:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    return failures


def test_the_worker_waits_out_a_database_outage_then_runs_the_job(queued_job, database_blip, caplog):
    worker = task_worker.ResilientWorker(upkeep_seconds=10, **WORKER)
    pauses = []
    worker.pause = pauses.append
    with caplog.at_level(logging.INFO, logger="jxjy.jobs.worker"):
        worker.run()
    assert len(database_blip) == 3 and pauses == [1, 2, 4]
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.DONE and job.file and job.attempts == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert messages == [
        "database unavailable (OperationalError): the task worker waits and tries again",  # once per outage
        "database available again after 3 failed attempts",
    ]


def test_the_plain_db_worker_would_have_died(queued_job, database_blip):
    """The control run: django-tasks-db's own loop lets the error end the process."""
    with pytest.raises(OperationalError):
        Worker(**WORKER).run()
    assert Job.objects.get(pk=queued_job.pk).status == JobStatus.QUEUED


def test_the_pause_grows_to_a_cap():
    assert [task_worker.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_the_worker_writes_its_heartbeat_and_hands_on_a_dead_workers_job(queued_job):
    # The job was claimed by a worker that then died: its lease has run out, its task never finishes.
    Job.objects.filter(pk=queued_job.pk).update(
        status=JobStatus.RUNNING, attempts=1, lease_expires_at=platform_clock.now() - dt.timedelta(seconds=1)
    )
    DBTaskResult.objects.update(status="RUNNING")
    task_worker.ResilientWorker(upkeep_seconds=10, **WORKER).run()
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker")
    assert dt.timedelta(0) <= platform_clock.now() - beat.beat_at < dt.timedelta(seconds=5)
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_the_heartbeat_thread_keeps_beating_through_an_outage(db, monkeypatch, caplog):
    beats = []

    def beat(worker_id):
        beats.append(worker_id)
        if len(beats) <= 2:
            raise OperationalError("connection refused")
        return WorkerHeartbeat.objects.create(worker_id=worker_id, beat_at=platform_clock.now())

    monkeypatch.setattr(task_worker, "beat", beat)
    heartbeat = task_worker.Heartbeat("busy-worker", 10)
    waits = iter([False, False, False, True])  # three beats, then the worker stops
    heartbeat.stopped.wait = lambda seconds: next(waits)
    with caplog.at_level(logging.WARNING, logger="jxjy.jobs.worker"):
        heartbeat.run()
    assert beats == ["busy-worker"] * 3 and WorkerHeartbeat.objects.filter(worker_id="busy-worker").exists()
    assert [r.getMessage() for r in caplog.records] == ["heartbeat not written: database unavailable"]


def test_the_worker_delivers_what_a_dead_process_left_in_the_outbox(db, sms_sent):
    # The row was committed, but the process died before its on-commit delivery ran.
    Outbox.objects.create(channel=Channel.SMS, address="13899110001", body="验证码 123456", event="sms_code_reset")
    task_worker.ResilientWorker(upkeep_seconds=10, **WORKER).run()
    assert [(m["mobile"], m["text"]) for m in sms_sent] == [("13899110001", "验证码 123456")]
    assert Outbox.objects.get().status == OutboxStatus.SENT


def test_a_failing_sweep_is_logged_and_the_others_still_run(db, settings, sms_sent, caplog):
    settings.JXJY_WORKER_SWEEPS = [(f"{__name__}.broken_sweep", 60), *settings.JXJY_WORKER_SWEEPS]
    Outbox.objects.create(channel=Channel.SMS, address="13899110001", body="验证码 123456", event="sms_code_reset")
    with caplog.at_level(logging.ERROR, logger="jxjy.jobs.worker"):
        task_worker.ResilientWorker(upkeep_seconds=10, **WORKER).run()
    assert "periodic sweep broken_sweep failed" in caplog.text
    assert len(sms_sent) == 1


def broken_sweep() -> None:
    raise RuntimeError("a bug in one sweep")
