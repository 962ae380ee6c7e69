"""Start a job (run by the task worker: runner.py), and hand its file only to the person who started it.

A running job holds a lease (`lease_expires_at`), renewed with each progress write; when its worker dies the
lease runs out and `reclaim_expired` (the worker's loop) queues it again — building a file twice is harmless —
until JXJY_JOB_MAX_ATTEMPTS runs have been tried; then it fails as 生成中断 and its owner can 重新生成 it.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.accounts.models import User
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError

from .kinds import KINDS
from .models import Job, JobStatus
from .tasks import run_job

logger = logging.getLogger(__name__)
INTERRUPTED = gettext_lazy("生成中断，请重新生成")


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """A job and its file belong to the person who started it, and to nobody else."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def too_many_jobs(limit: int) -> str:
    return _("您已有%(limit)s个下载任务正在排队或生成，请等其中一个完成后再试。可在“我的下载任务”中查看进度。") % {
        "limit": limit
    }


class TooManyJobs(DomainError):
    """The user has JXJY_JOB_MAX_ACTIVE_PER_USER jobs queued or running already."""


def start_job(*, kind: str, actor: User, params: dict[str, Any]) -> Job:
    """Check that `actor` may have this file, record the export, and queue the job.

    The same file asked for again while its job is queued or running is that job (nothing new is queued); a user
    has at most JXJY_JOB_MAX_ACTIVE_PER_USER jobs under way, and one more is refused (TooManyJobs).
    """
    spec = KINDS[kind]
    spec.authorise(actor, params)
    with transaction.atomic():
        under_way = _jobs_under_way(actor)
        same = next((j for j in under_way if j.kind == kind and j.params == params), None)
        if same is not None:
            return same
        limit = settings.JXJY_JOB_MAX_ACTIVE_PER_USER
        if len(under_way) >= limit:
            raise TooManyJobs(too_many_jobs(limit))
        job = Job.objects.create(kind=kind, owner=actor, params=params, title=spec.title(actor, params)[:150])
        detail = {"任务": job.pk, **params}
        audit.record(actor=actor, action=spec.audit_action, obj=job, detail=detail)
        # With the database backend the queued task commits with the job: neither exists without the other.
        run_job.enqueue(job.pk)
    return job


def _jobs_under_way(user: User) -> list[Job]:
    """The user's queued and running jobs, read under a lock on the user's row: two requests at once are counted
    one after the other (SQLite's transactions take the write lock at their start anyway)."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    return list(Job.objects.filter(owner=user, status__in=ACTIVE).order_by("created_at", "id"))


def reclaim_expired() -> int:
    """Jobs whose lease ran out (their worker died): queued again while attempts are left, else failed as
    生成中断. Safe to run in several workers at once: each job is taken by one."""
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
        raise Http404(_("未找到该任务。"))
    if job.status != JobStatus.FAILED:
        raise DomainError(_("只有生成失败的任务可以重新生成。"))
    return start_job(kind=job.kind, actor=actor, params=job.params)


def authorise_download(job: Job, *, user: User) -> None:
    """The file goes only to its owner, and only while they may still have it."""
    if job.owner_id != user.pk:
        raise Http404(_("未找到该任务。"))
    if job.status != JobStatus.DONE or not job.file:
        raise Http404(_("文件尚未生成。"))
    KINDS[job.kind].authorise(user, job.params)
