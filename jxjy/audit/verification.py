"""`verify_audit` and the 审计日志 page: the keyed chain, and the database against the checkpoints outside it.

The chain (chain.walk) finds a row changed, removed or slipped in, and a rewrite whose hashes were computed
without the key. What it cannot see, the checkpoints can: rows removed at the end with the head rewritten to
match (a checkpoint saw a later row), and a rewrite by someone holding the key (a checkpoint saw another hash).
The checkpoint file is read before the database snapshot is taken, so a checkpoint written meanwhile by the
task worker never describes rows the snapshot cannot see.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import chain, checkpoints
from .chain import Break
from .checkpoints import Checkpoint, Line
from .models import AuditChainHead, AuditEntry


@dataclass
class Report:
    checked: int
    broken: Break | None
    tail: Checkpoint  # the chain as verified
    checkpoints: int = 0  # the lines of the file that were checked against
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None

    def summary(self) -> str:
        if self.broken:
            return gettext("审计日志校验失败（此前%(checked)s条完好）。第一处断裂：%(broken)s") % {
                "checked": self.checked,
                "broken": self.broken,
            }
        return gettext("审计日志校验通过：共%(checked)s条，哈希链完整，与%(checkpoints)s个检查点一致。") % {
            "checked": self.checked,
            "checkpoints": self.checkpoints,
        }


def run(*, write_checkpoint: bool = True) -> Report:
    """Verify the chain and the checkpoints; then append a checkpoint with the result (when configured)."""
    lines = checkpoints.read_all() if checkpoints.configured() else []
    with chain.snapshot():
        checked, broken = chain.walk()
        broken = broken or against_checkpoints(lines)
        verdict = gettext("通过") if broken is None else (gettext("失败：%(broken)s") % {"broken": broken})
        tail = checkpoints.current(reason=checkpoints.VERIFIED, ok=broken is None, note=verdict[:300])
    report = Report(checked, broken, tail, checkpoints=sum(1 for ln in lines if _reference(ln)))
    report.notes += _notes(lines)
    if write_checkpoint and checkpoints.configured():
        try:
            checkpoints.write(tail)
        except OSError as e:
            report.notes.append(gettext("检查点写入失败：%(e)s") % {"e": e})
    return report


def _reference(line: Line) -> Checkpoint | None:
    """A line to check against: genuine, and of a state that checked out when it was taken."""
    cp = line.checkpoint
    return cp if cp is not None and cp.ok else None


def _last_rechain(lines: list[Line]) -> int:
    """The index of the newest genuine 重建 line (-1: none). A new key makes the lines before it unreadable."""
    found = [i for i, ln in enumerate(lines) if ln.checkpoint and ln.checkpoint.reason == checkpoints.RECHAINED]
    return found[-1] if found else -1


def _notes(lines: list[Line]) -> list[str]:
    notes = []
    if not checkpoints.configured():
        notes.append(gettext("未配置检查点（JXJY_AUDIT_CHECKPOINT_FILE）：无法核对末尾的记录是否被删除。"))
    elif not lines:
        notes.append(gettext("尚无检查点：本次校验写入第一个检查点，此后的校验以它为准。"))
    if (last := _last_rechain(lines)) >= 0:
        when = lines[last].checkpoint.when
        notes.append(
            gettext("哈希链曾于 %(when)s 重建（manage.py rechain_audit），此前检查点的哈希不再比对。") % {"when": when}
        )
        if old := sum(1 for ln in lines[:last] if ln.checkpoint is None):
            notes.append(
                gettext("重建之前的%(old)s行检查点无法用当前审计密钥核对（密钥已更换），已略过。") % {"old": old}
            )
    return notes


def against_checkpoints(lines: list[Line]) -> Break | None:
    """The first way the database disagrees with the checkpoint file (inside the chain's snapshot)."""
    since = _last_rechain(lines)
    for line in lines[max(since, 0) :]:  # before a re-chain under a new key, lines are under the old one
        if line.checkpoint is None:
            reason = gettext("不是有效的检查点（内容被改动或伪造，校验码不符）")
            return Break(None, None, reason, where=(gettext("检查点文件第%(number)s行") % {"number": line.number}))
    refs = [(ln.number, cp) for ln in lines if (cp := _reference(ln))]
    if not refs:
        return None
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for number, cp in refs:
        if cp.seq > last:
            reason = gettext("检查点（%(when)s）时日志已到第%(seq)s条，现在只到第%(last)s条（末尾的记录被删除）") % {
                "when": cp.when,
                "seq": cp.seq,
                "last": last,
            }
            return Break(None, None, reason, where=(gettext("链尾（检查点文件第%(number)s行）") % {"number": number}))
    return _hashes_differ(refs) or _start_moved(refs[-1])


def _hashes_differ(refs: list[tuple[int, Checkpoint]]) -> Break | None:
    """Rows the checkpoints since the last re-chain saw must still carry the hash they saw."""
    since = max((i for i, (_, cp) in enumerate(refs) if cp.reason == checkpoints.RECHAINED), default=0)
    wanted = {cp.seq: (number, cp) for number, cp in refs[since:] if cp.seq}  # the newest of each row wins
    seqs = sorted(wanted)
    for start in range(0, len(seqs), 1000):
        rows = AuditEntry.objects.filter(seq__in=seqs[start : start + 1000]).values_list("seq", "pk", "entry_hash")
        for seq, pk, entry_hash in sorted(rows):
            number, cp = wanted[seq]
            if entry_hash != cp.hash:
                reason = gettext(
                    "与检查点（%(when)s，检查点文件第%(number)s行）记录的哈希不符（记录被改写并重新计算了哈希）"
                ) % {"when": cp.when, "number": number}
                return Break(seq, pk, reason)
    return None


def _start_moved(newest: tuple[int, Checkpoint]) -> Break | None:
    """The chain starts where the newest checkpoint says, or where a purge since has anchored it."""
    number, cp = newest
    head = AuditChainHead.objects.filter(pk=chain.HEAD_PK).first()
    first = AuditEntry.objects.order_by("seq").first()
    start = first.seq if first else (head.anchor_seq if head else 1)
    if start == cp.anchor_seq or (start > cp.anchor_seq and chain.purge_explains(start)):
        return None
    reason = gettext(
        "检查点（%(when)s，检查点文件第%(number)s行）时日志从第%(anchor_seq)s条开始，现在从第%(start)s条开始，且没有相应的清理审计日志记录（开头的记录被删除）"
    ) % {"when": cp.when, "number": number, "anchor_seq": cp.anchor_seq, "start": start}
    return Break(start, first.pk if first else None, reason)


@dataclass(frozen=True)
class Status:
    """What the 审计日志 page shows: the newest checkpoints (None: a line that does not check out) and the
    newest result of a verification, as the checkpoint file holds them."""

    configured: bool
    latest: list[Checkpoint | None]
    last_verified: Checkpoint | None


def status(n: int = 5) -> Status:
    recent = checkpoints.latest(200)
    verified = next((cp for cp in recent if cp is not None and cp.reason == checkpoints.VERIFIED), None)
    return Status(checkpoints.configured(), recent[:n], verified)
