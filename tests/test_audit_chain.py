"""The audit trail's hash chain: a row changed, removed or slipped in behind the application's back is
found and named by `verify_audit`; `purge_audit` keeps six months and leaves a chain that still verifies."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, connections

from jxjy.audit import chain as audit_chain
from jxjy.audit import trail as audit
from jxjy.audit.models import AuditEntry
from jxjy.core import clock

from . import clock as test_clock


def write(n: int, actor=None, **kwargs) -> list[AuditEntry]:
    return [audit.record(actor=actor, action=f"测试{i}", detail={"序": i}, **kwargs) for i in range(n)]


def raw(sql: str, params: list) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", table), params)


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_rows_are_numbered_and_chained(db, base_user):
    first, second, third = write(3, actor=base_user)
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    assert first.prev_hash == audit_chain.GENESIS
    output = verify_output()
    assert "共3条" in output and f"链尾：第3条，哈希 {third.entry_hash}" in output


def test_a_row_changed_with_raw_sql_is_named(db, base_user):
    entries = write(4, actor=base_user)
    raw("UPDATE {table} SET opinion = %s WHERE id = %s", ["改过", entries[2].pk])
    with pytest.raises(CommandError) as failure:
        verify_output()
    assert f"第3条（id={entries[2].pk}）" in str(failure.value) and "内容与哈希不符" in str(failure.value)


def test_a_changed_time_or_ip_is_found(db, base_user):
    entries = write(2, actor=base_user)
    raw("UPDATE {table} SET ip = %s WHERE id = %s", ["10.0.0.9", entries[0].pk])
    _, broken = audit_chain.verify()
    assert broken.seq == 1


def test_a_row_deleted_from_the_middle_is_found(db):
    entries = write(3)
    raw("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=r"第3条.*序号不连续"):
        verify_output()


def test_the_last_rows_deleted_are_found(db):
    entries = write(3)
    raw("DELETE FROM {table} WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match="末尾记录被删除"):
        verify_output()


def test_a_rehashed_forgery_breaks_the_next_row(db):
    """Recomputing a tampered row's own hash does not help: the next row points at the old one."""
    entries = write(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.opinion = "改过"
    new_hash = audit_chain.entry_digest(forged.prev_hash, audit_chain.row_values(forged))
    raw("UPDATE {table} SET opinion = %s, entry_hash = %s WHERE id = %s", ["改过", new_hash, forged.pk])
    _, broken = audit_chain.verify()
    assert broken.seq == 3 and "前一条哈希不符" in broken.reason


def test_the_application_cannot_change_or_delete_rows_in_bulk(db):
    write(2)
    with pytest.raises(RuntimeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.update(opinion="改过")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.bulk_create([AuditEntry(action="伪造")])
    assert AuditEntry.objects.count() == 2


def _write_at(when: dt.datetime, n: int) -> list[AuditEntry]:
    with time_machine.travel(when):
        return write(n)


@pytest.mark.date_sweep
def test_purge_keeps_the_retention_period_and_the_chain_verifies(db, monkeypatch):
    now = clock.now()
    _write_at(now - dt.timedelta(days=400), 3)
    kept = _write_at(now - dt.timedelta(days=100), 2)
    call_command("purge_audit", days=200)
    remaining = list(AuditEntry.objects.order_by("seq"))
    assert [e.pk for e in remaining[:2]] == [e.pk for e in kept]
    purge_entry = remaining[-1]
    assert purge_entry.action == "purge_audit" and purge_entry.detail["条数"] == 3
    assert "共3条" in verify_output()
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["改过", kept[0].pk])
    with pytest.raises(CommandError, match=f"第4条（id={kept[0].pk}）"):
        verify_output()


@pytest.mark.date_sweep
def test_purge_refuses_anything_younger_than_the_retention_period(db, monkeypatch):
    old = _write_at(clock.now() - dt.timedelta(days=190), 2)
    with pytest.raises(CommandError, match="184天以前"):
        call_command("purge_audit", days=183)
    too_recent = (clock.today() - dt.timedelta(days=100)).isoformat()
    with pytest.raises(CommandError, match="184天以前"):
        call_command("purge_audit", "--before", too_recent)
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in old]).count() == 2


@pytest.mark.date_sweep
def test_purge_before_a_date_means_midnight_in_urumqi(db, settings):
    """`--before D` removes what is older than 00:00 of D in Ürümqi (16:00 UTC the day before), and D may be at
    most 184 days back: 184 days back from 1 January 2028 is 1 July 2027, from 29 February 2028 30 August 2027."""
    settings.JXJY_AUDIT_RETENTION_DAYS = 184
    day = clock.today() - dt.timedelta(days=184)
    midnight = dt.datetime.combine(day, dt.time.min, tzinfo=test_clock.SHANGHAI)
    (gone,) = _write_at(midnight - dt.timedelta(minutes=1), 1)
    (kept,) = _write_at(midnight + dt.timedelta(minutes=1), 1)  # still the day before in UTC
    with pytest.raises(CommandError, match="只能清理184天以前的审计日志"):
        call_command("purge_audit", "--before", (day + dt.timedelta(days=1)).isoformat())
    out = io.StringIO()
    call_command("purge_audit", "--before", day.isoformat(), stdout=out)
    assert out.getvalue().strip() == f"已清理1条审计日志（{day:%Y-%m-%d} 00:00 以前）。"
    remaining = list(AuditEntry.objects.order_by("seq"))
    assert remaining[0].pk == kept.pk and not AuditEntry.objects.filter(pk=gone.pk).exists()
    assert remaining[-1].detail["清理早于"] == midnight.isoformat()
    assert "共2条" in verify_output()


def test_purge_refuses_a_retention_setting_below_six_months(db, settings, monkeypatch):
    settings.JXJY_AUDIT_RETENTION_DAYS = 30
    _write_at(clock.now() - dt.timedelta(days=400), 2)
    with pytest.raises(CommandError, match="不得少于184天"):
        call_command("purge_audit", days=300)
    assert AuditEntry.objects.count() == 2


def test_purge_refuses_a_broken_chain(db, monkeypatch):
    old = _write_at(clock.now() - dt.timedelta(days=400), 2)
    write(1)
    raw("UPDATE {table} SET opinion = %s WHERE id = %s", ["改过", old[0].pk])
    with pytest.raises(CommandError, match="拒绝清理"):
        call_command("purge_audit", days=200)
    assert AuditEntry.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    audit.record(actor=None, action="开始")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                audit.record(actor=None, action=f"并发{n}-{i}")
        except BaseException as e:  # reported below; a thread's exception would otherwise vanish
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 42))
    assert audit_chain.verify() == (41, None)
