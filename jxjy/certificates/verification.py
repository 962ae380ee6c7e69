"""证书查验 of an uploaded file: what `signing.verify` found, and what the certificate named in the file is now.

The page and the open API both call `check_file` and word nothing themselves. A file is one of:

* a certificate signed by the platform, unchanged, and valid now (`valid`), or revoked since (`revoked`, with
  the date, the reason and the certificate issued in its place when it was 换发);
* a 学时证明 signed by the platform, unchanged (`hours_proof`);
* signed by the platform but changed after signing (`modified`);
* anything else that is a PDF: signed by someone else, not signed, or signed by the platform over a document
  that names no certificate of ours (`foreign`), or a PDF that cannot be read (`unreadable`).

What is not a PDF at all, is empty, or is too large is refused (`FileRefused`) before anything is verified.
Public lookups are not audited, this one neither.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from . import signing
from .models import Certificate

MAX_BYTES = 5 * 1024 * 1024  # a certificate is about 130 KB
MAX_MB = MAX_BYTES // (1024 * 1024)
PDF_HEADER = b"%PDF-"
HEADER_WINDOW = 1024  # readers accept the header anywhere in the first kilobyte


class Result:
    """The machine-readable outcome (the API's `result`)."""

    VALID = "valid"
    MODIFIED = "modified"
    REVOKED = "revoked"
    FOREIGN = "foreign"
    UNREADABLE = "unreadable"
    HOURS_PROOF = "hours_proof"


RESULTS = {
    Result.VALID: gettext_lazy("证书真实有效"),
    Result.MODIFIED: gettext_lazy("文件内容已被修改"),
    Result.REVOKED: gettext_lazy("证书已撤销"),
    Result.FOREIGN: gettext_lazy("不是本平台签发的文件"),
    Result.UNREADABLE: gettext_lazy("无法读取该文件"),
    Result.HOURS_PROOF: gettext_lazy("学时证明真实有效"),
}


class FileRefused(Exception):
    """The upload cannot be checked at all: no file, an empty one, one too large, or not a PDF."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# The 证书查验 sheet's labels, shown in Chinese and Uyghur (templates/certificates/_certificate_sheet.html).
SHEET_LABELS = (
    gettext_noop("证书编号"),
    gettext_noop("证书类别"),
    gettext_noop("持证人"),
    gettext_noop("培训项目"),
    gettext_noop("培训机构"),
    gettext_noop("学时"),
    gettext_noop("年度"),
    gettext_noop("发证机关"),
    gettext_noop("发证日期"),
    gettext_noop("状态"),
    gettext_noop("换发"),
    gettext_noop("签章时间"),
)

NO_FILE = gettext_lazy("请选择要查验的 PDF 文件。")
EMPTY = gettext_lazy("上传的文件是空文件，请选择本平台下载的 PDF 文件。")
TOO_LARGE = format_lazy(
    gettext_lazy("文件超过{mb}MB，无法查验。本平台签发的证书文件通常不足1MB，请上传从本平台下载的 PDF 文件。"),
    mb=MAX_MB,
)
NOT_PDF = gettext_lazy("该文件不是 PDF 文件，请上传本平台下载的 PDF 文件。")
UNREADABLE = gettext_lazy("无法读取该文件，请上传本平台下载的 PDF 文件。")


@dataclass(frozen=True)
class FileCheck:
    """What a visitor is told about a file: `title` in a few words, `message` in a sentence or two."""

    result: str
    title: str
    detail: str
    certificate: Certificate | None = None  # the certificate the file is, when it is a genuine one of ours
    signed_at: datetime | None = None  # when the platform signed it, for a genuine file

    @property
    def message(self) -> str:
        return f"{self.title}：{self.detail}" if self.detail else self.title

    @property
    def genuine(self) -> bool:
        """Signed by the platform and unchanged since (whatever the certificate's status now)."""
        return self.result in (Result.VALID, Result.REVOKED, Result.HOURS_PROOF)

    @property
    def good(self) -> bool:
        """What the file says holds now."""
        return self.result in (Result.VALID, Result.HOURS_PROOF)


def read_limited(file) -> bytes:
    """At most one byte more than MAX_BYTES of a file object: enough to tell that it is too large."""
    return file.read(MAX_BYTES + 1)


def check_file(data: bytes | None) -> FileCheck:
    """What the uploaded `data` is (None: no file was given). Raises FileRefused before verifying anything
    when there is nothing to verify: no file, an empty one, one over MAX_BYTES, or no PDF header."""
    if data is None:
        raise FileRefused("no_file", NO_FILE)
    if not data:
        raise FileRefused("empty", EMPTY)
    if len(data) > MAX_BYTES:
        raise FileRefused("too_large", TOO_LARGE)
    if PDF_HEADER not in data[:HEADER_WINDOW]:
        raise FileRefused("not_pdf", NOT_PDF)
    verdict = signing.verify(data)
    if verdict.finding == signing.Finding.UNREADABLE:
        return FileCheck(Result.UNREADABLE, UNREADABLE, "")
    if verdict.finding == signing.Finding.MODIFIED:
        return FileCheck(
            Result.MODIFIED,
            RESULTS[Result.MODIFIED],
            _(
                "该文件带有本平台的电子签章，但签章后内容被改动过，不能作为证明使用。"
                "请向持证人索取原始文件，或按证书编号查验。"
            ),
        )
    if verdict.finding != signing.Finding.VALID:
        return _foreign()
    return _genuine(verdict)


def _foreign() -> FileCheck:
    return FileCheck(
        Result.FOREIGN,
        RESULTS[Result.FOREIGN],
        _("该文件没有本平台的电子签章，或签章不是本平台的，不能证明其内容。请按证书编号查验。"),
    )


def _genuine(verdict: signing.Verdict) -> FileCheck:
    """A file the platform signed, unchanged: which document it is, by the Keywords the platform wrote."""
    certificate_prefix = signing.document_keywords("certificate", "")
    if verdict.keywords.startswith(signing.document_keywords("hours-proof", "")):
        signed_on = timezone.localdate(verdict.signed_at).isoformat() if verdict.signed_at else ""
        return FileCheck(
            Result.HOURS_PROOF,
            (_("%(hours_proof)s（本平台签发，签发后未被修改）") % {"hours_proof": RESULTS[Result.HOURS_PROOF]}),
            (_("签发日期 %(signed_on)s。") % {"signed_on": signed_on}) if signed_on else "",
            signed_at=verdict.signed_at,
        )
    code = verdict.keywords.removeprefix(certificate_prefix) if verdict.keywords.startswith(certificate_prefix) else ""
    cert = Certificate.objects.select_related("replaced_by", "replaces").filter(code=code).first() if code else None
    if cert is None:  # our signature over a document that is no certificate of ours (a test file, a leak)
        return _foreign()
    if cert.is_valid:
        return FileCheck(
            Result.VALID,
            RESULTS[Result.VALID],
            (_("该文件由本平台签发，签发后未被修改，证书 %(number)s 当前有效。") % {"number": cert.number}),
            certificate=cert,
            signed_at=verdict.signed_at,
        )
    revoked_on = timezone.localdate(cert.revoked_at).isoformat() if cert.revoked_at else ""
    reason = "，".join(filter(None, (revoked_on, f"原因：{cert.revoked_reason}" if cert.revoked_reason else "")))
    detail = _("该文件由本平台签发，签发后未被修改，但证书 %(number)s 已被发证机关撤销，不再有效。") % {
        "number": cert.number
    }
    if cert.replaced_by_id:
        detail += _("该证书已换发，新证书编号为 %(number)s。") % {"number": cert.replaced_by.number}
    return FileCheck(
        Result.REVOKED,
        f"{RESULTS[Result.REVOKED]}（{reason}）" if reason else RESULTS[Result.REVOKED],
        detail,
        certificate=cert,
        signed_at=verdict.signed_at,
    )
