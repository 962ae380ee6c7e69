"""An upgraded database: rows written with the unkeyed SHA-256 chain before migration audit.0002 verify after it,
and rows that stored words before audit.0003 store codes after it, their chain re-hashed — through the real
migrations (historical models) on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jxjy.audit import chain as audit_chain
from jxjy.audit import checkpoints, verification
from jxjy.audit.digest import GENESIS, entry_digest, legacy_digest, row_values
from jxjy.audit.models import AuditEntry
from jxjy.core import clock

BEFORE = [("audit", "0001_from_core")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def legacy_chain(old_apps, n: int) -> None:
    """Rows and head as the platform wrote them before the chain was keyed."""
    Entry, Head = old_apps.get_model("audit", "AuditEntry"), old_apps.get_model("audit", "AuditChainHead")
    assert not Entry.objects.exists()
    prev = GENESIS
    for seq in range(1, n + 1):
        entry = Entry(seq=seq, created_at=clock.now(), action=f"升级前{seq}", detail={"序": seq}, prev_hash=prev)
        entry.entry_hash = prev = legacy_digest(prev, row_values(entry))
        entry.save()
    head = {"last_seq": n, "last_hash": prev, "anchor_seq": 1, "anchor_hash": GENESIS}
    Head.objects.update_or_create(pk=1, defaults=head)  # the migrations made it, empty


def test_a_legacy_chain_verifies_after_the_upgrade_and_later_rows_chain_on(capsys):
    legacy_chain(migrate(BEFORE), 3)
    migrate(latest())
    assert "重建：3条" in capsys.readouterr().out
    assert audit_chain.verify() == (3, None)
    audit_chain.append(AuditEntry(action="升级后"))
    assert audit_chain.verify() == (4, None)


CODES_BEFORE = [("audit", "0002_keyed_chain")]
# (action, object type, state before, state after) as rows were written with words.
WORDED = [
    ("登录", "", "", ""),
    ("提交", "filings.prefiling", "draft", "dept_review"),
    ("通过", "filings.prefiling", "dept_review", "dept_approved"),
    ("提交", "filings.prefiling", "dept_approved", "hr_review"),
    ("通过", "filings.prefiling", "hr_review", "approved"),
    ("停用账号", "accounts.user", "启用", "停用"),
    ("升级前的操作", "", "", ""),  # words nobody declared
]


def worded_chain(old_apps, *, tamper: bool = False) -> None:
    """Rows and head as the keyed chain held them while entries stored words."""
    Entry, Head = old_apps.get_model("audit", "AuditEntry"), old_apps.get_model("audit", "AuditChainHead")
    prev = GENESIS
    for seq, (action, object_type, before, after) in enumerate(WORDED, start=1):
        entry = Entry(seq=seq, created_at=clock.now(), action=action, object_type=object_type, object_id="7",
                      state_before=before, state_after=after, prev_hash=prev)  # fmt: skip
        entry.entry_hash = prev = entry_digest(prev, row_values(entry))
        if tamper and seq == 3:
            entry.opinion = "改过"
        entry.save()
    head = {"last_seq": len(WORDED), "last_hash": prev, "anchor_seq": 1, "anchor_hash": GENESIS}
    Head.objects.update_or_create(pk=1, defaults=head)


def test_words_become_codes_and_the_chain_verifies_after(capsys, settings, tmp_path):
    settings.JXJY_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    worded_chain(migrate(CODES_BEFORE))
    checkpoints.write(checkpoints.current(reason=checkpoints.PERIODIC))  # a checkpoint saw the old hashes
    migrate(latest())
    assert "已改为代码：6条，哈希链已重建：7条" in capsys.readouterr().out
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in rows] == [
        "login", "submit", "dept_approve", "forward", "hr_approve", "disable_account", "升级前的操作"
    ]  # fmt: skip
    assert [e.action_label for e in rows] == [w for w, *_ in WORDED]
    assert audit_chain.verify() == (7, None)
    report = verification.run()
    assert report.ok and any("重建" in note for note in report.notes), report.summary()
    audit_chain.append(AuditEntry(action="login"))
    assert audit_chain.verify() == (8, None)


def test_a_broken_chain_keeps_its_words_for_verify_to_report(capsys):
    worded_chain(migrate(CODES_BEFORE), tamper=True)
    migrate(latest())
    assert "未改为代码" in capsys.readouterr().out
    assert [e.action for e in AuditEntry.objects.order_by("seq")] == [w for w, *_ in WORDED]
    checked, broken = audit_chain.verify()
    assert (checked, broken.seq) == (2, 3)
