"""Upgrading to the keyed chain: rows hashed with the unkeyed SHA-256 of before are re-hashed under the audit
key by migration 0002 (or `manage.py rechain_audit`) — but only when they still verify as they are, so that
re-chaining never launders a tampered row. A changed key is handled the same way (--old-key-env)."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from jxjy.audit import chain as audit_chain
from jxjy.audit.digest import legacy_digest
from jxjy.audit.models import AuditEntry

from .audit_helpers import lines_of, rehash_from, sql, verify, write

migration = importlib.import_module("jxjy.audit.migrations.0002_keyed_chain")


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.JXJY_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def legacy_rows(n: int) -> list[AuditEntry]:
    """Rows as the platform wrote them before the chain was keyed."""
    entries = write(n)
    rehash_from(1, legacy_digest)
    return entries


def test_the_migration_rechains_a_legacy_chain_that_verifies(db, capsys):
    legacy_rows(3)
    assert "内容与哈希不符" in str(audit_chain.verify()[1])
    migration.rechain(apps, None)
    assert "重建：3条" in capsys.readouterr().out
    assert audit_chain.verify() == (3, None)


def test_the_migration_leaves_a_tampered_legacy_chain_for_verify_to_report(db, capsys):
    entries = legacy_rows(3)
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["改过", entries[1].pk])
    migration.rechain(apps, None)
    assert "审计日志未重建" in capsys.readouterr().out
    assert audit_chain.verify()[1].seq == 1  # still the old hashes: nothing was laundered


def test_rechain_audit_records_itself_and_checkpoints_the_new_head(
    db, checkpoint_file, django_capture_on_commit_callbacks
):
    legacy_rows(3)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rechain_audit", stdout=out)
    assert "已按审计密钥重建哈希链：3条" in out.getvalue()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "rechain_audit" and entry.detail["条数"] == 3 and not entry.detail["强制"]
    (line,) = lines_of(checkpoint_file)
    assert line["reason"] == "重建" and line["seq"] == 4 and line["hash"] == entry.entry_hash
    assert "共4条" in verify()
    again = io.StringIO()
    call_command("rechain_audit", stdout=again)
    assert "无需重建" in again.getvalue()


def test_rechain_refuses_a_broken_chain_unless_forced(db):
    entries = legacy_rows(3)
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["改过", entries[1].pk])
    with pytest.raises(CommandError, match=r"第2条.*拒绝重建.*--force"):
        call_command("rechain_audit", stdout=io.StringIO())
    call_command("rechain_audit", "--force", stdout=io.StringIO())
    assert AuditEntry.objects.order_by("-seq").first().detail["强制"] is True
    assert audit_chain.verify() == (4, None)


def test_a_changed_key_is_rechained_from_the_old_one(db, settings, monkeypatch):
    settings.JXJY_AUDIT_KEY = "the old secret"
    write(2)
    settings.JXJY_AUDIT_KEY = "the new secret"
    assert audit_chain.verify()[1] is not None
    with pytest.raises(CommandError, match="环境变量 OLD_AUDIT_KEY 未设置"):
        call_command("rechain_audit", "--old-key-env", "OLD_AUDIT_KEY")
    monkeypatch.setenv("OLD_AUDIT_KEY", "a wrong guess")
    with pytest.raises(CommandError, match="拒绝重建"):
        call_command("rechain_audit", "--old-key-env", "OLD_AUDIT_KEY")
    monkeypatch.setenv("OLD_AUDIT_KEY", "the old secret")
    call_command("rechain_audit", "--old-key-env", "OLD_AUDIT_KEY", stdout=io.StringIO())
    assert audit_chain.verify() == (3, None)


def test_after_a_key_change_the_rechains_checkpoint_guards_the_end(
    db, settings, monkeypatch, checkpoint_file, django_capture_on_commit_callbacks
):
    settings.JXJY_AUDIT_KEY = "the old secret"
    entries = write(3)
    verify()
    settings.JXJY_AUDIT_KEY = "the new secret"
    monkeypatch.setenv("OLD_AUDIT_KEY", "the old secret")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rechain_audit", "--old-key-env", "OLD_AUDIT_KEY", stdout=io.StringIO())
    err = io.StringIO()
    call_command("verify_audit", stdout=io.StringIO(), stderr=err)  # the line of the old key is passed over
    assert "哈希链曾于" in err.getvalue() and "重建之前的1行检查点无法用当前审计密钥核对" in err.getvalue()
    third = AuditEntry.objects.get(pk=entries[2].pk)
    sql("DELETE FROM {entry} WHERE seq = %s", [4])
    sql("UPDATE {head} SET last_seq = %s, last_hash = %s", [3, third.entry_hash])
    with pytest.raises(CommandError, match="末尾的记录被删除"):
        verify()
