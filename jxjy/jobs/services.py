"""Start a job, run it (in the task worker), and hand its file only to the person who started it."""

import logging
import time

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from jxjy.accounts.models import User
from jxjy.core import audit, clock

from .models import Job, JobStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


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


class Progress:
    """Write (done, total) to the job's row, at most twice a second, for the page that polls it."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - self.last >= PROGRESS_EVERY_SECONDS:
            Job.objects.filter(pk=self.job_id).update(done=done, total=total)
            self.last = now


def run(job_id: int) -> None:
    """Build the job's file; a job runs once, and only while its owner is still entitled to the file."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    spec = _kind(job.kind)
    try:
        spec.authorise(job.owner, job.params)
        output = spec.build(job.owner, job.params, Progress(job.pk))
        with output.content:
            job.file.save(output.filename, File(output.content), save=False)
    except (PermissionDenied, Http404):
        _fail(job, "您已无权获取该文件。")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, "生成失败，请重新发起。")
    else:
        job.refresh_from_db(fields=["total"])
        job.filename, job.content_type = output.filename, output.content_type
        job.status, job.finished_at, job.done = JobStatus.DONE, clock.now(), job.total
        job.save(update_fields=["file", "filename", "content_type", "status", "finished_at", "done", "total"])


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=message, finished_at=clock.now())


def authorise_download(job: Job, *, user: User) -> None:
    """The file goes only to its owner, and only while they may still have it."""
    if job.owner_id != user.pk:
        raise Http404("未找到该任务。")
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成。")
    _kind(job.kind).authorise(user, job.params)
