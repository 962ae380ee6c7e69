"""`manage.py task_worker`: django-tasks-db's db_worker (same options) that rides out a database outage.

* A database error while polling or running (OperationalError, InterfaceError) does not end the process: the
  connections are closed, the worker waits 1, 2, 4 … seconds (at most BACKOFF_CAP) and tries again; one log
  line when the outage starts and one when it ends.
* Every JXJY_WORKER_HEARTBEAT_SECONDS it writes its heartbeat (WorkerHeartbeat, read by /healthz/ready) — from
  a thread of its own, so that a long job does not look like a dead worker — and hands on the jobs of
  workers that died (jobs.services.reclaim_expired).
* It runs the periodic sweeps of JXJY_WORKER_SWEEPS (the outbox's deliveries a dead process left behind, the
  候补 seats a passed deadline freed), each at its own interval; a sweep that fails is logged and tried again
  at its next turn.
* It refuses to start when JXJY_PII_KEY does not open the database's key canary (jxjy/core/checks.py).
"""

import contextlib
import datetime as dt
import logging
import os
import random
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jxjy.core import clock, pii
from jxjy.core.checks import verify_canary
from jxjy.core.models import WorkerHeartbeat
from jxjy.jobs.services import reclaim_expired

logger = logging.getLogger("jxjy.jobs.worker")
DATABASE_ERRORS = (OperationalError, InterfaceError)
BACKOFF_CAP = 30.0
FORGET_WORKERS_AFTER = 24 * 3600  # seconds: heartbeats of workers long gone are removed


def beat(worker_id: str) -> None:
    """This worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": clock.now()})


def backoff(failures: int) -> float:
    """Seconds to wait after the `failures`-th failure in a row: 1, 2, 4 … at most BACKOFF_CAP."""
    return min(BACKOFF_CAP, 2.0 ** (failures - 1))


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # a broken connection may fail to close; it is dropped all the same
            conn.close()


class ResilientWorker(Worker):
    def __init__(self, *, upkeep_seconds: float, **kwargs):
        super().__init__(**kwargs)
        self.upkeep_seconds = upkeep_seconds
        self.next_upkeep = 0.0
        self.failures = 0
        # [function, interval in seconds, when it is next due (monotonic)]; all are due at start.
        self.sweeps = [[import_string(path), seconds, 0.0] for path, seconds in settings.JXJY_WORKER_SWEEPS]

    def fetch(self) -> DBTaskResult | None:
        """The next ready task, claimed for this worker (as db_worker's loop does)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as e:
                if "is locked" in str(e):  # SQLite busy: it unlocks soon
                    return None
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def upkeep(self) -> None:
        """Now and then: the heartbeat, and the jobs of dead workers handed on."""
        if time.monotonic() < self.next_upkeep:
            return
        beat(self.worker_id)
        reclaim_expired()
        cutoff = clock.now() - dt.timedelta(seconds=FORGET_WORKERS_AFTER)
        WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
        self.next_upkeep = time.monotonic() + self.upkeep_seconds
        self.sweep()

    def sweep(self) -> None:
        for entry in self.sweeps:
            function, seconds, due = entry
            if time.monotonic() < due:
                continue
            entry[2] = time.monotonic() + seconds
            try:
                function()
            except DATABASE_ERRORS:
                raise
            except Exception:
                logger.exception("periodic sweep %s failed; it runs again in %s s", function.__qualname__, seconds)

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)

    def outage(self, error: Exception) -> None:
        self.failures += 1
        if self.failures == 1:
            logger.error("database unavailable (%s): the task worker waits and tries again", type(error).__name__)
        _close_connections()
        if self.running:
            self.pause(backoff(self.failures))

    def recovered(self) -> None:
        if self.failures:
            logger.warning("database available again after %s failed attempts", self.failures)
            self.failures = 0

    def run(self) -> None:
        logger.info("Starting task worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311  # nosec B311 - workers started together do not poll in step
        while self.running:
            try:
                self.upkeep()
                task_result = self.fetch()
                if task_result is not None:
                    self.run_task(task_result)
                self.recovered()
            except DATABASE_ERRORS as error:
                self.outage(error)
                continue
            if self.batch and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat while it is busy with a long job; quiet through an outage."""

    def __init__(self, worker_id: str, seconds: float):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id, self.seconds = worker_id, seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        failing = False
        while not self.stopped.wait(self.seconds):
            try:
                beat(self.worker_id)
            except Exception:
                if not failing:
                    logger.warning("heartbeat not written: database unavailable")
                failing = True
            else:
                failing = False
            finally:
                _close_connections()  # this thread's own connection, opened again at the next beat


class Command(DbWorkerCommand):
    help = gettext_lazy("运行后台任务进程：数据库中断时等待重连而不退出，定期写入心跳并接手失联任务进程的任务。")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, **options):  # fmt: skip
        self.configure_logging(verbosity)
        logger.setLevel(logging.CRITICAL if verbosity == 0 else logging.INFO)  # as db_worker's own logger
        try:
            verify_canary(write=False)
        except pii.WrongKeyError as e:
            raise CommandError(str(e)) from None
        except DatabaseError:
            pass  # not reachable (or not migrated) yet: the loop waits for it
        seconds = settings.JXJY_WORKER_HEARTBEAT_SECONDS
        worker = ResilientWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, upkeep_seconds=seconds,
        )  # fmt: skip
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
                Heartbeat(worker_id, seconds).start()
            run_with_reloader(worker.run)
            return
        worker.configure_signals()
        Heartbeat(worker_id, seconds).start()
        worker.run()
