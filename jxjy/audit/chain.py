"""The audit trail's hash chain: each row's hash covers its content and the previous row's hash.

Writers lock one chain-head row (SELECT … FOR UPDATE on PostgreSQL; SQLite's transactions already take
the write lock when they begin), so rows are numbered and chained in the order they commit.
"""

import datetime as dt
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jxjy.core import clock

from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_PK = 1
# What a row's hash covers, in this order.
CHAINED_FIELDS = (
    "seq", "created_at", "actor_id", "organisation_id", "action", "outcome", "object_type", "object_id",
    "state_before", "state_after", "opinion", "ip", "detail",
)  # fmt: skip
MIN_RETENTION_DAYS = 184


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


def entry_digest(prev_hash: str, values: dict) -> str:
    """sha256 of the previous hash and the row's chained fields as canonical JSON."""
    content = {name: _canonical(values[name]) for name in CHAINED_FIELDS}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def row_values(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in CHAINED_FIELDS}


def locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction; created on first use (or after a test flush)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_PK, last_hash=GENESIS, anchor_hash=GENESIS)
    except IntegrityError:
        pass  # another writer created it first; its lock is what we wait for next
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


def append(entry: AuditEntry) -> AuditEntry:
    """Number, time, chain and insert `entry` (unsaved) under the head's lock."""
    ip_field = AuditEntry._meta.get_field("ip")
    with transaction.atomic():
        head = locked_head()
        entry.seq = head.last_seq + 1
        entry.created_at = clock.now()
        entry.ip = ip_field.get_prep_value(entry.ip) or None
        entry.prev_hash = head.last_hash
        entry.entry_hash = entry_digest(entry.prev_hash, row_values(entry))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=HEAD_PK).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class Break:
    """Where the chain first fails: the row (None when rows are missing at the end) and why."""

    seq: int | None
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第{self.seq}条（id={self.entry_id}）" if self.seq is not None else "链尾"
        return f"{where}：{self.reason}"


def verify() -> tuple[int, Break | None]:
    """Walk the chain in order; return how many rows were checked and the first break, if any."""
    with _snapshot():
        return _walk()


@contextmanager
def _snapshot():
    """Read the head and the rows from one snapshot, so that rows appended meanwhile are no false alarm."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _walk() -> tuple[int, Break | None]:
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    expected_seq = head.anchor_seq if head else 1
    expected_prev = head.anchor_hash if head else GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return checked, Break(entry.seq, entry.pk, f"序号不连续，应为第{expected_seq}条（记录缺失或被插入）")
        if entry.prev_hash != expected_prev:
            return checked, Break(entry.seq, entry.pk, "前一条哈希不符（之前的记录被删除或替换）")
        if entry_digest(entry.prev_hash, row_values(entry)) != entry.entry_hash:
            return checked, Break(entry.seq, entry.pk, "内容与哈希不符（记录被修改）")
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.entry_hash
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return checked, Break(
            None, None, f"链头记录到第{head.last_seq}条，而日志只到第{expected_seq - 1}条（末尾记录被删除）"
        )
    return checked, None


class PurgeRefused(Exception):
    pass


def retention_days() -> int:
    days = settings.JXJY_AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise PurgeRefused(f"JXJY_AUDIT_RETENTION_DAYS 为{days}天，不得少于{MIN_RETENTION_DAYS}天（六个月）。")
    return days


def purge_before(cutoff: dt.datetime, *, now: dt.datetime | None = None) -> int:
    """Delete the rows older than `cutoff` and anchor the chain at the first row kept; return the count.

    Refused when `cutoff` would take rows younger than the retention period, or when the chain is broken
    (the evidence would be destroyed with the rows).
    """
    now = now or clock.now()
    limit = now - dt.timedelta(days=retention_days())
    if cutoff > limit:
        raise PurgeRefused(
            f"只能清理{retention_days()}天以前的审计日志（{timezone.localtime(limit):%Y-%m-%d %H:%M} 以前）。"
        )
    with transaction.atomic():
        head = locked_head()
        _, broken = verify()
        if broken:
            raise PurgeRefused(f"审计日志校验未通过，拒绝清理：{broken}")
        first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("seq").first()
        if first_kept is None:
            raise PurgeRefused("清理后将不剩任何审计日志，已拒绝。")
        old = AuditEntry.objects.filter(seq__lt=first_kept.seq)
        # The application's querysets refuse deletes; the retention purge is the one sanctioned way.
        count = old._raw_delete(old.db)
        head.anchor_seq, head.anchor_hash = first_kept.seq, first_kept.prev_hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
        detail = {"清理早于": timezone.localtime(cutoff).isoformat(), "条数": count, "保留自第几条": first_kept.seq}
        append(AuditEntry(action="清理审计日志", detail=detail))
    return count
