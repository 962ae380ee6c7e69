"""deploy/backup.sh and deploy/restore.sh: a backup restored into a new, empty database and an empty
attachment folder holds the same documents, certificates, files and audit trail."""

import hashlib
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from demo import factories as f
from jxjy.attachments.models import Attachment
from jxjy.audit.models import AuditEntry
from jxjy.certificates.models import Certificate
from jxjy.review import engine

from .service_helpers import ROOT, child_env, database_url, on_postgresql, require_tools
from .test_certificates import approved_completion  # noqa: F401 - a fixture

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What must come back exactly: the documents, their files' records, the certificates and the trail.
SAME = {
    "filings": "select id, status, class_name, base_id, total_hours from filings_prefiling order by id",
    "attachments": "select id, kind, original_name, file, size from filings_attachment order by id",
    "completions": "select id, status, name from completions_completionfiling order by id",
    "certificates": "select number, code, status, holder_name, holder_id_number, hours from certificates_certificate"
    " order by number",
    "credits": "select learner_id, year, hours, subject_kind from hours_credit order by id",
    "audit": "select id, created_at, actor_id, action, object_type, object_id, state_before, state_after, opinion,"
    " detail::text from core_auditentry order by id",
}


@pytest.fixture
def restore_db():
    """A new, empty database on the same server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}"')
        admin.execute(f'create database "{name}" template template0')
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def _rows(url: str) -> dict[str, list]:
    with psycopg.connect(url) as conn:
        return {key: conn.execute(sql).fetchall() for key, sql in SAME.items()}


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args], env=child_env(**env), capture_output=True, text=True, timeout=120
    )


def test_restore_into_an_empty_database_finds_the_same_records_and_files(
    settings,
    tmp_path,
    approved_completion,  # noqa: F811
    base,
    base_user,
    department_user,
    restore_db,
):
    require_tools("pg_dump", "pg_restore", "psql")
    filing = f.complete_filing(base, base_user)
    engine.perform(filing, "submit", actor=base_user)
    engine.perform(filing, "dept_return", actor=department_user, opinion="请补充师资情况。")
    assert Certificate.objects.count() == 2 and Attachment.objects.count() >= 6 and AuditEntry.objects.count() >= 4

    backup = tmp_path / "backup"
    done = _run("backup.sh", str(backup), DATABASE_URL=database_url(), MEDIA_ROOT=str(settings.MEDIA_ROOT))
    assert done.returncode == 0, done.stderr
    assert {p.name for p in backup.iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    target = database_url(restore_db)
    done = _run("restore.sh", str(backup), DATABASE_URL=target, MEDIA_ROOT=str(restored_media))
    assert done.returncode == 0, done.stderr

    before, after = _rows(database_url()), _rows(target)
    assert after == before
    assert len(after["certificates"]) == 2 and any(
        row[3] == "dept_return" or "退回" in row[3] for row in after["audit"]
    )
    assert _files(restored_media) == _files(Path(settings.MEDIA_ROOT))
    for attachment in Attachment.objects.all():
        assert (restored_media / attachment.file.name).read_bytes() == attachment.file.read()


def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path, base, base_user, restore_db):
    require_tools("pg_dump", "pg_restore", "psql")
    f.complete_filing(base, base_user)
    backup = tmp_path / "backup"
    assert (
        _run("backup.sh", str(backup), DATABASE_URL=database_url(), MEDIA_ROOT=str(settings.MEDIA_ROOT)).returncode == 0
    )
    done = _run("restore.sh", str(backup), DATABASE_URL=database_url(), MEDIA_ROOT=str(tmp_path / "m"))
    assert done.returncode == 1 and "目标数据库不是空的" in done.stderr
    (backup / "db.dump").write_bytes(b"damaged")
    done = _run("restore.sh", str(backup), DATABASE_URL=database_url(restore_db), MEDIA_ROOT=str(tmp_path / "m"))
    assert done.returncode == 1 and "校验失败" in done.stderr
