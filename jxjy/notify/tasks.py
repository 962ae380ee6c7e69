"""The task the outbox enqueues after each commit that wrote to it, and that plans itself again for retries."""

from datetime import datetime

from django.db import transaction
from django_tasks import default_task_backend, task

from jxjy.core import clock

from . import delivery
from .models import SweepPlan


@task()
def deliver_outbox() -> None:
    delivery.deliver_due()
    plan_next_sweep()


def plan_next_sweep() -> datetime | None:
    """Enqueue the delivery again for the next row still 待发送 (a retry's time), unless a sweep is already
    planned by then; returns when it will run. A task backend that cannot defer (the immediate one) plans
    nothing: `manage.py deliver_outbox` on a timer is the sweep then."""
    due = delivery.next_due()
    if due is None or not default_task_backend.supports_defer:
        return None
    now = clock.now()
    with transaction.atomic():
        plan, _ = SweepPlan.objects.select_for_update().get_or_create(pk=1)
        if plan.run_after and now < plan.run_after <= due:
            return plan.run_after  # an earlier sweep is planned and has not run yet
        plan.run_after = max(due, now)
        plan.save(update_fields=["run_after"])
        # With the database backend the task's row is written in this transaction, with the plan.
        deliver_outbox.using(run_after=plan.run_after).enqueue()
    return plan.run_after
