"""The audit trail against someone who can write to its database but holds neither the audit key nor the
checkpoint file: rows deleted at the start, in the middle or at the end, the anchor rewritten with one UPDATE,
a row rewritten and every later hash recomputed (SHA-256 or SM3, no key) — `verify_audit` names each in
Chinese and fails. A rewrite by a key holder is caught by the checkpoints; a checkpoint cannot be forged."""

import datetime as dt
import io
import json
import socket

import pytest
import time_machine
from django.core.management import call_command

from jxjy.audit import chain as audit_chain
from jxjy.audit import checkpoints, keys, verification
from jxjy.audit.digest import content, legacy_digest, row_values
from jxjy.audit.models import AuditEntry
from jxjy.core import clock, gm

from .audit_helpers import lines_of, refused, rehash_from, sql, verify, write


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.JXJY_AUDIT_CHECKPOINT_FILE = str(path)
    return path


# ---- the key ----


def test_each_hash_is_an_hmac_sm3_under_the_key_kept_outside_the_database(db, settings):
    (entry,) = write(1)
    key = gm.derive_key(settings.SECRET_KEY.encode(), keys.CHAIN_INFO, 32)
    assert entry.entry_hash == gm.hmac_sm3_hex(key, content(entry.prev_hash, row_values(entry)))
    assert entry.entry_hash != legacy_digest(entry.prev_hash, row_values(entry))
    settings.JXJY_AUDIT_KEY = "another secret"  # the operator's own key wins over SECRET_KEY
    assert "第1条" in (message := refused()) and "内容与哈希不符" in message


@pytest.mark.parametrize(
    "digest",
    [legacy_digest, lambda prev, values: gm.sm3_hex(content(prev, values))],
    ids=["sha256", "sm3"],
)
def test_a_row_rewritten_and_everything_after_it_rehashed_without_the_key_is_found(db, digest):
    entries = write(5)
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["改过", entries[2].pk])
    rehash_from(3, digest)
    message = refused()
    assert f"第3条（id={entries[2].pk}）" in message and "内容与哈希不符" in message


# ---- deletions ----


def test_rows_deleted_at_the_start_are_found(db):
    entries = write(4)
    sql("DELETE FROM {entry} WHERE id IN (%s, %s)", [entries[0].pk, entries[1].pk])
    assert "序号不连续，应为第1条" in refused()


def test_rows_deleted_at_the_start_with_the_anchor_rewritten_in_one_update_are_found(db):
    entries = write(4)
    sql("DELETE FROM {entry} WHERE id IN (%s, %s)", [entries[0].pk, entries[1].pk])
    sql("UPDATE {head} SET anchor_seq = %s, anchor_hash = %s", [3, entries[2].prev_hash])
    message = refused()
    assert f"第3条（id={entries[2].pk}）" in message and "没有相应的清理审计日志记录" in message


def test_the_anchor_rewritten_alone_is_found(db):
    write(3)
    sql("UPDATE {head} SET anchor_seq = %s", [2])
    assert "链头锚点为第2条" in refused()


def test_a_row_deleted_in_the_middle_is_found(db):
    entries = write(5)
    sql("DELETE FROM {entry} WHERE id = %s", [entries[2].pk])
    message = refused()
    assert "第4条" in message and "序号不连续，应为第3条" in message


def test_rows_deleted_at_the_end_with_the_head_rewritten_are_found_by_the_checkpoint(db, checkpoint_file):
    entries = write(5)
    assert "审计日志校验通过：共5条" in verify()
    sql("DELETE FROM {entry} WHERE id IN (%s, %s)", [entries[3].pk, entries[4].pk])
    sql("UPDATE {head} SET last_seq = %s, last_hash = %s", [3, entries[2].entry_hash])
    assert audit_chain.verify() == (3, None)  # the chain alone cannot tell
    message = refused()
    assert "链尾（检查点文件第1行）" in message and "日志已到第5条，现在只到第3条（末尾的记录被删除）" in message


def test_without_a_checkpoint_file_verify_says_what_it_cannot_check(db):
    write(2)
    err = io.StringIO()
    call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    assert "未配置检查点" in err.getvalue()


# ---- checkpoints ----


def test_verify_appends_a_keyed_checkpoint_with_its_result(db, checkpoint_file):
    entries = write(3)
    out = verify()
    assert "共3条，哈希链完整，与0个检查点一致" in out and f"链尾：第3条，哈希 {entries[2].entry_hash}" in out
    (line,) = lines_of(checkpoint_file)
    assert line["reason"] == "校验" and line["ok"] and line["note"] == "通过"
    assert (line["seq"], line["id"], line["hash"]) == (3, entries[2].pk, entries[2].entry_hash)
    assert (line["anchor_seq"], line["anchor_hash"]) == (1, audit_chain.GENESIS)
    assert line["mac"] == checkpoints.mac({k: v for k, v in line.items() if k != "mac"})
    write(1)
    assert "共4条，哈希链完整，与1个检查点一致" in verify()


