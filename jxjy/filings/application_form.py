"""生成表格 / 下载表格 and forwarding the stamped 申报表 to HR (guide: 备案进度查询, 主管部门)."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.attachments.services import attach
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.uploads import discard_files_on_error
from jxjy.review import engine
from jxjy.review.workflows import Action

from .audit_actions import FilingAction
from .models import PreFiling
from .models import PreFilingStatus as S
from .pdf import form_title, render_application_form

# Once the department has passed it, the form can be generated and stamped until the end.
FORM_STATES = {S.DEPT_APPROVED, S.HR_REVIEW, S.APPROVED}


def generated_form(filing: PreFiling) -> Attachment | None:
    return filing.attachments.filter(kind=AttachmentKind.GENERATED_FORM).order_by("-id").first()


@transaction.atomic
def generate_form(filing: PreFiling, *, actor: User) -> Attachment:
    """生成表格: render the submitted data to PDF once; later calls return the same file."""
    filing = PreFiling.objects.select_for_update().get(pk=filing.pk)
    if actor.organisation_id != filing.base_id:
        raise DomainError(_("只有本基地可以生成申报表。"))
    if filing.status not in FORM_STATES:
        raise DomainError(_("主管部门审核通过后才能生成表格。"))
    existing = generated_form(filing)
    if existing:
        return existing
    name = f"{form_title(filing)}.pdf"
    attachment = Attachment(
        document=filing,
        kind=AttachmentKind.GENERATED_FORM,
        original_name=name,
        mime_type="application/pdf",
        uploaded_by=actor,
        created_at=clock.now(),
    )
    content = render_application_form(filing)
    attachment.size = len(content)
    with discard_files_on_error() as stored:
        attachment.file.save(name, ContentFile(content), save=False)
        stored.append(attachment.file)
        attachment.save()
        audit.record(actor=actor, action=FilingAction.GENERATE_FORM, obj=filing)
    return attachment


def upload_stamped_form(filing: PreFiling, *, actor: User, upload) -> Attachment:
    """The base (or its department) uploads the 申报表 scan bearing both seals."""
    with discard_files_on_error() as stored, transaction.atomic():
        filing = PreFiling.objects.select_for_update().get(pk=filing.pk)
        may_upload = actor.organisation_id in (filing.base_id, filing.base.department_id)
        if not may_upload or actor.role not in (Role.BASE, Role.DEPARTMENT):
            raise DomainError(_("您无权上传该备案的盖章扫描件。"))
        if filing.status != S.DEPT_APPROVED:
            raise DomainError(_("只有主管部门审核通过、尚未提交人社部门的备案可以上传盖章扫描件。"))
        return attach(filing, kind=AttachmentKind.STAMPED_FORM, upload=upload, actor=actor, stored=stored)


def forward_to_hr(filing: PreFiling, *, actor: User, upload=None) -> PreFiling:
    """提交 by the department: with the stamped scan (uploaded now or before) the filing goes to HR."""
    with transaction.atomic():
        if upload is not None:
            upload_stamped_form(filing, actor=actor, upload=upload)
        return engine.perform(filing, Action.FORWARD, actor=actor)
