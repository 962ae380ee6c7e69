"""Check an uploaded file before anything is stored: jpg/png/pdf by content, size, and name (guide §G).

PDFs that carry active content (scripts, actions, media, embedded files: jxjy/core/pdf_safety.py) are refused;
images are decoded and encoded again, no larger than IMAGE_MAX_SIDE, so that what is stored is only the
picture (no metadata, nothing appended after it).
"""

import io
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader

from .errors import DomainError
from .pdf_safety import pdf_threat

# What the guide allows, judged by the file's first bytes, and the extensions that may carry each.
ALLOWED = {
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "application/pdf": {".pdf"},
}
TYPE_MESSAGE = gettext_lazy("只能上传jpg/png/pdf文件，且单个文件不超过2MB。")
# At most this many files in one request (settings JXJY_UPLOAD_MAX_FILES overrides it): each is checked, decoded
# and re-encoded before anything is stored, so a request of a hundred files would hold a worker for long.
MAX_FILES = 10


def max_files() -> int:
    return int(getattr(settings, "JXJY_UPLOAD_MAX_FILES", MAX_FILES))


def count_files(files) -> int:
    """How many files a request carries (request.FILES), under whatever field names."""
    return sum(len(files.getlist(name)) for name in files)


def uploads_by_kind(files, kinds: Iterable[str], *, prefix: str = "upload_") -> list[tuple[str, object]]:
    """[(kind, file), …] from the fields `upload_<kind>` of request.FILES, in the order of `kinds`.

    More than max_files() files in the request: DomainError next to the attachments, and nothing is taken.
    """
    limit, count = max_files(), count_files(files)
    if count > limit:
        message = _("一次最多上传%(limit)s个文件（本次选择了%(count)s个），请分批上传。") % {
            "limit": limit,
            "count": count,
        }
        raise DomainError(message, field="attachments")
    return [(kind, f) for kind in kinds for f in files.getlist(prefix + str(kind))]


@dataclass(frozen=True)
class CheckedUpload:
    """What passed the checks: the type judged from the content, and the bytes to store."""

    mime_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def check_upload(upload, *, required_name: str | tuple[str, ...] | None = None) -> CheckedUpload:
    """Raise ValidationError (in the page's language) unless `upload` is an allowed file whose name fits its kind.

    `required_name`: what the name must contain; several spellings of one kind may be given.
    """
    limit = settings.JXJY_ATTACHMENT_MAX_BYTES
    suffix = Path(upload.name).suffix.lower()
    facts = {"name": upload.name, "limit": limit // (1024 * 1024), "type_message": TYPE_MESSAGE, "suffix": suffix}
    if upload.size > limit:
        raise ValidationError(_("文件「%(name)s」超过%(limit)sMB，%(type_message)s") % facts, code="size")
    if upload.size == 0:
        raise ValidationError(_("文件「%(name)s」是空文件。") % facts, code="empty")
    upload.seek(0)
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED or suffix not in ALLOWED[mime]:
        raise ValidationError(_("文件「%(name)s」的类型不符合要求，%(type_message)s") % facts, code="type")
    names = (required_name,) if isinstance(required_name, str) else tuple(required_name or ())
    if names and not any(name in Path(upload.name).stem for name in names):
        message = _("文件「%(name)s」的名称应与内容相符，须包含「%(names)s」，如「%(names)s%(suffix)s」。")
        raise ValidationError(message % {**facts, "names": names[0]}, code="name")
    content = upload.read()
    upload.seek(0)
    if mime == "application/pdf":
        check_pdf(content, name=upload.name)
    else:
        content = reencode_image(content, mime=mime, name=upload.name)
    return CheckedUpload(mime_type=mime, content=content)


# ---- PDF ----

PDF_UNREADABLE = gettext_lazy("PDF文件无法读取（文件损坏、加密或格式不规范），请重新导出为PDF后上传。")


def check_pdf(content: bytes, *, name: str) -> None:
    """Raise ValidationError if the PDF cannot be read or carries active content (jxjy/core/pdf_safety.py)."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                (_("文件「%(name)s」：%(pdf_unreadable)s") % {"name": name, "pdf_unreadable": PDF_UNREADABLE}),
                code="pdf",
            )
        found = pdf_threat(content, reader)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds (RecursionError too) for a damaged or hostile file
        raise ValidationError(
            (_("文件「%(name)s」：%(pdf_unreadable)s") % {"name": name, "pdf_unreadable": PDF_UNREADABLE}), code="pdf"
        ) from None
    if found:
        raise ValidationError(
            (
                _("文件「%(name)s」含有%(found)s，存在安全风险，不允许上传。请打印为不含脚本和附件的PDF后重新上传。")
                % {"name": name, "found": found}
            ),
            code="pdf",
        )


# ---- images ----

IMAGE_UNREADABLE = gettext_lazy("图片无法读取（文件损坏或格式不规范），请重新保存为jpg或png后上传。")
# More pixels than a phone's photo (12 MP; 24 MP for the largest ordinary ones): a 2 MB file that decodes to
# more is a decompression bomb, or costs seconds of CPU to decode.
IMAGE_MAX_PIXELS = 25_000_000
# What is stored: the longer side at most this (an A4 page at 250 dpi). A JPEG is decoded already scaled down
# (libjpeg's 1/2, 1/4, 1/8), so that re-encoding costs a bounded, small time whatever was sent.
IMAGE_MAX_SIDE = 3000


def reencode_image(content: bytes, *, mime: str, name: str) -> bytes:
    """The picture alone, encoded again: EXIF (GPS, camera), comments and any bytes after the image go."""
    fmt = "JPEG" if mime == "image/jpeg" else "PNG"
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as img:
            if img.width * img.height > IMAGE_MAX_PIXELS:
                limit = IMAGE_MAX_PIXELS // 10_000
                raise ValidationError(
                    (
                        _("文件「%(name)s」的图片尺寸过大（超过%(limit)s万像素），请缩小后上传。")
                        % {"name": name, "limit": limit}
                    ),
                    code="image",
                )
            return _encode(_bounded(img), fmt)
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds (and a bomb warning as an error) for hostile files
        raise ValidationError(
            (_("文件「%(name)s」：%(image_unreadable)s") % {"name": name, "image_unreadable": IMAGE_UNREADABLE}),
            code="image",
        ) from None


def _bounded(img: Image.Image) -> Image.Image:
    """The picture upright (as the camera held it) and no larger than IMAGE_MAX_SIDE either way."""
    box = (IMAGE_MAX_SIDE, IMAGE_MAX_SIDE)
    if img.format == "JPEG":
        img.draft(None, box)  # decode at the largest 1/n scale that is still at least the box
    img.load()
    upright = ImageOps.exif_transpose(img)
    upright.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return upright


def _encode(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    transparency = img.info.get("transparency")
    img.info = {}  # Pillow would otherwise carry comments, ICC and EXIF over into the new file
    if fmt == "JPEG":
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
        img.save(out, format="JPEG", quality=90, optimize=True)
    else:
        extra = {"transparency": transparency} if transparency is not None else {}
        img.save(out, format="PNG", compress_level=6, **extra)  # optimize=True costs seconds on a large one
    return out.getvalue()


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
