"""Re-chaining: every row's hash computed again under the current key (HMAC-SM3, digest.py).

Needed once on upgrade, when the rows still carry the unkeyed SHA-256 of before (migration 0002 does it, or
`manage.py rechain_audit`), and after the secret changes (`rechain_audit --old-key-env NAME`). It re-hashes
only a chain that verifies as it is, under the old algorithm or key, so that it never launders tampering;
`--force` re-hashes a broken one after its break has been looked into, and says so in the trail. Rows are
never renumbered: a gap stays a gap.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from jxjy.core import gm

from . import chain, checkpoints
from .digest import content, entry_digest, legacy_digest, row_values
from .keys import chain_key
from .models import AuditAction, AuditChainHead, AuditEntry

Digest = Callable[[str, dict], str]
ACTION = AuditAction.RECHAIN
BATCH = 1000


class RechainRefused(Exception):
    pass


def digest_under(secret: str) -> Digest:
    """The chain's digest under another secret than the current one (an old JXJY_AUDIT_KEY)."""
    key = chain_key(secret)
    return lambda prev_hash, values: gm.hmac_sm3_hex(key, content(prev_hash, values))


def first_break(entry_model, head, digest: Digest) -> str | None:
    """Where the rows stop verifying under `digest` (the chain walk of chain.py, for any model state)."""
    expected_seq, expected_prev = head.anchor_seq, head.anchor_hash
    for row in entry_model._base_manager.order_by("seq").iterator(chunk_size=2000):
        if row.seq != expected_seq or row.prev_hash != expected_prev:
            return _("第%(seq)s条（id=%(pk)s）：序号或前一条哈希不符") % {"seq": row.seq, "pk": row.pk}
        if digest(row.prev_hash, row_values(row)) != row.entry_hash:
            return _("第%(seq)s条（id=%(pk)s）：内容与哈希不符") % {"seq": row.seq, "pk": row.pk}
        expected_seq, expected_prev = row.seq + 1, row.entry_hash
    if (head.last_seq, head.last_hash) != (expected_seq - 1, expected_prev):
        return _("链头记录到第%(last_seq)s条，而日志只到第%(expected_seq)s条") % {
            "last_seq": head.last_seq,
            "expected_seq": expected_seq - 1,
        }
    return None


def rehash(entry_model, head_model, *, old: Digest | None = legacy_digest, force: bool = False) -> int:
    """Re-hash every row under the current key, in one transaction; return how many (0: already keyed).

    Refused (RechainRefused) when the rows verify neither under the current key nor under `old`, unless
    `force`. Works on the live models and on a migration's historical ones alike.
    """
    with transaction.atomic():
        head = head_model.objects.select_for_update().filter(pk=chain.HEAD_PK).first()
        if head is None or not entry_model._base_manager.exists():
            return 0
        if not force:
            if first_break(entry_model, head, entry_digest) is None:
                return 0
            broken = first_break(entry_model, head, old) if old else _("未提供旧算法或旧密钥")
            if broken:
                raise RechainRefused(
                    _("哈希链按旧算法（或旧密钥）也校验不通过（%(broken)s），拒绝重建。") % {"broken": broken}
                )
        count, prev = _rewrite(entry_model, head.anchor_hash)
        head_model.objects.filter(pk=chain.HEAD_PK).update(last_hash=prev)
    return count


def _rewrite(entry_model, prev: str) -> tuple[int, str]:
    count, batch = 0, []
    for row in entry_model._base_manager.order_by("seq").iterator(chunk_size=2000):
        row.prev_hash = prev
        row.entry_hash = prev = entry_digest(prev, row_values(row))
        batch.append(row)
        if len(batch) == BATCH:
            entry_model._base_manager.bulk_update(batch, ["prev_hash", "entry_hash"])
            count, batch = count + len(batch), []
    entry_model._base_manager.bulk_update(batch, ["prev_hash", "entry_hash"])
    return count + len(batch), prev


def rechain(*, old: Digest | None = legacy_digest, force: bool = False, why: str) -> int:
    """`manage.py rechain_audit`: re-hash the live rows, record it in the trail, and checkpoint the new head."""
    with transaction.atomic():
        count = rehash(AuditEntry, AuditChainHead, old=old, force=force)
        if count:
            chain.append(AuditEntry(action=ACTION, detail={"条数": count, "依据": why, "强制": force}))
            transaction.on_commit(lambda: chain.checkpoint_after(checkpoints.RECHAINED))
    return count
