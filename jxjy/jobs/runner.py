"""Running a job in the task worker (tasks.run_job): claim it, build its file under a lease renewed with each
progress write, record the outcome. A run whose worker died is handed on by services.reclaim_expired."""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import InterfaceError, OperationalError
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jxjy.core import clock

from .kinds import KINDS
from .models import Job, JobStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5
DATABASE_ERRORS = (OperationalError, InterfaceError)


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
    spec = KINDS[job.kind]
    try:
        spec.authorise(job.owner, job.params)
        output = spec.build(job.owner, job.params, Progress(job.pk, job.attempts))
        with output.content:
            job.file.save(output.filename, File(output.content), save=False)
    except (PermissionDenied, Http404):
        _fail(held, _("您已无权获取该文件。"))
    except DATABASE_ERRORS:
        raise  # the database went away: the lease runs out and the job is run again
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(held, _("生成失败，请重新发起。"))
    else:
        finished = held.update(
            file=job.file.name, filename=output.filename, content_type=output.content_type, status=JobStatus.DONE,
            finished_at=clock.now(), done=F("total"), lease_expires_at=None,
        )  # fmt: skip
        if not finished:  # this run had been given up for dead and the job handed on: keep only one file
            job.file.delete(save=False)


def _fail(held: QuerySet[Job], message: str) -> None:
    held.update(status=JobStatus.FAILED, error=message, finished_at=clock.now(), lease_expires_at=None)
