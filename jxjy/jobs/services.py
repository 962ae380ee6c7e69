"""Start a job, run it (in the task worker), and hand its file only to the person who started it.

A running job holds a lease (`lease_expires_at`), renewed with each progress write; when its worker dies the
lease runs out and `reclaim_expired` (the worker's loop) queues it again — building a file twice is harmless —
until JXJY_JOB_MAX_ATTEMPTS runs have been tried; then it fails as 生成中断 and its owner can 重新生成 it.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404

from jxjy.accounts.models import User
from jxjy.core import audit, clock
from jxjy.core.errors import DomainError

from .models import Job, JobStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5
INTERRUPTED = "生成中断，请重新生成"
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _kind(kind: str):
    from .kinds import KINDS  # the kinds import the apps whose views start jobs

    return KINDS[kind]


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """A job and its file belong to the person who started it, and to nobody else."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def start_job(*, kind: str, actor: User, params: dict) -> Job:
    """Check that `actor` may have this file, record the export, and queue the job."""
    from .tasks import run_job

    spec = _kind(kind)
    spec.authorise(actor, params)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=actor, params=params, title=spec.title(actor, params)[:150])
        detail = {"任务": job.pk, **params}
        audit.record(actor=actor, action=spec.audit_action, obj=job, detail=detail)
        # With the database backend the queued task commits with the job: neither exists without the other.
        run_job.enqueue(job.pk)
    return job


def lease_end() -> dt.datetime:
    return clock.now() + dt.timedelta(seconds=settings.JXJY_JOB_LEASE_SECONDS)


def _held(job_id: int, attempt: int) -> QuerySet[Job]:
    """The job's row while this run still holds it (no later attempt has taken it over)."""
    return Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)


class Progress:
    """Write (done, total) to the job's row, at most twice a second, for the page that polls it; each write
    renews the run's lease."""

    def __init__(self, job_id: int, attempt: int | None = None):
        self.job_id, self.attempt = job_id, attempt
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - self.last >= PROGRESS_EVERY_SECONDS:
            rows = Job.objects.filter(pk=self.job_id)
            if self.attempt is not None:  # a run writes only while it holds the job
                rows = _held(self.job_id, self.attempt)
            rows.update(done=done, total=total, lease_expires_at=lease_end())
            self.last = now


def run(job_id: int) -> None:
    """Build the job's file; a job runs once (again only after its worker died), and only while its owner is
    still entitled to the file."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, lease_expires_at=lease_end()
    )
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    held = _held(job.pk, job.attempts)
    spec = _kind(job.kind)
    try:
        spec.authorise(job.owner, job.params)
        output = spec.build(job.owner, job.params, Progress(job.pk, job.attempts))
        with output.content:
            job.file.save(output.filename, File(output.content), save=False)
    except (PermissionDenied, Http404):
        _fail(held, "您已无权获取该文件。")
    except DATABASE_ERRORS:
        raise  # the database went away: the lease runs out and the job is run again
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(held, "生成失败，请重新发起。")
    else:
        finished = held.update(
            file=job.file.name, filename=output.filename, content_type=output.content_type, status=JobStatus.DONE,
            finished_at=clock.now(), done=F("total"), lease_expires_at=None,
        )  # fmt: skip
        if not finished:  # this run had been given up for dead and the job handed on: keep only one file
            job.file.delete(save=False)


def _fail(held: QuerySet[Job], message: str) -> None:
    held.update(status=JobStatus.FAILED, error=message, finished_at=clock.now(), lease_expires_at=None)


def reclaim_expired() -> int:
    """Jobs whose lease ran out (their worker died): queued again while attempts are left, else failed as
    生成中断. Safe to run in several workers at once: each job is taken by one."""
    from .tasks import run_job

    now = clock.now()
    expired = Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
    reclaimed = 0
    for pk, attempts in Job.objects.filter(expired, status=JobStatus.RUNNING).values_list("pk", "attempts"):
        same = Job.objects.filter(expired, pk=pk, status=JobStatus.RUNNING, attempts=attempts)
        with transaction.atomic():
            if attempts < settings.JXJY_JOB_MAX_ATTEMPTS:
                if same.update(status=JobStatus.QUEUED, lease_expires_at=None):
                    run_job.enqueue(pk)
                    logger.warning("job %s lost its worker: queued again (attempt %s done)", pk, attempts)
                    reclaimed += 1
            elif same.update(status=JobStatus.FAILED, error=INTERRUPTED, finished_at=now, lease_expires_at=None):
                logger.warning("job %s lost its worker %s times: given up", pk, attempts)
                reclaimed += 1
    return reclaimed


def regenerate(job: Job, *, actor: User) -> Job:
    """重新生成: a failed job's file asked for again, as a new job with the same parameters."""
    if job.owner_id != actor.pk:
        raise Http404("未找到该任务。")
    if job.status != JobStatus.FAILED:
        raise DomainError("只有生成失败的任务可以重新生成。")
    return start_job(kind=job.kind, actor=actor, params=job.params)


def authorise_download(job: Job, *, user: User) -> None:
    """The file goes only to its owner, and only while they may still have it."""
    if job.owner_id != user.pk:
        raise Http404("未找到该任务。")
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成。")
    _kind(job.kind).authorise(user, job.params)
