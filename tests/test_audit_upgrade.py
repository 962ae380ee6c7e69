"""An upgraded database: rows written with the unkeyed SHA-256 chain before migration audit.0002 verify after it,
through the real migration (historical models) on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jxjy.audit import chain as audit_chain
from jxjy.audit.digest import GENESIS, legacy_digest, row_values
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
