"""Atomic writes on local disk (jxjy/core/storage.py): a file appears under its name only whole and fsynced; a write
that fails midway (a full disk) leaves nothing behind and never replaces a good file."""

import errno
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File

from jxjy.core.storage import FileSystemStorage


class FullDisk(File):
    """Content whose writing stops with ENOSPC after `good` bytes, as on a disk that fills up."""

    def __init__(self, good: int):
        super().__init__(None, name="full.pdf")
        self.good = good

    def chunks(self, chunk_size=None):
        yield b"x" * self.good
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "store")


def everything(root: Path) -> set[str]:
    """Every file, hidden ones included, under `root`."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_write_that_fails_midway_leaves_no_file(storage):
    with pytest.raises(OSError, match="No space left"):
        storage.save("attachments/2026/plan.pdf", FullDisk(good=64 * 1024))
    assert everything(Path(storage.location)) == set()


def test_a_failed_write_never_touches_the_good_file_of_that_name(storage):
    good = storage.save("attachments/plan.pdf", ContentFile(b"%PDF good"))
    with pytest.raises(OSError):
        storage.save("attachments/plan.pdf", FullDisk(good=1000))
    assert everything(Path(storage.location)) == {good}
    assert Path(storage.path(good)).read_bytes() == b"%PDF good"


def test_even_a_storage_that_may_overwrite_keeps_the_good_file_when_the_write_fails(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "store", allow_overwrite=True)
    storage.save("jobs/export.xlsx", ContentFile(b"complete"))
    with pytest.raises(OSError):
        storage.save("jobs/export.xlsx", FullDisk(good=10))
    assert Path(storage.path("jobs/export.xlsx")).read_bytes() == b"complete"
    assert everything(Path(storage.location)) == {"jobs/export.xlsx"}


def test_a_taken_name_gets_another_and_both_files_are_whole(storage):
    first = storage.save("a/form.pdf", ContentFile(b"first"))
    second = storage.save("a/form.pdf", ContentFile(b"second"))
    assert first == "a/form.pdf" and second != first and second.startswith("a/form_") and second.endswith(".pdf")
    assert [Path(storage.path(n)).read_bytes() for n in (first, second)] == [b"first", b"second"]
    assert everything(Path(storage.location)) == {first, second}


def test_the_file_is_fsynced_before_it_is_renamed_into_place(storage, monkeypatch):
    steps = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        steps.append(("fsync", os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))))
        real_fsync(fd)

    def replace(src, dst):
        steps.append(("replace", os.path.basename(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    storage.save("b/cert.pdf", ContentFile(b"%PDF signed"))
    assert steps[0][0] == "fsync" and steps[0][1].startswith(".upload-")  # the content, under its temporary name
    assert steps[1] == ("replace", "cert.pdf")
    assert steps[2] == ("fsync", "b")  # then the directory, so that the rename survives a power cut


def test_a_saved_file_gets_the_usual_permissions_and_text_is_stored_as_utf8(storage, settings):
    name = storage.save("c/note.txt", ContentFile("培训通知"))
    assert Path(storage.path(name)).read_text(encoding="utf-8") == "培训通知"
    assert oct(os.stat(storage.path(name)).st_mode & 0o777) == oct(settings.FILE_UPLOAD_PERMISSIONS)


def test_a_failed_rename_removes_the_temporary_file_and_the_reserved_name(storage, monkeypatch):
    def refuse(src, dst):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="I/O error"):
        storage.save("d/plan.pdf", ContentFile(b"%PDF"))
    assert everything(Path(storage.location)) == set()
