"""Files follow transactions (jxjy/core/storage.py): a file written in a transaction that rolls back is gone,
a committed one stays, and a savepoint that rolls back inside a committed transaction takes only its own file."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.core.files.storage import default_storage, storages
from django.db import DatabaseError, connection, connections, transaction

from demo import factories as f
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.core.errors import DomainError
from jxjy.core.storage import FileSystemStorage, files_outlive_rollback
from jxjy.filings.application_form import forward_to_hr
from jxjy.filings.models import PreFilingStatus as S

from .prefiling_helpers import media_files
from .review_helpers import advance


class Boom(Exception):
    pass


def save(name: str, content: bytes = b"%PDF-1.4 test") -> str:
    return default_storage.save(name, ContentFile(content))


def on_disk(name: str) -> bool:
    return Path(default_storage.path(name)).is_file()


def test_the_default_storage_is_the_transaction_aware_one():
    assert type(storages["default"]) is FileSystemStorage


@pytest.fixture
def dept_approved(filing, base_user, department_user, hr_region_user):
    return advance(filing, S.DEPT_APPROVED, base_user=base_user, department_user=department_user, hr_user=None)


def test_a_refused_forward_to_hr_leaves_no_stamped_scan_behind(dept_approved, base_user):
    """The base may upload the stamped scan but not 提交 it to HR: the scan is stored, then the move is refused
    in the same transaction, and neither the row nor the file remains."""
    before = media_files()
    with pytest.raises(DomainError):
        forward_to_hr(dept_approved, actor=base_user, upload=f.upload("盖章申报表.pdf"))
    assert not Attachment.objects.filter(kind=AttachmentKind.STAMPED_FORM).exists()
    assert media_files() == before


def test_with_djangos_own_storage_the_refused_forward_would_leave_the_file(dept_approved, base_user, settings):
    """The control run: the file that the test above sees removed is really written, and stays without us."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert type(storages["default"]) is DjangoFileSystemStorage
    before = media_files()
    with pytest.raises(DomainError):
        forward_to_hr(dept_approved, actor=base_user, upload=f.upload("盖章申报表.pdf"))
    assert len(media_files() - before) == 1


def test_a_successful_forward_keeps_its_scan(dept_approved, department_user):
    forward_to_hr(dept_approved, actor=department_user, upload=f.upload("盖章申报表.pdf"))
    scan = Attachment.objects.get(kind=AttachmentKind.STAMPED_FORM)
    assert on_disk(scan.file.name)


def test_a_rolled_back_savepoint_removes_only_its_own_file(db):
    with transaction.atomic():
        kept = save("a/kept.pdf")
        with pytest.raises(Boom), transaction.atomic():
            lost = save("a/lost.pdf")
            raise Boom
        also_kept = save("a/also-kept.pdf")
        assert (on_disk(kept), on_disk(lost), on_disk(also_kept)) == (True, False, True)
    assert on_disk(kept) and on_disk(also_kept)


def test_a_released_savepoint_hands_its_file_to_the_transaction_around_it(db):
    with pytest.raises(Boom), transaction.atomic():
        with transaction.atomic():
            inner = save("b/inner.pdf")
        assert on_disk(inner)
        raise Boom
    assert not on_disk(inner)


def test_an_inner_block_without_savepoint_fails_the_whole_transaction(db):
    with transaction.atomic():
        with pytest.raises(Boom), transaction.atomic(savepoint=False):
            name = save("c/no-savepoint.pdf")
            raise Boom
        assert on_disk(name)  # no savepoint to roll back to: the outer block is doomed, not yet over
    assert not on_disk(name)


def test_set_rollback_removes_the_file_too(db):
    with transaction.atomic():
        name = save("d/set-rollback.pdf")
        transaction.set_rollback(True)
    assert not on_disk(name)


def test_a_file_written_outside_a_transaction_is_not_tracked(db):
    """pytest-django wraps each test in a transaction; outside one there is no row that could roll back."""
    assert connection.in_atomic_block  # the test's own transaction, rolled back after the test
    with files_outlive_rollback(), pytest.raises(Boom), transaction.atomic():
        name = save("e/kept-on-purpose.pdf")
        raise Boom
    assert on_disk(name)


def test_a_deletion_that_fails_is_logged_and_does_not_hide_the_error(db, monkeypatch, caplog):
    def refuse(path):
        raise PermissionError(path)

    with transaction.atomic(), pytest.raises(Boom), transaction.atomic():
        name = save("f/undeletable.pdf")
        monkeypatch.setattr("jxjy.core.storage._remove", refuse)
        raise Boom
    assert on_disk(name)  # left for sweep_media
    assert "sweep_media" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_file_stays_and_a_later_rollback_does_not_touch_it():
    with transaction.atomic():
        committed = save("g/committed.pdf")
    with pytest.raises(Boom), transaction.atomic():
        other = save("g/other.pdf")
        raise Boom
    assert on_disk(committed) and not on_disk(other)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_savepoint_rolled_back_inside_a_committed_transaction_removes_only_its_own_file():
    with transaction.atomic():
        kept = save("h/kept.pdf")
        with pytest.raises(Boom), transaction.atomic():
            lost = save("h/lost.pdf")
            raise Boom
        with transaction.atomic():
            sibling = save("h/sibling.pdf")
    assert (on_disk(kept), on_disk(lost), on_disk(sibling)) == (True, False, True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_commit_removes_the_file(monkeypatch):
    def fail():
        raise DatabaseError("could not serialize access")

    with pytest.raises(DatabaseError), transaction.atomic():
        name = save("i/commit-fails.pdf")
        monkeypatch.setattr(connections["default"].__dict__["_jxjy_file_ledger"], "_commit", fail)
    monkeypatch.undo()
    assert not on_disk(name)
