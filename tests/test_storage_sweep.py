"""manage.py sweep_media: files under MEDIA_ROOT that no FileField row points to and that are older than the
threshold are listed (--dry-run) or removed; every model's FileFields count, found through the app registry."""

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from demo import factories as f
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.certificates.models import Certificate
from jxjy.core import clock
from jxjy.core.media_sweep import file_fields
from jxjy.jobs.models import Job, JobKind


def stored(name: str, *, hours_ago: float) -> str:
    """A file written through the storage, last modified `hours_ago` hours before the test's instant."""
    name = default_storage.save(name, ContentFile(b"%PDF-1.4 sweep"))
    age = (clock.now() - dt.timedelta(hours=hours_ago)).timestamp()
    os.utime(default_storage.path(name), (age, age))
    return name


def aged(name: str, *, hours_ago: float) -> str:
    age = (clock.now() - dt.timedelta(hours=hours_ago)).timestamp()
    os.utime(default_storage.path(name), (age, age))
    return name


def on_disk() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep_media", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world(filing, base_user):
    """Old files that rows point to (the filing's attachments, one more, a job's export), old and new orphans,
    and an old half-write."""
    for a in filing.attachments.all():
        aged(a.file.name, hours_ago=100)
    attachment = f.add_attachment(filing, base_user, AttachmentKind.PLAN)
    aged(attachment.file.name, hours_ago=72)
    export = stored("jobs/2026/06/统计分析.xlsx", hours_ago=48)
    Job.objects.create(kind=JobKind.STATS_EXPORT, owner=base_user, title="统计分析导出", file=export)
    return {
        "filing": {a.file.name for a in filing.attachments.exclude(pk=attachment.pk)},
        "attachment": attachment.file.name,
        "export": export,
        "old_orphan": stored("attachments/2026/06/lost.pdf", hours_ago=30),
        "new_orphan": stored("attachments/2026/06/being-written.pdf", hours_ago=1),
        "half_write": stored("attachments/2026/06/.upload-0123456789abcdef", hours_ago=25),
    }


def test_the_sweeper_finds_the_file_fields_of_every_model():
    found = {(model, field.name) for model, field in file_fields()}
    assert {(Attachment, "file"), (Certificate, "pdf"), (Job, "file")} <= found


def test_a_dry_run_lists_the_old_orphans_and_deletes_nothing(world):
    before = on_disk()
    out = sweep("--dry-run")
    assert on_disk() == before
    assert f"将删除：{world['old_orphan']}" in out and f"将删除：{world['half_write']}" in out
    for kept in ("attachment", "export", "new_orphan"):
        assert world[kept] not in out
    referenced = len(world["filing"]) + 2
    counts = f"共检查{referenced + 3}个文件：{referenced}个有记录引用，"
    assert counts + "1个无记录引用但未满24小时（保留），2个无记录引用且已满24小时。" in out
    assert "试运行，未删除任何文件。" in out


def test_the_sweep_deletes_only_old_files_no_row_points_to(world):
    out = sweep()
    assert on_disk() == {world["attachment"], world["export"], world["new_orphan"], *world["filing"]}
    assert f"已删除：{world['old_orphan']}" in out
    assert out.rstrip().endswith("2个无记录引用且已满24小时，已删除2个。")


def test_the_threshold_is_given_in_hours(world):
    sweep("--older-than", "0.5")
    assert on_disk() == {world["attachment"], world["export"], *world["filing"]}


def test_a_longer_threshold_keeps_younger_orphans(world):
    out = sweep("--older-than", "26")
    kept = {world["attachment"], world["export"], world["new_orphan"], world["half_write"], *world["filing"]}
    assert on_disk() == kept
    assert "2个无记录引用但未满26小时（保留），1个无记录引用且已满26小时，已删除1个。" in out


def test_a_file_whose_row_was_deleted_is_swept(world):
    sweep()
    Attachment.objects.filter(file=world["attachment"]).delete()
    Job.objects.all().delete()
    assert world["attachment"] in on_disk() and world["export"] in on_disk()
    sweep()
    assert on_disk() == {world["new_orphan"], *world["filing"]}


def test_an_empty_media_root_is_nothing_to_sweep(db):
    assert "共检查0个文件" in sweep()


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_a_threshold_of_zero_or_less_is_refused(world, hours):
    with pytest.raises(CommandError, match="须为大于0的小时数"):
        sweep("--older-than", hours)
    assert world["new_orphan"] in on_disk()
