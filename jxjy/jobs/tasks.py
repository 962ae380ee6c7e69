"""The task the worker runs (`manage.py db_worker`); with JXJY_TASKS=immediate it runs in the request."""

from django_tasks import task

from .runner import run


@task()
def run_job(job_id: int) -> None:
    run(job_id)
