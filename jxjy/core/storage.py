"""Files follow transactions: the site's file storages (settings STORAGES["default"]).

A database row and the file it points to must live and die together, but a file system or a bucket knows
nothing of transactions. Two storages close the gap:

* **A file written inside a transaction that rolls back is deleted.** Django has no on-rollback hook, so
  the first file written inside a transaction gives the default connection a ledger (`_Ledger`) that
  wraps that connection's own `commit`, `rollback`, `savepoint_rollback` and `close`. Each file is entered
  with the savepoints open when it was written (`connection.savepoint_ids`) — the very rule Django applies
  to `transaction.on_commit` callbacks:

  - `rollback()` of the transaction, or `close()` inside it (the server drops the work), deletes every
    file in the ledger;
  - `savepoint_rollback(sid)` — an inner `atomic()` that failed while the outer one goes on — deletes only
    the files written while that savepoint was open; files written before it, or in sibling savepoints
    that were released, stay in the ledger and follow the outer transaction;
  - a successful `commit()` empties the ledger: the files are kept. A commit that fails leaves them there,
    and the rollback that follows deletes them.

  Nothing is deleted on the strength of an on-commit callback not running (a failing callback registered
  earlier would skip ours): only a rollback that really happened deletes. A file written outside any
  transaction is not tracked (no row can be rolled back under it). A process killed mid-transaction leaves
  its files behind: `manage.py sweep_media` removes files no row points to. A failed deletion is logged,
  never raised (it must not hide the error that caused the rollback); the sweeper catches those too.
  `files_outlive_rollback()` switches tracking off for a block whose rows are rolled back on purpose but
  whose files are kept (the test suite's demo snapshot).

* **A write is atomic on local disk.** `FileSystemStorage` writes the content to a hidden temporary file
  in the target directory (".upload-…": the rename then stays on one file system), flushes and fsyncs
  it, reserves the final name with O_EXCL (Django's "never overwrite" rule, race-free) and moves the
  complete file into place with os.replace, then fsyncs the directory. A write that fails midway (a full
  disk) removes the temporary file and the reservation: no partial file is ever visible under a name,
  and an existing file is never replaced. Object storage (`S3Storage`) uploads are atomic by themselves
  (an object appears only when its upload completes); it gets the rollback cleanup only.

The classes keep Django's and django-storages' names, so that settings and checks that ask "local disk or
object storage?" read the same.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils._os import safe_makedirs

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".upload-"  # what a half-written file is called (the sweeper removes old ones)
_untracked: ContextVar[bool] = ContextVar("files_outlive_rollback", default=False)


@contextmanager
def files_outlive_rollback() -> Iterator[None]:
    """Inside the block, files are kept even if the transaction they were written in rolls back."""
    token = _untracked.set(True)
    try:
        yield
    finally:
        _untracked.reset(token)


# ---- rollback cleanup ----


@dataclass(frozen=True)
class _Written:
    label: str
    discard: Callable[[], None]
    savepoints: frozenset[str]


class _Ledger:
    """The files written in the connection's open transaction; settles them when it ends."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.written: list[_Written] = []
        self._commit = connection.commit
        self._rollback = connection.rollback
        self._savepoint_rollback = connection.savepoint_rollback
        self._close = connection.close
        connection.commit = self.commit
        connection.rollback = self.rollback
        connection.savepoint_rollback = self.savepoint_rollback
        connection.close = self.close

    def add(self, label: str, discard: Callable[[], None]) -> None:
        self.written.append(_Written(label, discard, frozenset(self.connection.savepoint_ids)))

    def commit(self) -> None:
        self._commit()
        self.written = []

    def rollback(self) -> None:
        self._rollback()
        self._discard(lambda w: True)

    def savepoint_rollback(self, sid: str) -> None:
        self._savepoint_rollback(sid)
        self._discard(lambda w: sid in w.savepoints)

    def close(self) -> None:
        try:
            self._close()
        finally:
            # Closed with its transaction open, the connection's uncommitted work is gone.
            self._discard(lambda w: True)

    def _discard(self, gone: Callable[[_Written], bool]) -> None:
        keep = []
        for written in self.written:
            if not gone(written):
                keep.append(written)
                continue
            try:
                written.discard()
            except Exception:
                logger.exception("could not delete %s after a rollback; sweep_media will", written.label)
        self.written = keep


def _ledger(connection) -> _Ledger:
    ledger = connection.__dict__.get("_jxjy_file_ledger")
    if ledger is None:
        ledger = connection._jxjy_file_ledger = _Ledger(connection)
    return ledger


def track_written(label: str, discard: Callable[[], None]) -> None:
    """Delete the file again (by calling `discard`) if the current transaction rolls back."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and not _untracked.get():
        _ledger(connection).add(label, discard)


class FilesFollowTransactions:
    """Storage mixin: a file saved inside a transaction is deleted if that transaction rolls back."""

    def _save(self, name, content):
        name = super()._save(name, content)
        track_written(name, self._discarder(name))
        return name

    def _discarder(self, name: str) -> Callable[[], None]:
        return lambda: self.delete(name)


# ---- local disk ----


class AtomicFileSystemStorage(DjangoFileSystemStorage):
    """Django's storage on local disk, but a file reaches its name only whole and flushed to the disk."""

    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        self._make_directory(directory)
        temp = self._write_temporary(directory, content)
        try:
            name = self._move_into_place(name, temp)
        except BaseException:
            _remove(temp)
            raise
        full_path = self.path(name)
        _fsync_directory(os.path.dirname(full_path))
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _make_directory(self, directory: str) -> None:
        try:
            if self.directory_permissions_mode is not None:
                safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
        except FileExistsError:
            raise FileExistsError(f"{directory} exists and is not a directory.") from None

    def _write_temporary(self, directory: str, content) -> str:
        """The whole content in a hidden file beside its final place, flushed to the disk; its path."""
        while True:
            temp = os.path.join(directory, f"{TEMP_PREFIX}{secrets.token_hex(8)}")
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                continue
            break
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp, self.file_permissions_mode)
        except BaseException:
            _remove(temp)
            raise
        return temp

    def _move_into_place(self, name: str, temp: str) -> str:
        """Rename the finished file to `name`, or to a free name like it; never over another file."""
        while True:
            full_path = self.path(name)
            if not self._allow_overwrite:
                try:
                    os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # reserve
                except FileExistsError:
                    name = self.get_available_name(name)
                    continue
            try:
                os.replace(temp, full_path)
            except BaseException:
                if not self._allow_overwrite:
                    _remove(full_path)  # our empty reservation
                raise
            return name


class FileSystemStorage(FilesFollowTransactions, AtomicFileSystemStorage):
    """MEDIA_ROOT on local disk: atomic writes, and files that follow the transaction they were written in."""

    def _discarder(self, name: str) -> Callable[[], None]:
        # The path as it was when written: MEDIA_ROOT may be another by the time of the rollback.
        path = self.path(name)
        return lambda: _remove(path)


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.remove(path)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); where directories cannot be opened, skip."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---- object storage ----


def __getattr__(name: str):
    # Built on first use: importing boto3 costs every process time that only a bucket's settings need.
    if name != "S3Storage":
        raise AttributeError(name)
    from storages.backends.s3 import S3Storage as DjangoStoragesS3

    class S3Storage(FilesFollowTransactions, DjangoStoragesS3):
        """S3-compatible object storage whose objects follow the transaction they were written in."""

    S3Storage.__module__ = __name__
    globals()["S3Storage"] = S3Storage
    return S3Storage
