"""The audit trail's hash chain: each row's hash is an HMAC-SM3, under a key kept outside the database
(keys.py), of its content and the previous row's hash (digest.py).

Writers lock one chain-head row (SELECT … FOR UPDATE on PostgreSQL; SQLite's transactions already take
the write lock when they begin), so rows are numbered and chained in the order they commit. The head also
says where the chain starts after a retention purge; that anchor holds only if the newest 清理审计日志 row,
itself in the keyed chain, names it. Checkpoints outside the database (checkpoints.py) guard the other end.
"""

import datetime as dt
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from jxjy.core import clock
from jxjy.core.records import recorded

from . import checkpoints
from .digest import CHAINED_FIELDS, GENESIS, entry_digest, row_values
from .models import AuditAction, AuditChainHead, AuditEntry

__all__ = ["CHAINED_FIELDS", "GENESIS", "entry_digest", "row_values"]  # the chain's vocabulary, kept here too

HEAD_PK = 1
MIN_RETENTION_DAYS = 184
PURGE_ACTION = AuditAction.PURGE
KEPT_FROM, ANCHOR_HASH = (
    gettext_noop("保留自第几条"),
    gettext_noop("锚定哈希"),
)  # what the purge's row says the chain starts from

logger = logging.getLogger(__name__)


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
    # Inside the caller's transaction (the rule: the entry commits with the change it records) no savepoint of
    # its own: a failure here is the whole change's failure. Alone, a transaction of its own.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        entry.seq = head.last_seq + 1
        entry.created_at = clock.now()
        entry.ip = ip_field.get_prep_value(entry.ip) or None
        entry.prev_hash = head.last_hash
        for name in ("state_before", "state_after", "opinion", "detail"):  # written in the platform's language
            setattr(entry, name, recorded(getattr(entry, name)))
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
    where: str = ""  # instead of the row: 链尾, 检查点文件第3行 …

    def __str__(self) -> str:
        where = self.where or (
            (gettext("第%(seq)s条（id=%(entry_id)s）") % {"seq": self.seq, "entry_id": self.entry_id})
            if self.seq is not None
            else gettext("链尾")
        )
        return f"{where}：{self.reason}"


def verify() -> tuple[int, Break | None]:
    """Walk the chain in order; return how many rows were checked and the first break, if any."""
    with snapshot():
        return walk()


