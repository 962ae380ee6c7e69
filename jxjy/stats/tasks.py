"""The worker's part in 统计分析: a recount when something the running totals were keyed by has changed."""

from django_tasks import task


@task()
def rebuild_totals() -> None:
    from . import totals

    totals.rebuild()
