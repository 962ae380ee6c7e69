"""A real task worker (`manage.py task_worker`, production settings, its own process) runs a queued job."""

import io
import subprocess
import sys

import openpyxl
import pytest
from django.urls import reverse

from jxjy.jobs.models import Job, JobStatus

from .job_helpers import job_file, job_of
from .service_helpers import ROOT, on_postgresql, prod_env

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_process_builds_the_queued_export(client_for, auditor_user, settings, base, base_user):
    from demo import factories as f

    f.complete_filing(base, base_user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(auditor_user)
    response = client.post(reverse("core:audit_export"))
    assert job_of(response).status == JobStatus.QUEUED

    worker = subprocess.run(
        [sys.executable, "manage.py", "task_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=prod_env(MEDIA_ROOT=settings.MEDIA_ROOT), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.done == job.total > 0
    rows = list(openpyxl.load_workbook(io.BytesIO(job_file(client, response))).active.values)
    assert rows[0][0] == "时间" and len(rows) == job.total + 1
