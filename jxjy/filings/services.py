"""Business rules of the 培训前备案: create, save (temporary or checked), attach, submit, delete."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jxjy.accounts.models import Organisation, Role, User
from jxjy.attachments.models import AttachmentKind
from jxjy.attachments.services import attach
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.drafts import discard_drafts
from jxjy.core.errors import DomainError, NotEditable
from jxjy.core.identity import EMAIL_RE, MOBILE_RE, POSTCODE_RE
from jxjy.core.rules import rule
from jxjy.review import engine

from .models import PreFiling, Purpose
from .models import PreFilingStatus as S

REQUIRED_ATTACHMENTS = (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION)
# The kinds the base uploads on the 申报表 and may remove again while it can edit the filing.
FORM_ATTACHMENTS = (*REQUIRED_ATTACHMENTS, AttachmentKind.OTHER)
TABLES = (
    ("courses", "教学课程", ("content", "hours")),
    ("teachers", "师资情况", ("name", "education", "major", "title", "course")),
    ("textbooks", "培训教材", ("name", "edition")),
)
NOT_EDITABLE = "该备案已提交，数据提交后将不可修改。"


def draft_key(filing: PreFiling) -> str:
    """The key under which autosave keeps what is typed into this filing's form."""
    return f"prefiling:{filing.pk or 'new'}"


def new_pre_filing(*, actor: User) -> PreFiling:
    """An unsaved filing with 年份, 填报日期 and the base's own details filled in from the account."""
    if actor.role != Role.BASE:
        raise DomainError("只有继续教育基地可以新增培训前备案。")
    base: Organisation = actor.organisation
    today = clock.today()
    return PreFiling(
        base=base,
        created_by=actor,
        status=S.DRAFT,
        holder=base,
        year=today.year,
        fill_date=today,
        base_name=base.name[:50],
        base_location=base.location,
        department_name=base.department.name[:50] if base.department_id else "",
    )


def _hours(value: Decimal) -> str:
    """学时 as people write them: 40, 40.5 (the column keeps one decimal place, "40.0")."""
    return f"{Decimal(value).normalize():f}"


def ensure_editable(filing: PreFiling) -> None:
    if not filing.is_editable:
        raise NotEditable(NOT_EDITABLE)


# What a 学时认定 申报 must hold (guide §五.3: 填写相关开班信息).
RECOGNITION_FIELDS = ["class_name", "start_date", "end_date", "venue", "total_hours", "subject_kind", "planned_count"]


def recognition_errors(filing: PreFiling) -> dict[str, list[str]]:
    """The rules of a 学时认定 申报: its class details, the scope and the 实施方案."""
    errors: dict[str, list[str]] = {}
    for name in RECOGNITION_FIELDS:
        if getattr(filing, name) in (None, ""):
            errors.setdefault(name, []).append(f"{PreFiling._meta.get_field(name).verbose_name}不能为空")
    if not filing.scope_items.exists():
        errors["scope"] = ["培训范围不能为空"]
    if filing.start_date and filing.end_date and filing.end_date < filing.start_date:
        errors["end_date"] = ["开班结束时间不能早于开班开始时间"]
    if not filing.attachments.filter(kind=AttachmentKind.PLAN).exists():
        errors["attachments"] = [f"请上传附件：{AttachmentKind.PLAN.label}"]
    return errors


