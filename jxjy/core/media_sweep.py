"""Files no row points to: found across every model's FileFields, removed once they are old enough.

A file is an orphan when no FileField of any installed model names it: left by a process that died
mid-transaction, by a rollback whose cleanup failed, or by a write that never finished (a hidden
".upload-…" file). Only files older than the threshold are touched, so a file being written now, whose
row is not committed yet, is never removed. The files are listed before the rows are read: a row
committed meanwhile is seen and keeps its file.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models

from . import clock


@dataclass(frozen=True)
class StoredFile:
    name: str
    modified: dt.datetime
    size: int


@dataclass
class Sweep:
    """What one look at the storage found: how many files, and which of them may go."""

    total: int = 0
    referenced: int = 0
    recent: int = 0
    orphans: list[StoredFile] = field(default_factory=list)


def stored_files(storage: Storage, folder: str = "") -> Iterator[StoredFile]:
    """Every file in `storage`, walked through the storage API (local disk and object storage alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored on this disk
        return
    for name in sorted(files):
        path = f"{folder}/{name}" if folder else name
        yield StoredFile(path, storage.get_modified_time(path), storage.size(path))
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Each (model, FileField) of the installed apps; a proxy shares its concrete model's table."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield model, f


def referenced_names() -> set[str]:
    """The names that some row's FileField points to."""
    names: set[str] = set()
    for model, f in file_fields():
        rows = model._base_manager.exclude(**{f.attname: ""}).exclude(**{f"{f.attname}__isnull": True})
        names.update(rows.values_list(f.attname, flat=True).iterator())
    return names


def find_orphans(storage: Storage, *, older_than: dt.timedelta) -> Sweep:
    """The files of `storage` that no row points to and that were last written before `older_than` ago."""
    cutoff = clock.now() - older_than
    files = list(stored_files(storage))
    referenced = referenced_names()  # read after listing: a row committed meanwhile keeps its file
    sweep = Sweep(total=len(files))
    for stored in files:
        if stored.name in referenced:
            sweep.referenced += 1
        elif stored.modified >= cutoff:
            sweep.recent += 1
        else:
            sweep.orphans.append(stored)
    return sweep
