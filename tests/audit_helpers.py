"""Writing audit rows and tampering with them as someone with database rights would (tests of the audit trail)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jxjy.audit import trail as audit
from jxjy.audit.digest import row_values
from jxjy.audit.models import AuditChainHead, AuditEntry


def write(n: int) -> list[AuditEntry]:
    return [audit.record(actor=None, action=f"测试{i}", detail={"序": i}) for i in range(n)]


def sql(statement: str, params=()) -> None:
    names = {"entry": AuditEntry._meta.db_table, "head": AuditChainHead._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(statement.format(**{k: connection.ops.quote_name(v) for k, v in names.items()}), params)


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert message.startswith("审计日志校验失败")
    return message


def lines_of(path) -> list[dict]:
    return [json.loads(t) for t in path.read_text().splitlines()]


def rehash_from(seq: int, digest) -> None:
    """What an attacker without the key can do: recompute each hash from `seq` on, and the head."""
    prev = AuditEntry.objects.get(seq=seq).prev_hash
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        prev = digest(prev, row_values(entry))
        sql("UPDATE {entry} SET prev_hash = %s, entry_hash = %s WHERE id = %s", [entry.prev_hash, prev, entry.pk])
    sql("UPDATE {head} SET last_hash = %s", [prev])