def completeness_errors(filing: PreFiling, *, today: dt.date | None = None) -> dict[str, list[str]]:
    """Every rule 保存 and 提交 enforce, checked on the stored filing; field name -> messages."""
    if filing.purpose == Purpose.RECOGNITION:
        return recognition_errors(filing)
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in PreFiling.FORM_FIELDS:  # every field of the 申报表 is required
        if getattr(filing, name) in (None, ""):
            add(name, f"{PreFiling._meta.get_field(name).verbose_name}不能为空")
    if not filing.scope_items.exists():
        add("scope", "培训范围不能为空")
    for mobile in ("leader_mobile", "contact_mobile"):
        value = getattr(filing, mobile)
        if value and not MOBILE_RE.fullmatch(value):
            add(mobile, "请输入正确的11位手机号码")
    if filing.email and not EMAIL_RE.fullmatch(filing.email):
        add("email", "请输入正确的邮箱地址")
    if filing.postcode and not POSTCODE_RE.fullmatch(filing.postcode):
        add("postcode", "邮编应为6位数字")
    if filing.start_date and filing.end_date and filing.end_date < filing.start_date:
        add("end_date", "开班结束时间不能早于开班开始时间")
    lead = rule("JXJY_FILING_LEAD_DAYS")
    today = today or clock.today()
    if filing.start_date and filing.start_date < today + dt.timedelta(days=lead):
        add("start_date", f"须在开班前{lead}日提交备案，开班开始时间不能早于{today + dt.timedelta(days=lead):%Y-%m-%d}")
    rows_complete = True
    for related, label, fields in TABLES:
        rows = list(getattr(filing, related).all())
        if not rows:
            add(related, f"请至少添加一条{label}")
        # 临时保存 keeps half-filled rows; a submit that did not come through 保存 must not pass them.
        for n, row in enumerate(rows, 1):
            missing = [
                str(row._meta.get_field(name).verbose_name) for name in fields if getattr(row, name) in (None, "")
            ]
            if missing:
                rows_complete = False
                add(related, f"{label}第{n}行：请填写{'、'.join(missing)}")
    courses = list(filing.courses.all())
    for n, course in enumerate(courses, 1):
        if course.hours is not None and course.hours <= 0:
            rows_complete = False
            add("courses", f"教学课程第{n}行：学时数应大于0")
    if courses and rows_complete and filing.total_hours is not None:
        course_sum = sum((c.hours for c in courses), Decimal(0))
        if course_sum != filing.total_hours:
            add(
                "total_hours", f"总学时（{_hours(filing.total_hours)}）应等于教学课程学时数之和（{_hours(course_sum)}）"
            )
    present = set(filing.attachments.values_list("kind", flat=True))
    for kind in REQUIRED_ATTACHMENTS:
        if kind not in present:
            add("attachments", f"请上传附件：{kind.label}")
    return errors


def raise_if_incomplete(filing: PreFiling) -> None:
    errors = completeness_errors(filing)
    if errors:
        raise DomainError("备案信息不完整或有误，请按提示修改。", errors=errors)


def delete_files_on_commit(files: list) -> None:
    """Remove stored files once the rows that pointed at them are gone for good (files are not transactional)."""
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def remove_attachments(filing: PreFiling, *, ids: list[int], actor: User) -> None:
    """删除 some of the base's own uploads; a department's stamped scan or a generated form stays."""
    removed = list(filing.attachments.filter(pk__in=ids, kind__in=FORM_ATTACHMENTS))
    for attachment in removed:
        attachment.delete()
        audit.record(actor=actor, action="删除附件", obj=filing, detail={"附件": attachment.original_name})
    delete_files_on_commit([a.file for a in removed])


def save_pre_filing(
    filing: PreFiling,
    *,
    actor: User,
    apply_changes,
    uploads: list[tuple[str, object]],
    remove_attachment_ids: list[int],
    strict: bool,
) -> PreFiling:
    """临时保存 (strict=False) or 保存 (strict=True): write the form's changes, all or nothing.

    `apply_changes(filing)` writes the bound form, scope and row formsets onto the saved filing.
    With strict, every completeness rule must hold or nothing is written.
    """
    stored: list = []
    try:
        with transaction.atomic():
            if filing.pk:
                locked = PreFiling.objects.select_for_update().get(pk=filing.pk)
                ensure_editable(locked)
            is_new = filing.pk is None
            apply_changes(filing)
            remove_attachments(filing, ids=remove_attachment_ids, actor=actor)
            for kind, upload in uploads:
                attach(filing, kind=kind, upload=upload, actor=actor, stored=stored)
            if strict:
                raise_if_incomplete(filing)
            action = "新增备案" if is_new else ("保存" if strict else "临时保存")
            audit.record(actor=actor, action=action, obj=filing)
    except BaseException:
        for f in stored:
            f.storage.delete(f.name)
        raise
    return filing


def submit_pre_filing(filing: PreFiling, *, actor: User) -> PreFiling:
    """提交: send the complete filing to its department; from now on nothing in it can change."""
    return engine.perform(filing, "submit", actor=actor)


@transaction.atomic
def delete_pre_filing(filing: PreFiling, *, actor: User) -> None:
    """删除 a draft that was never submitted. Anything once submitted stays, as the audit trail needs."""
    filing = PreFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.status != S.DRAFT or filing.submitted_at is not None:
        raise NotEditable("只有从未提交过的草稿可以删除。")
    if filing.base_id != actor.organisation_id:
        raise DomainError("您无权删除该备案。")
    audit.record(actor=actor, action="删除备案", obj=filing, detail={"培训班名称": filing.class_name})
    attachments = list(filing.attachments.all())
    for attachment in attachments:
        attachment.delete()
    delete_files_on_commit([a.file for a in attachments])
    discard_drafts(draft_key(filing))
    filing.delete()


def require_stamped_form(filing: PreFiling) -> None:
    if not filing.attachments.filter(kind=AttachmentKind.STAMPED_FORM).exists():
        raise DomainError("请先上传盖有两公章的申报表扫描件。", field="stamped_form")
