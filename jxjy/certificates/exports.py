"""All certificates of one class as a zip, built by the task worker (a class may have hundreds)."""

import zipfile
from collections.abc import Callable
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User

from .models import Certificate
from .selectors import certificates_visible_to
from .services import signed_pdf

ZIP_ROLES = (Role.BASE, Role.HR_REGION, Role.HR_PREFECTURE)


def class_certificates(user: User, *, class_id: int) -> QuerySet[Certificate]:
    """The class's certificates that `user` may download; PermissionDenied for other roles."""
    if user.role not in ZIP_ROLES or not user.is_active:
        raise PermissionDenied(_("您的账号无权使用该功能。"))
    return certificates_visible_to(user).filter(registration__training_class_id=class_id).order_by("number")


def write_class_zip(certs: QuerySet[Certificate], out: IO[bytes], *, progress: Callable[[int, int], None]) -> int:
    """Write every certificate's PDF into `out` as a zip; returns how many."""
    total = certs.count()
    progress(0, total)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, cert in enumerate(certs.iterator(chunk_size=200), start=1):
            archive.writestr(f"{cert.number}-{cert.holder_name}.pdf", signed_pdf(cert))
            progress(done, total)
    return total