def test_a_rewrite_by_someone_holding_the_key_is_found_by_the_checkpoints(db, checkpoint_file):
    entries = write(4)
    verify()
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["改过", entries[1].pk])
    rehash_from(2, audit_chain.entry_digest)
    assert audit_chain.verify() == (4, None)
    message = refused()
    assert f"第4条（id={entries[3].pk}）" in message and "与检查点" in message and "哈希不符" in message


def test_a_forged_or_changed_checkpoint_is_refused(db, checkpoint_file):
    write(2)
    verify()
    line = lines_of(checkpoint_file)[0]
    forged = {**line, "seq": 1}
    forged["mac"] = gm.hmac_sm3_hex(b"guessed key", json.dumps(forged).encode())
    with checkpoint_file.open("a") as f:
        f.write(json.dumps(forged, ensure_ascii=False) + "\n")
    assert "检查点文件第2行：不是有效的检查点" in refused()


def test_a_failed_verification_is_recorded_but_not_trusted(db, checkpoint_file):
    entries = write(3)
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["改过", entries[2].pk])
    refused()
    (line,) = lines_of(checkpoint_file)
    assert not line["ok"] and line["note"].startswith("失败：第3条")
    sql("UPDATE {entry} SET opinion = %s WHERE id = %s", ["", entries[2].pk])  # restored from a backup
    assert "共3条" in verify()


def test_the_task_worker_writes_a_checkpoint_every_hour(db, settings, checkpoint_file):
    assert ("jxjy.audit.checkpoints.periodic_checkpoint", 3600) in settings.JXJY_WORKER_SWEEPS
    entries = write(2)
    checkpoints.periodic_checkpoint()
    (line,) = lines_of(checkpoint_file)
    assert line["reason"] == "定时" and line["ok"] and line["seq"] == 2 and line["hash"] == entries[1].entry_hash


def test_checkpoints_also_go_to_syslog(db, settings):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.JXJY_AUDIT_CHECKPOINT_FILE = ""
    settings.JXJY_AUDIT_CHECKPOINT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        write(1)
        checkpoints.periodic_checkpoint()
        message = receiver.recv(65536).decode()
    finally:
        receiver.close()
    assert "jxjy-audit-checkpoint:" in message
    cp = checkpoints.decode(message.split("jxjy-audit-checkpoint: ", 1)[1].strip("\x00\n"))
    assert cp is not None and cp.seq == 1 and cp.reason == "定时"


# ---- purge ----


@pytest.mark.date_sweep
def test_purge_is_logged_checkpointed_and_still_verifies(db, checkpoint_file, django_capture_on_commit_callbacks):
    with time_machine.travel(clock.now() - dt.timedelta(days=400)):
        write(3)
    verify()
    kept = write(2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_audit", days=200, stdout=io.StringIO())
    purge_line = lines_of(checkpoint_file)[-1]
    assert purge_line["reason"] == "清理" and purge_line["anchor_seq"] == kept[0].seq == 4
    assert purge_line["anchor_hash"] == kept[0].prev_hash
    purge = AuditEntry.objects.get(action="purge_audit")
    assert purge.detail["保留自第几条"] == 4 and purge.detail["锚定哈希"] == kept[0].prev_hash
    assert "共3条" in verify()
    # Deleting the oldest kept row as well, with the anchor moved past it, is not explained by the purge.
    sql("DELETE FROM {entry} WHERE id = %s", [kept[0].pk])
    sql("UPDATE {head} SET anchor_seq = %s, anchor_hash = %s", [5, kept[1].prev_hash])
    assert "没有相应的清理审计日志记录" in refused()


def test_rows_dropped_at_the_start_since_the_last_checkpoint_need_a_purge(db, checkpoint_file):
    """The checkpoint's anchor, checked on its own: a start that moved since needs a purge row naming it."""
    entries = write(4)
    verify()
    sql("DELETE FROM {entry} WHERE id = %s", [entries[0].pk])
    sql("UPDATE {head} SET anchor_seq = %s, anchor_hash = %s", [2, entries[1].prev_hash])
    broken = verification.against_checkpoints(checkpoints.read_all())
    assert broken.seq == 2 and "日志从第1条开始，现在从第2条开始" in broken.reason
