"""The worker's part in 统计分析: a recount when something the running totals were keyed by has changed."""

from django.db import transaction
from django_tasks import task

from . import totals


@task()
def rebuild_totals() -> None:
    totals.rebuild()


def organisation_saving(sender, instance, raw=False, **kwargs) -> None:
    """A unit moved to another 地州 or made another kind: recount everything once the change commits (the
    learners' 达标率 rows recorded the 地州 of the day their hours were credited)."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("prefecture_id", "kind").first()
    if before and (before["prefecture_id"], before["kind"]) != (instance.prefecture_id, instance.kind):
        transaction.on_commit(rebuild_totals.enqueue)
