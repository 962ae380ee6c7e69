"""Storing an upload on a document, checked first (jxjy.core.uploads) and recorded in the audit trail."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.uploads import CheckedUpload, check_upload

from .audit_actions import AttachmentAction
from .models import Attachment, AttachmentKind, StagedUpload

if TYPE_CHECKING:
    from django.contrib.auth.models import _User  # the project's user model (AUTH_USER_MODEL), as the stubs name it
    from django_stubs_ext import StrOrPromise

# A file of these kinds must be named for its kind. The guide writes the invitation both ways
# (“继续教育培训开班邀请函” in the form, “继续教育培训班开班邀请函” in §G), so both are right.
_REQUIRED_NAMES: dict[str, tuple["StrOrPromise", ...]] = {
    AttachmentKind.PLAN: (AttachmentKind.PLAN.label,),
    AttachmentKind.NOTICE: (AttachmentKind.NOTICE.label,),
    AttachmentKind.INVITATION: (AttachmentKind.INVITATION.label, gettext_lazy("继续教育培训班开班邀请函")),
    AttachmentKind.STAMPED_FORM: (gettext_lazy("申报表"),),
}


def required_names(kind: str) -> tuple[str, ...]:
    """What a file of `kind` must be named: the guide's Chinese name first (files keep it), or its translation."""
    names = _REQUIRED_NAMES.get(kind, ())
    with translation.override(settings.LANGUAGE_CODE):
        chinese = [str(n) for n in names]
    return tuple(dict.fromkeys(chinese + [str(n) for n in names]))


def attach(
    document: models.Model,
    *,
    kind: str,
    upload: UploadedFile[Any],
    actor: "_User",
    stored: list[FieldFile] | None = None,
) -> Attachment:
    """Store one checked upload on `document` (the caller has checked it may still change).

    The stored file's name is appended to `stored`, so that a caller whose transaction fails
    can remove the file again (files are not transactional).
    """
    name = cast(str, upload.name)  # an uploaded file always has its name (the stubs allow None)
    checked = _checked(upload, kind)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        kind=kind,
        original_name=name[-200:],
        mime_type=checked.mime_type,
        size=checked.size,
        uploaded_by=actor,
        created_at=clock.now(),
    )
    attachment.file.save(name, ContentFile(checked.content), save=False)
    if stored is not None:
        stored.append(attachment.file)
    attachment.save()
    audit.record(actor=actor, action=AttachmentAction.UPLOAD, obj=document, detail={"附件": attachment.original_name})
    return attachment


def _checked(upload: UploadedFile[Any], kind: str, *, field: str = "attachments") -> CheckedUpload:
    """The upload checked for `kind` (its type, size, content and name), or DomainError next to `field`."""
    try:
        return check_upload(upload, required_name=required_names(kind))
    except ValidationError as e:
        raise DomainError(e.messages[0], field=field) from None


# ---- files picked on a form, held for it until it is saved ----

# How many files one form may hold picked and not yet saved: more than any form asks for.
MAX_STAGED_PER_FORM = 20


def stage(upload: UploadedFile[Any], *, kind: str, draft_key: str, actor: "_User") -> StagedUpload:
    """上传 a file the moment it is picked on the form `draft_key`: checked, stored and kept for the form.

    DomainError (next to the kind's field, "upload_<kind>") when the file is refused or the form holds
    MAX_STAGED_PER_FORM already; the caller has checked that `actor` may fill in this form.
    """
    field = f"upload_{kind}"
    if StagedUpload.objects.filter(owner=actor, draft_key=draft_key).count() >= MAX_STAGED_PER_FORM:
        raise DomainError(
            (
                _("本表单最多暂存%(max_staged_per_form)s个待保存的附件，请先保存或移除部分附件。")
                % {"max_staged_per_form": MAX_STAGED_PER_FORM}
            ),
            field=field,
        )
    checked = _checked(upload, kind, field=field)
    name = cast(str, upload.name)
    staged = StagedUpload(
        owner=actor,
        draft_key=draft_key,
        kind=kind,
        original_name=name[-200:],
        mime_type=checked.mime_type,
        size=checked.size,
        created_at=clock.now(),
    )
    staged.file.save(name, ContentFile(checked.content), save=False)
    try:
        staged.save()
    except BaseException:
        staged.file.delete(save=False)
        raise
    return staged


def staged_for(actor: "_User", draft_key: str, kinds: Iterable[str] | None = None) -> list[StagedUpload]:
    """The files `actor` picked on the form `draft_key` and has not saved yet, of `kinds` if given."""
    found = StagedUpload.objects.filter(owner=actor, draft_key=draft_key)
    if kinds is not None:
        found = found.filter(kind__in=list(kinds))
    return list(found)


def unstage(actor: "_User", ids: Iterable[int]) -> int:
    """移除 files picked and not saved (only the actor's own); returns how many went."""
    removed = list(StagedUpload.objects.filter(owner=actor, pk__in=list(ids)))
    _delete_staged(removed)
    return len(removed)


def attach_staged(document: models.Model, staged: list[StagedUpload], *, actor: "_User") -> list[Attachment]:
    """Attach the picked files to `document` in the caller's transaction: each stored file becomes the
    attachment's (nothing is copied or checked again), and the staged rows go. Rolled back, both stay."""
    content_type = ContentType.objects.get_for_model(document)
    made = []
    for item in staged:
        attachment = Attachment.objects.create(
            content_type=content_type,
            object_id=document.pk,
            kind=item.kind,
            file=item.file.name,
            original_name=item.original_name,
            mime_type=item.mime_type,
            size=item.size,
            uploaded_by=actor,
            created_at=item.created_at,
        )
        audit.record(actor=actor, action=AttachmentAction.UPLOAD, obj=document, detail={"附件": item.original_name})
        made.append(attachment)
    StagedUpload.objects.filter(pk__in=[item.pk for item in staged]).delete()
    return made


def prune_staged() -> int:
    """The worker's sweep: picked files of forms nobody saved for JXJY_DRAFT_KEEP_DAYS days, files and rows."""
    cutoff = clock.now() - dt.timedelta(days=settings.JXJY_DRAFT_KEEP_DAYS)
    old = list(StagedUpload.objects.filter(created_at__lt=cutoff))
    _delete_staged(old)
    return len(old)


def _delete_staged(staged: list[StagedUpload]) -> None:
    names = [(item.file.storage, cast(str, item.file.name)) for item in staged]  # stored, and so named
    StagedUpload.objects.filter(pk__in=[item.pk for item in staged]).delete()

    def delete_files() -> None:  # once the rows are gone for good: files are not transactional
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
