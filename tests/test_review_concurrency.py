"""Two reviewers pressing 通过 and 退回 on one filing at the same moment: exactly one move happens."""

import threading

import pytest
from django.db import connection, connections

from jxjy.audit import trail as audit
from jxjy.audit.models import AuditEntry
from jxjy.core.errors import DomainError
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine

from .review_helpers import advance

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_approve_and_return_make_exactly_one_move(
    filing, base_user, department_user, hr_region_user, monkeypatch
):
    advance(filing, S.DEPT_REVIEW, base_user=base_user, department_user=department_user, hr_user=hr_region_user)
    colleague = type(department_user).objects.create(
        username="slt2", role=department_user.role, organisation=department_user.organisation
    )
    moves_before = AuditEntry.objects.filter(object_id=str(filing.pk), state_after__gt="").count()

    # Widen the window between reading the state and committing the move.
    real_record = audit.record
    barrier = threading.Barrier(2)

    def slow_record(**kwargs):
        entry = real_record(**kwargs)
        threading.Event().wait(0.3)
        return entry

    monkeypatch.setattr(audit, "record", slow_record)
    results: dict[str, str] = {}

    def press(name, action, actor):
        try:
            barrier.wait()
            engine.perform(filing.__class__.objects.get(pk=filing.pk), action, actor=actor, opinion="意见")
            results[name] = "moved"
        except DomainError as e:
            results[name] = e.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=press, args=("approve", "dept_approve", department_user)),
        threading.Thread(target=press, args=("return", "dept_return", colleague)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results.values()).count("moved") == 1, results
    loser = next(v for v in results.values() if v != "moved")
    assert "不能执行" in loser
    filing.refresh_from_db()
    assert filing.status in (S.DEPT_APPROVED, S.RETURNED)
    assert AuditEntry.objects.filter(object_id=str(filing.pk), state_after__gt="").count() == moves_before + 1
