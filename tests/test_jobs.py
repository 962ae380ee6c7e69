"""后台任务: a long export is a job; its page shows the progress; only its owner gets its file, and only
while still entitled to it; with the database backend the request only queues it."""

import datetime as dt
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.core import clock
from jxjy.jobs import runner, services
from jxjy.jobs.models import Job, JobKind, JobStatus

from .html_helpers import alerts
from .job_helpers import job_file, job_of
from .test_certificates import approved_completion  # noqa: F401 - a fixture

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def zip_url(approved_completion):  # noqa: F811
    return reverse("certificates:class_zip", args=[approved_completion.training_class_id])


def test_certificate_zip_job_shows_its_progress_and_its_file(client_for, base_user, zip_url):
    client = client_for(base_user)
    job = job_of(client.post(zip_url))
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 2, 2, 100)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已完成" in page and reverse("jobs:download", args=[job.pk]) in page and "job-progress.js" in page
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100 and status["download_url"]
    names = zipfile.ZipFile(io.BytesIO(job_file(client, client.post(zip_url)))).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert job.title in client.get(reverse("jobs:list")).content.decode()


def test_starting_and_downloading_are_in_the_audit_trail(client_for, base_user, zip_url):
    client = client_for(base_user)
    job_file(client, client.post(zip_url))
    job = Job.objects.get()
    started = AuditEntry.objects.get(action="download_certificates_zip", actor=base_user)
    assert started.object_id == str(job.pk) and started.detail["class_id"] == job.params["class_id"]
    assert AuditEntry.objects.filter(action="download_export", actor=base_user, object_id=str(job.pk)).exists()


def test_a_class_outside_the_users_scope_starts_no_job(client_for, other_base_user, learner_user, zip_url):
    response = client_for(other_base_user).post(zip_url)
    assert response.status_code == 302 and "jobs" not in response["Location"]
    assert client_for(learner_user).post(zip_url).status_code == 403
    assert not Job.objects.exists()


def test_exports_are_posts(client_for, base_user, hr_region_user, zip_url):
    assert client_for(base_user).get(zip_url).status_code == 405
    assert client_for(hr_region_user).get(reverse("stats:export")).status_code == 405


@pytest.mark.parametrize("who", ["base_user", "department_user", "learner_user", "auditor_user"])
def test_only_hr_starts_a_statistics_export(db, request, client_for, who):
    assert client_for(request.getfixturevalue(who)).post(reverse("stats:export")).status_code == 403
    assert not Job.objects.exists()


def test_someone_elses_job_is_not_found(client_for, base_user, hr_region_user, zip_url):
    job = job_of(client_for(base_user).post(zip_url))
    client = client_for(hr_region_user)  # could make the same zip, but this job and its file are not theirs
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("jobs:list")).content.decode()


def test_the_download_checks_the_owners_rights_again(client_for, hr_region_user):
    client = client_for(hr_region_user)
    job = job_of(client.post(reverse("stats:export") + "?year=2026"))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    hr_region_user.role = "department"  # moved to another post since
    hr_region_user.save()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403


@pytest.mark.date_sweep
def test_statistics_export_holds_the_pages_tables(client_for, hr_region_user):
    """Without a year the export is of this year in Ürümqi (at 00:20 on 1 January, the new one)."""
    client = client_for(hr_region_user)
    wb = openpyxl.load_workbook(io.BytesIO(job_file(client, client.post(reverse("stats:export")))))
    job = Job.objects.get()
    this = clock.this_year()
    assert wb.sheetnames[0] == "总体情况" and (job.title, job.params) == (f"{this}年度继续教育统计", {"year": this})
    assert job.filename == f"{this}年度继续教育统计.xlsx"


def test_with_the_database_backend_the_request_only_queues_the_job(client_for, auditor_user, settings):
    settings.TASKS = DATABASE_TASKS
    client = client_for(auditor_user)
    job = job_of(client.post(reverse("core:audit_export") + "?action=提交"))
    assert job.status == JobStatus.QUEUED and job.params == {"conditions": {"action": "提交"}}
    task = DBTaskResult.objects.get()
    assert task.task_path == "jxjy.jobs.tasks.run_job" and task.args_kwargs["args"] == [job.pk]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "排队中" in page and "文件正在后台生成" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    runner.run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file
    runner.run(job.pk)  # a second delivery of the task does nothing
    assert Job.objects.get(pk=job.pk).finished_at == job.finished_at


def test_a_job_whose_owner_lost_the_right_fails_without_a_file(auditor_user, settings):
    settings.TASKS = DATABASE_TASKS
    job = services.start_job(kind=JobKind.AUDIT_EXPORT, actor=auditor_user, params={"conditions": {}})
    auditor_user.is_active = False
    auditor_user.save()
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "您已无权获取该文件。" and not job.file


def test_a_failing_build_is_reported_not_raised(auditor_user, monkeypatch):
    from jxjy.audit import export as audit_export

    monkeypatch.setattr(audit_export, "filtered", lambda params: 1 / 0)
    job = services.start_job(kind=JobKind.AUDIT_EXPORT, actor=auditor_user, params={"conditions": {}})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "生成失败，请重新发起。"


