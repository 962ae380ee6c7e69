"""电子证书打包下载: a class's certificates as one zip, built by the task worker (jxjy.jobs)."""

import tempfile

from django.http import Http404
from django.utils.translation import gettext as _

from jxjy.jobs.kinds import Kind, Output, Progress

from .audit_actions import CertificateAction
from .exports import class_certificates, write_class_zip


def _authorise(user, params: dict) -> None:
    if not class_certificates(user, class_id=params["class_id"]).exists():
        raise Http404(_("该培训班没有可下载的证书。"))


def _title(user, params: dict) -> str:
    cert = class_certificates(user, class_id=params["class_id"]).first()
    return (_("%(class_name)s-电子证书") % {"class_name": cert.class_name}) if cert else _("电子证书")


def _build(user, params: dict, progress: Progress) -> Output:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the job once stored
    certs = class_certificates(user, class_id=params["class_id"])
    write_class_zip(certs, out, progress=progress)
    out.seek(0)
    return Output(f"{_title(user, params)}.zip", "application/zip", out)


CERTIFICATES_ZIP = Kind(_authorise, _title, CertificateAction.DOWNLOAD_ZIP, _build)
