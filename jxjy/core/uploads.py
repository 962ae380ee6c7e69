"""Check an uploaded file before anything is stored: jpg/png/pdf by content, size, and name (guide §G)."""

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

# What the guide allows, judged by the file's first bytes, and the extensions that may carry each.
ALLOWED = {
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "application/pdf": {".pdf"},
}
TYPE_MESSAGE = "只能上传jpg/png/pdf文件，且单个文件不超过2MB。"


@dataclass(frozen=True)
class CheckedUpload:
    mime_type: str
    size: int


def check_upload(upload, *, required_name: str | tuple[str, ...] | None = None) -> CheckedUpload:
    """Raise ValidationError (Chinese) unless `upload` is an allowed file whose name fits its kind.

    `required_name`: what the name must contain; several spellings of one kind may be given.
    """
    limit = settings.JXJY_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"文件「{upload.name}」超过{limit // (1024 * 1024)}MB，{TYPE_MESSAGE}", code="size")
    if upload.size == 0:
        raise ValidationError(f"文件「{upload.name}」是空文件。", code="empty")
    upload.seek(0)
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    suffix = Path(upload.name).suffix.lower()
    if mime not in ALLOWED or suffix not in ALLOWED[mime]:
        raise ValidationError(f"文件「{upload.name}」的类型不符合要求，{TYPE_MESSAGE}", code="type")
    names = (required_name,) if isinstance(required_name, str) else tuple(required_name or ())
    if names and not any(name in Path(upload.name).stem for name in names):
        raise ValidationError(
            f"文件「{upload.name}」的名称应与内容相符，须包含「{names[0]}」，如「{names[0]}{suffix}」。",
            code="name",
        )
    return CheckedUpload(mime_type=mime, size=upload.size)


@contextmanager
def discard_files_on_error():
    """Files are not transactional: yield a list for stored files, removed again if the block fails."""
    stored: list = []
    try:
        yield stored
    except BaseException:
        for f in stored:
            f.storage.delete(f.name)
        raise