def test_progress_is_written_for_the_polling_page(auditor_user, base, base_user):
    for _ in range(3):
        f.complete_filing(base, base_user)
    job = Job.objects.create(kind=JobKind.AUDIT_EXPORT, owner=auditor_user, title="t", params={"conditions": {}})
    progress = runner.Progress(job.pk)
    progress(0, 10)
    assert Job.objects.get(pk=job.pk).percent == 0
    progress(5, 10)  # within half a second of the last write: not written
    progress(10, 10)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (10, 10, 99)


@pytest.mark.date_sweep
def test_prune_removes_old_jobs_and_their_files(client_for, hr_region_user, settings):
    settings.JXJY_JOB_KEEP_DAYS = 7
    client = client_for(hr_region_user)
    this = clock.this_year()
    old = job_of(client.post(reverse("stats:export") + f"?year={this - 1}"))
    new = job_of(client.post(reverse("stats:export") + f"?year={this}"))
    Job.objects.filter(pk=old.pk).update(finished_at=clock.now() - dt.timedelta(days=8))
    path = old.file.path
    call_command("prune_jobs", stdout=io.StringIO())
    assert list(Job.objects.values_list("pk", flat=True)) == [new.pk]
    assert not os.path.exists(path) and new.file.storage.exists(new.file.name)


@pytest.mark.date_sweep
def test_a_job_is_kept_for_seven_days_to_the_minute(client_for, hr_region_user, settings, clock):
    """Finished at each instant of the sweep (23:50 on 31 December, 28 February…), pruned 7 days later."""
    settings.JXJY_JOB_KEEP_DAYS = 7
    job = job_of(client_for(hr_region_user).post(reverse("stats:export")))
    clock.shift(dt.timedelta(days=7, minutes=-1))
    call_command("prune_jobs", stdout=io.StringIO())
    assert Job.objects.filter(pk=job.pk).exists() and job.file.storage.exists(job.file.name)
    clock.shift(dt.timedelta(minutes=2))
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert not Job.objects.filter(pk=job.pk).exists() and not job.file.storage.exists(job.file.name)
    assert out.getvalue().strip() == "已删除 1 个过期的后台任务。"


# ---- at most three under way per user; the same request again follows its job ----

TOO_MANY = "您已有3个下载任务正在排队或生成，请等其中一个完成后再试。可在“我的下载任务”中查看进度。"


def export(client, year: int):
    return client.post(reverse("stats:export") + f"?year={year}")


def test_a_fourth_job_while_three_are_queued_is_refused(client_for, hr_region_user, settings):
    settings.TASKS = DATABASE_TASKS
    client = client_for(hr_region_user)
    this = clock.this_year()
    queued = [job_of(export(client, this - n)) for n in range(3)]
    assert all(j.status == JobStatus.QUEUED for j in queued)
    refused = export(client, this - 3)
    assert refused.status_code == 302 and refused["Location"] == reverse("jobs:list")
    assert TOO_MANY in alerts(client.get(refused["Location"]))
    assert Job.objects.count() == 3 and DBTaskResult.objects.count() == 3
    assert AuditEntry.objects.filter(action="export_stats").count() == 3  # the refused one recorded no export
    runner.run(queued[0].pk)  # one is done: room for another
    assert job_of(export(client, this - 3)).status == JobStatus.QUEUED


def test_an_identical_request_reuses_the_job_under_way(client_for, hr_region_user, settings):
    settings.TASKS = DATABASE_TASKS
    client = client_for(hr_region_user)
    first = job_of(export(client, 2026))
    again = job_of(export(client, 2026))
    assert again.pk == first.pk and Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    assert job_of(export(client, 2026)).pk == first.pk  # running: still the same job
    runner.run(first.pk)
    Job.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    assert job_of(export(client, 2026)).pk != first.pk  # finished: a new file is made


def test_the_bound_is_each_users_own(client_for, hr_region_user, hr_prefecture_user, settings):
    settings.TASKS = DATABASE_TASKS
    for n in range(3):
        services.start_job(kind=JobKind.STATS_EXPORT, actor=hr_prefecture_user, params={"year": 2020 + n})
    assert job_of(export(client_for(hr_region_user), 2020)).owner == hr_region_user
    with pytest.raises(services.TooManyJobs):
        services.start_job(kind=JobKind.STATS_EXPORT, actor=hr_prefecture_user, params={"year": 2025})


def test_the_bound_follows_the_setting(client_for, hr_region_user, settings):
    settings.TASKS = DATABASE_TASKS
    settings.JXJY_JOB_MAX_ACTIVE_PER_USER = 1
    client = client_for(hr_region_user)
    job_of(export(client, 2026))
    refused = export(client, 2025)
    assert alerts(client.get(refused["Location"]))[0].startswith("您已有1个下载任务正在排队或生成")


def test_regenerating_while_three_are_under_way_is_refused(client_for, hr_region_user, settings):
    settings.TASKS = DATABASE_TASKS
    client = client_for(hr_region_user)
    failed = Job.objects.create(
        kind=JobKind.STATS_EXPORT, owner=hr_region_user, title="t", params={"year": 2019}, status=JobStatus.FAILED
    )
    for year in (2024, 2025, 2026):
        job_of(export(client, year))
    response = client.post(reverse("jobs:regenerate", args=[failed.pk]), follow=True)
    assert TOO_MANY in alerts(response) and Job.objects.count() == 4
