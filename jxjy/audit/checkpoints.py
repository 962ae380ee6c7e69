"""Checkpoints of the chain head, kept outside the database where its administrator cannot reach them.

A checkpoint is one line of JSON appended to `JXJY_AUDIT_CHECKPOINT_FILE` (opened for appending only; the
operator may make it append-only with `chattr +a` or ship it to a log host) and, when
`JXJY_AUDIT_CHECKPOINT_SYSLOG` names one, sent to syslog too. It holds the last row (number, id, hash), the
anchor the chain starts from, when and why it was taken, and an HMAC-SM3 under the checkpoint key (keys.py),
so that a line cannot be forged or changed without the key.

The task worker writes one every hour (JXJY_WORKER_SWEEPS), `verify_audit` one with its result, `purge_audit`
one with the new anchor. `verify_audit` then checks the database against every line (verification.py): rows
the checkpoints saw must still be there with the same hash.
"""

import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from jxjy.core import clock, gm
from jxjy.core.records import recorded

from .digest import GENESIS, entry_digest, row_values
from .keys import checkpoint_key
from .models import AuditChainHead, AuditEntry

FORMAT = 1
HEAD_PK = 1
TAIL_BYTES = 64 * 1024  # what the 审计日志 page reads of the file: the latest lines
# Why a checkpoint was taken.
PERIODIC, VERIFIED, PURGED, RECHAINED = (
    gettext_noop("定时"),
    gettext_noop("校验"),
    gettext_noop("清理"),
    gettext_noop("重建"),
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    at: str  # ISO 8601, Beijing time
    reason: str
    seq: int  # the last row's number (0: no rows)
    id: int | None
    hash: str
    anchor_seq: int
    anchor_hash: str
    ok: bool  # whether the state it records checked out when it was taken
    note: str = ""
    v: int = FORMAT

    @property
    def when(self) -> str:
        return self.at[:19].replace("T", " ")


@dataclass(frozen=True)
class Line:
    """One line of the file: its number, and the checkpoint if its MAC checks out (else None)."""

    number: int
    checkpoint: Checkpoint | None


def mac(fields: dict) -> str:
    text = json.dumps(recorded(fields), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gm.hmac_sm3_hex(checkpoint_key(), text.encode())


def encode(cp: Checkpoint) -> str:
    fields = recorded(asdict(cp))
    return json.dumps({**fields, "mac": mac(fields)}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode(text: str) -> Checkpoint | None:
    """The checkpoint of one line, or None when it is not one of ours or its MAC does not check out."""
    try:
        fields = json.loads(text)
        given = fields.pop("mac")
        cp = Checkpoint(**fields)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return cp if isinstance(given, str) and hmac.compare_digest(given, mac(asdict(cp))) else None


def current(*, reason: str, ok: bool | None = None, note: str = "") -> Checkpoint:
    """A checkpoint of the chain as the database holds it now; `ok` defaults to the last row's own check."""
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    last = AuditEntry.objects.order_by("-seq").first()
    if ok is None:
        ok = _tail_checks_out(head, last)
    return Checkpoint(
        at=timezone.localtime(clock.now()).isoformat(),
        reason=reason,
        seq=last.seq if last else 0,
        id=last.pk if last else None,
        hash=last.entry_hash if last else GENESIS,
        anchor_seq=head.anchor_seq if head else 1,
        anchor_hash=head.anchor_hash if head else GENESIS,
        ok=ok,
        note=note,
    )


def _tail_checks_out(head, last) -> bool:
    if last is None:
        return head is None or head.last_seq == 0
    own = entry_digest(last.prev_hash, row_values(last)) == last.entry_hash
    return own and head is not None and (head.last_seq, head.last_hash) == (last.seq, last.entry_hash)


def configured() -> bool:
    return bool(settings.JXJY_AUDIT_CHECKPOINT_FILE or settings.JXJY_AUDIT_CHECKPOINT_SYSLOG)


def write(cp: Checkpoint) -> None:
    """Append `cp` to the checkpoint file and send it to syslog, where configured (OSError if the file fails)."""
    line = encode(cp)
    if path := settings.JXJY_AUDIT_CHECKPOINT_FILE:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode())  # one write of a short line: lines of two writers never mix
        finally:
            os.close(fd)
    if address := settings.JXJY_AUDIT_CHECKPOINT_SYSLOG:
        _send_to_syslog(address, line)


def periodic_checkpoint() -> None:
    """The task worker's sweep (JXJY_WORKER_SWEEPS): a checkpoint of the head as it is now."""
    if configured():
        write(current(reason=PERIODIC))


@lru_cache(maxsize=4)
def _syslog(address: str) -> logging.Handler:
    """A socket path (/dev/log) or host[:port] (UDP, 514 by default)."""
    if address.startswith("/"):
        target = address
    else:
        host, sep, port = address.partition(":")
        target = (host, int(port) if sep else logging.handlers.SYSLOG_UDP_PORT)
    return logging.handlers.SysLogHandler(address=target, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)


def _send_to_syslog(address: str, line: str) -> None:
    record = logging.LogRecord("jxjy.audit", logging.INFO, __file__, 0, "jxjy-audit-checkpoint: %s", (line,), None)
    try:
        _syslog(address).emit(record)
    except OSError:
        logger.exception("审计检查点未能发送到 syslog（%s）", address)


def read_all() -> list[Line]:
    """Every line of the checkpoint file, in order (none when there is no file)."""
    path = settings.JXJY_AUDIT_CHECKPOINT_FILE
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        return [Line(n, decode(text)) for n, text in enumerate(f, start=1) if text.strip()]


def latest(n: int = 10) -> list[Checkpoint | None]:
    """The last `n` lines of the file, newest first (None for a line that does not check out)."""
    path = settings.JXJY_AUDIT_CHECKPOINT_FILE
    if not path or not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - TAIL_BYTES))
        lines = f.read().decode("utf-8", errors="replace").splitlines()
    if os.path.getsize(path) > TAIL_BYTES:
        lines = lines[1:]  # the first may be cut
    return [decode(text) for text in reversed([t for t in lines if t.strip()][-n:])]
