"""What each kind of job is: who may start it (checked again when it runs and when its file is
downloaded), its title, what the audit trail calls it, and how its file is built.

The app that owns a kind registers it once (in its AppConfig.ready), as review kinds are: jobs knows no
feature app.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.base_user import AbstractBaseUser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Output:
    filename: str
    content_type: str
    content: IO[bytes]


@dataclass(frozen=True)
class Kind:
    authorise: Callable[[AbstractBaseUser, dict], None]  # raises PermissionDenied / Http404
    title: Callable[[AbstractBaseUser, dict], str]
    audit_action: str  # the code the start of a job is recorded under (a member of its app's audit actions)
    build: Callable[[AbstractBaseUser, dict, Progress], Output]


def bytes_file(data: bytes) -> IO[bytes]:
    """`data` as the file of an Output."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the job once stored
    out.write(data)
    out.seek(0)
    return out


# JobKind value -> its Kind, as registered.
KINDS: dict[str, Kind] = {}


def register(code: str, kind: Kind) -> None:
    KINDS[code] = kind
