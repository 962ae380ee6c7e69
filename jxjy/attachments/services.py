"""Storing an upload on a document, checked first (jxjy.core.uploads) and recorded in the audit trail."""

from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.uploads import check_upload

from .audit_actions import AttachmentAction
from .models import Attachment, AttachmentKind

if TYPE_CHECKING:
    from django.contrib.auth.models import _User  # the project's user model (AUTH_USER_MODEL), as the stubs name it

# A file of these kinds must be named for its kind. The guide writes the invitation both ways
# (“继续教育培训开班邀请函” in the form, “继续教育培训班开班邀请函” in §G), so both are right.
REQUIRED_NAMES: dict[str, str | tuple[str, ...]] = {
    AttachmentKind.PLAN: AttachmentKind.PLAN.label,
    AttachmentKind.NOTICE: AttachmentKind.NOTICE.label,
    AttachmentKind.INVITATION: (AttachmentKind.INVITATION.label, "继续教育培训班开班邀请函"),
    AttachmentKind.STAMPED_FORM: "申报表",
}


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
    required_name = REQUIRED_NAMES.get(kind)
    name = cast(str, upload.name)  # an uploaded file always has its name (the stubs allow None)
    try:
        checked = check_upload(upload, required_name=required_name)
    except ValidationError as e:
        raise DomainError(e.messages[0], field="attachments") from None
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
