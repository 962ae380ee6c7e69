"""What each kind of job is: who may start it (checked again when it runs and when its file is
downloaded), its title, what the audit trail calls it, and how its file is built."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.http import Http404

from jxjy.accounts.models import User
from jxjy.certificates.exports import class_certificates, write_class_zip
from jxjy.core.audit_export import audit_workbook
from jxjy.core.audit_views import auditor_only
from jxjy.stats.exports import authorise as authorise_stats
from jxjy.stats.exports import stats_workbook

from .models import JobKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Output:
    filename: str
    content_type: str
    content: IO[bytes]


@dataclass(frozen=True)
class Kind:
    authorise: Callable[[User, dict], None]  # raises PermissionDenied / Http404
    title: Callable[[User, dict], str]
    audit_action: str
    build: Callable[[User, dict, Progress], Output]


def _bytes(data: bytes) -> IO[bytes]:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the job once stored
    out.write(data)
    out.seek(0)
    return out


def _zip_authorise(user: User, params: dict) -> None:
    if not class_certificates(user, class_id=params["class_id"]).exists():
        raise Http404("该培训班没有可下载的证书。")


def _zip_title(user: User, params: dict) -> str:
    cert = class_certificates(user, class_id=params["class_id"]).first()
    return f"{cert.class_name}-电子证书" if cert else "电子证书"


def _zip_build(user: User, params: dict, progress: Progress) -> Output:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the job once stored
    certs = class_certificates(user, class_id=params["class_id"])
    write_class_zip(certs, out, progress=progress)
    out.seek(0)
    return Output(f"{_zip_title(user, params)}.zip", "application/zip", out)


def _stats_build(user: User, params: dict, progress: Progress) -> Output:
    data = stats_workbook(user, year=params["year"], progress=progress)
    return Output(f"{params['year']}年度继续教育统计.xlsx", XLSX, _bytes(data))


def _audit_build(user: User, params: dict, progress: Progress) -> Output:
    data, _ = audit_workbook(params["conditions"], progress=progress)
    return Output("审计日志.xlsx", XLSX, _bytes(data))


KINDS: dict[str, Kind] = {
    JobKind.CERTIFICATES_ZIP: Kind(_zip_authorise, _zip_title, "批量下载证书", _zip_build),
    JobKind.STATS_EXPORT: Kind(
        lambda user, params: authorise_stats(user),
        lambda user, params: f"{params['year']}年度继续教育统计",
        "导出统计",
        _stats_build,
    ),
    JobKind.AUDIT_EXPORT: Kind(
        lambda user, params: auditor_only(user), lambda user, params: "审计日志导出", "导出审计日志", _audit_build
    ),
}
