"""Jobs with leases: a job whose worker died (its lease ran out) is run again, up to JXJY_JOB_MAX_ATTEMPTS
times, then shown as 生成中断 on its page, where 重新生成 starts it afresh."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jxjy.audit.models import AuditEntry
from jxjy.jobs import runner, services
from jxjy.jobs.models import Job, JobKind, JobStatus

from .job_helpers import job_of

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEASE = 300


@pytest.fixture
def queued(settings, auditor_user):
    settings.TASKS = DATABASE_TASKS
    settings.JXJY_JOB_LEASE_SECONDS = LEASE
    settings.JXJY_JOB_MAX_ATTEMPTS = 3
    return services.start_job(kind=JobKind.AUDIT_EXPORT, actor=auditor_user, params={"conditions": {"action": "提交"}})


def claimed_by_a_worker_that_dies(job: Job) -> None:
    """What runner.run does first; then the worker is killed before it finishes."""
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, lease_expires_at=runner.lease_end()
    )


def test_a_job_whose_lease_runs_out_is_queued_again_and_then_built(queued, clock):
    claimed_by_a_worker_that_dies(queued)
    clock.shift(dt.timedelta(seconds=LEASE - 1))
    assert services.reclaim_expired() == 0  # the lease still holds: its worker may be busy
    clock.shift(dt.timedelta(seconds=2))
    assert services.reclaim_expired() == 1
    job = Job.objects.get(pk=queued.pk)
    assert (job.status, job.attempts, job.lease_expires_at) == (JobStatus.QUEUED, 1, None)
    assert DBTaskResult.objects.filter(status="READY").count() == 2  # the first delivery and the new one
    runner.run(job.pk)  # the next worker
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.file


def test_progress_renews_the_lease(queued, clock):
    claimed_by_a_worker_that_dies(queued)
    clock.shift(dt.timedelta(seconds=LEASE - 10))
    runner.Progress(queued.pk, 1)(1, 10)
    clock.shift(dt.timedelta(seconds=20))  # past the first lease, within the renewed one
    assert services.reclaim_expired() == 0
    assert Job.objects.get(pk=queued.pk).status == JobStatus.RUNNING


def test_a_run_given_up_for_dead_writes_nothing_more(queued, clock):
    claimed_by_a_worker_that_dies(queued)
    clock.shift(dt.timedelta(seconds=LEASE + 1))
    services.reclaim_expired()
    claimed_by_a_worker_that_dies(queued)  # attempt 2 holds the job now
    runner.Progress(queued.pk, 1)(7, 10)  # attempt 1 was only slow: it wakes up
    assert Job.objects.get(pk=queued.pk).done == 0


def test_after_the_last_attempt_the_page_shows_the_interruption_and_offers_regenerate(queued, clock, client_for,
                                                                                      auditor_user):  # fmt: skip
    for _ in range(3):
        claimed_by_a_worker_that_dies(queued)
        clock.shift(dt.timedelta(seconds=LEASE + 1))
        services.reclaim_expired()
    job = Job.objects.get(pk=queued.pk)
    assert (job.status, job.error, job.attempts) == (JobStatus.FAILED, "生成中断，请重新生成", 3)
    assert not Job.objects.filter(status=JobStatus.RUNNING).exists()  # nothing runs forever
    client = client_for(auditor_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "生成失败" in page and "生成中断，请重新生成" in page and "重新生成" in page
    assert reverse("jobs:regenerate", args=[job.pk]) in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["error"] == "生成中断，请重新生成"


def test_regenerate_starts_a_fresh_job_with_the_same_parameters(queued, client_for, auditor_user, settings):
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.FAILED, error=services.INTERRUPTED)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(auditor_user)
    new = job_of(client.post(reverse("jobs:regenerate", args=[queued.pk])))
    assert new.pk != queued.pk and (new.kind, new.params) == (queued.kind, queued.params)
    assert new.status == JobStatus.DONE and new.file
    assert AuditEntry.objects.filter(action="export_audit", object_id=str(new.pk)).exists()
    assert Job.objects.get(pk=queued.pk).status == JobStatus.FAILED  # the old one stays as it was


def test_only_a_failed_job_of_ones_own_can_be_regenerated(queued, client_for, auditor_user, hr_region_user):
    client = client_for(auditor_user)
    response = client.post(reverse("jobs:regenerate", args=[queued.pk]), follow=True)
    assert "只有生成失败的任务可以重新生成。" in response.content.decode() and Job.objects.count() == 1
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.FAILED)
    assert client_for(hr_region_user).post(reverse("jobs:regenerate", args=[queued.pk])).status_code == 404
    assert Job.objects.count() == 1


def test_regenerate_checks_the_owners_rights_again(queued, client_for, auditor_user):
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.FAILED)
    auditor_user.role = "department"  # moved to another post since
    auditor_user.save()
    response = client_for(auditor_user).post(reverse("jobs:regenerate", args=[queued.pk]), follow=True)
    assert "您已无权获取该文件。" in response.content.decode() and Job.objects.count() == 1


def test_a_running_job_without_a_lease_is_reclaimed(queued):
    """Jobs already running when leases came in (no lease at all) are not left running forever."""
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.RUNNING, attempts=0, lease_expires_at=None)
    assert services.reclaim_expired() == 1
    assert Job.objects.get(pk=queued.pk).status == JobStatus.QUEUED