@contextmanager
def snapshot():
    """Read the head and the rows from one snapshot, so that rows appended meanwhile are no false alarm."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def walk() -> tuple[int, Break | None]:
    """The chain from its anchor to the head, inside a snapshot (see `verify`)."""
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if broken := unexplained_anchor(head):
        return 0, broken
    expected_seq = head.anchor_seq if head else 1
    expected_prev = head.anchor_hash if head else GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if broken := _row_break(entry, expected_seq, expected_prev):
            return checked, broken
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.entry_hash
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return checked, Break(
            None,
            None,
            (
                gettext("链头记录到第%(last_seq)s条，而日志只到第%(expected_seq)s条（末尾记录被删除）")
                % {"last_seq": head.last_seq, "expected_seq": expected_seq - 1}
            ),
        )
    return checked, None


def _row_break(entry: AuditEntry, expected_seq: int, expected_prev: str) -> Break | None:
    if entry.seq != expected_seq:
        return Break(
            entry.seq,
            entry.pk,
            (gettext("序号不连续，应为第%(expected_seq)s条（记录缺失或被插入）") % {"expected_seq": expected_seq}),
        )
    if entry.prev_hash != expected_prev:
        return Break(entry.seq, entry.pk, gettext("前一条哈希不符（之前的记录被删除或替换）"))
    if entry_digest(entry.prev_hash, row_values(entry)) != entry.entry_hash:
        return Break(entry.seq, entry.pk, gettext("内容与哈希不符（记录被修改，或哈希不是用审计密钥计算的）"))
    return None


def last_purge() -> AuditEntry | None:
    return AuditEntry.objects.filter(action=PURGE_ACTION, actor__isnull=True).order_by("-seq").first()


def purge_explains(anchor_seq: int, anchor_hash: str | None = None) -> bool:
    """Whether the newest purge row (keyed like every row, so no forgery) says the chain starts there."""
    purge = last_purge()
    if purge is None or purge.detail.get(KEPT_FROM) != anchor_seq:
        return False
    return anchor_hash is None or purge.detail.get(ANCHOR_HASH, anchor_hash) == anchor_hash  # older rows: no hash


def unexplained_anchor(head: AuditChainHead | None) -> Break | None:
    """A head anchored later than row 1 that no purge explains: rows were deleted at the start and the
    anchor rewritten to hide it."""
    if head is None or (head.anchor_seq, head.anchor_hash) == (1, GENESIS):
        return None
    if purge_explains(head.anchor_seq, head.anchor_hash):
        return None
    first = AuditEntry.objects.order_by("seq").first()
    return Break(
        first.seq if first else None,
        first.pk if first else None,
        (
            gettext("链头锚点为第%(anchor_seq)s条，但没有相应的清理审计日志记录（开头的记录被删除，锚点被改写）")
            % {"anchor_seq": head.anchor_seq}
        ),
        where="" if first else gettext("链头"),
    )


class PurgeRefused(Exception):
    pass


def retention_days() -> int:
    days = settings.JXJY_AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise PurgeRefused(
            gettext("JXJY_AUDIT_RETENTION_DAYS 为%(days)s天，不得少于%(min_retention_days)s天（六个月）。")
            % {"days": days, "min_retention_days": MIN_RETENTION_DAYS}
        )
    return days


def purge_before(cutoff: dt.datetime, *, now: dt.datetime | None = None) -> int:
    """Delete the rows older than `cutoff` and anchor the chain at the first row kept; return the count.

    Refused when `cutoff` would take rows younger than the retention period, or when the chain is broken
    (the evidence would be destroyed with the rows). The purge's own row names the new anchor, and once it
    has committed a checkpoint records it outside the database.
    """
    now = now or clock.now()
    limit = now - dt.timedelta(days=retention_days())
    if cutoff > limit:
        raise PurgeRefused(
            gettext("只能清理%(retention_days)s天以前的审计日志（%(localtime)s 以前）。")
            % {"retention_days": retention_days(), "localtime": format(timezone.localtime(limit), "%Y-%m-%d %H:%M")}
        )
    with transaction.atomic():
        head = locked_head()
        _, broken = verify()
        if broken:
            raise PurgeRefused(gettext("审计日志校验未通过，拒绝清理：%(broken)s") % {"broken": broken})
        first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("seq").first()
        if first_kept is None:
            raise PurgeRefused(gettext("清理后将不剩任何审计日志，已拒绝。"))
        old = AuditEntry.objects.filter(seq__lt=first_kept.seq)
        # The application's querysets refuse deletes; the retention purge is the one sanctioned way.
        count = old._raw_delete(old.db)
        head.anchor_seq, head.anchor_hash = first_kept.seq, first_kept.prev_hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
        detail = {"清理早于": timezone.localtime(cutoff).isoformat(), "条数": count, KEPT_FROM: first_kept.seq}
        append(AuditEntry(action=PURGE_ACTION, detail={**detail, ANCHOR_HASH: first_kept.prev_hash}))
        transaction.on_commit(lambda: checkpoint_after(checkpoints.PURGED))
    return count


def checkpoint_after(reason: str) -> None:
    """A checkpoint of a change the chain's keepers made (a purge, a re-chain), once it has committed."""
    if not checkpoints.configured():
        return
    try:
        checkpoints.write(checkpoints.current(reason=reason))
    except OSError:
        logger.exception("审计检查点写入失败（%s）", reason)
