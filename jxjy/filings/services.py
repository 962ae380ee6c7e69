"""Business rules of the 培训前备案: create, save (temporary or checked), attach, submit, delete."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Field
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext, gettext_lazy

from jxjy.accounts.models import Organisation, User
from jxjy.accounts.predicates import is_base
from jxjy.attachments.audit_actions import AttachmentAction
from jxjy.attachments.models import AttachmentKind, StagedUpload
from jxjy.attachments.services import attach_staged
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.drafts import discard_drafts
from jxjy.core.errors import DomainError, NotEditable
from jxjy.core.identity import EMAIL_RE, MOBILE_RE, POSTCODE_RE
from jxjy.core.rules import rule
from jxjy.review import engine
from jxjy.review.workflows import Action

from .audit_actions import FilingAction
from .models import PreFiling, Purpose
from .models import PreFilingStatus as S

REQUIRED_ATTACHMENTS = (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION)
# The kinds the base uploads on the 申报表 and may remove again while it can edit the filing.
FORM_ATTACHMENTS = (*REQUIRED_ATTACHMENTS, AttachmentKind.OTHER)
TABLES = (
    ("courses", gettext_lazy("教学课程"), ("content", "hours")),
    ("teachers", gettext_lazy("师资情况"), ("name", "education", "major", "title", "course")),
    ("textbooks", gettext_lazy("培训教材"), ("name", "edition")),
)
NOT_EDITABLE = gettext_lazy("该备案已提交，数据提交后将不可修改。")


def draft_key(filing: PreFiling) -> str:
    """The key under which autosave keeps what is typed into this filing's form (and its picked files)."""
    form = "recognition" if filing.purpose == Purpose.RECOGNITION else "prefiling"
    return f"{form}:{filing.pk or 'new'}"


def new_pre_filing(*, actor: User) -> PreFiling:
    """An unsaved filing with 年份, 填报日期 and the base's own details filled in from the account."""
    if not is_base(actor):
        raise DomainError(gettext("只有继续教育基地可以新增培训前备案。"))
    base = cast(Organisation, actor.organisation)  # a base's account belongs to its base
    today = clock.today()
    filing = PreFiling(
        base=base,
        created_by=actor,
        year=today.year,
        fill_date=today,
        base_name=base.name[:50],
        base_location=base.location,
        department_name=department.name[:50] if (department := base.department) is not None else "",
    )
    return engine.begin(filing)


def new_recognition(*, actor: User) -> PreFiling:
    """An unsaved 学时认定 申报, filled in from the account like a new 培训前备案."""
    filing = new_pre_filing(actor=actor)
    filing.purpose = Purpose.RECOGNITION
    return filing


def _hours(value: Decimal) -> str:
    """学时 as people write them: 40, 40.5 (the column keeps one decimal place, "40.0")."""
    return f"{Decimal(value).normalize():f}"


def ensure_editable(filing: PreFiling) -> None:
    if not filing.is_editable:
        raise NotEditable(NOT_EDITABLE)


# What a 学时认定 申报 must hold (guide §五.3: 填写相关开班信息).
RECOGNITION_FIELDS = ["class_name", "start_date", "end_date", "venue", "total_hours", "subject_kind", "planned_count"]


def _label(name: str) -> str:
    """The 申报表 field's label (a field of the filing itself, never a relation's reverse side)."""
    return str(cast("Field[Any, Any]", PreFiling._meta.get_field(name)).verbose_name)


@dataclass
class Content:
    """What a filing holds, as the completeness rules read it: the stored filing (content_of), or a form not
    saved yet (forms.content_of_form), so that 保存 can say everything that is wrong in one answer.

    `values`: the filing's own fields; `scope`: whether a 培训范围 is chosen; `tables`: related name -> rows
    (field -> value); `attachment_kinds`: the kinds of file it has. `refused`: fields and tables the form has
    refused already (a wrong format, a half-filled row): the rules say nothing more about them.
    """

    values: dict[str, Any]
    scope: bool
    tables: dict[str, list[dict[str, Any]]]
    attachment_kinds: set[str]
    refused: set[str] = field(default_factory=set)


def content_of(filing: PreFiling) -> Content:
    """The stored filing's content."""
    fields = RECOGNITION_FIELDS if filing.purpose == Purpose.RECOGNITION else PreFiling.FORM_FIELDS
    return Content(
        values={name: getattr(filing, name) for name in fields},
        scope=filing.scope_items.exists(),
        tables={
            related: [{name: getattr(row, name) for name in names} for row in getattr(filing, related).all()]
            for related, _, names in TABLES
        },
        attachment_kinds=set(filing.attachments.values_list("kind", flat=True)),
    )


def recognition_errors(content: Content) -> dict[str, list[str]]:
    """The rules of a 学时认定 申报: its class details, the scope and the 实施方案."""
    errors: dict[str, list[str]] = {}
    for name, message in _recognition_rules(content):
        if name not in content.refused:
            errors.setdefault(name, []).append(message)
    return errors


def _recognition_rules(content: Content) -> Iterator[tuple[str, str]]:
    values = content.values
    for name in RECOGNITION_FIELDS:
        if values.get(name) in (None, ""):
            yield name, (gettext("%(_label)s不能为空") % {"_label": _label(name)})
    if not content.scope:
        yield "scope", gettext("培训范围不能为空")
    if values.get("start_date") and values.get("end_date") and values["end_date"] < values["start_date"]:
        yield "end_date", gettext("开班结束时间不能早于开班开始时间")
    if AttachmentKind.PLAN not in content.attachment_kinds:
        yield "attachments", (gettext("请上传附件：%(label)s") % {"label": AttachmentKind.PLAN.label})


def completeness_errors(filing: PreFiling, *, today: dt.date | None = None) -> dict[str, list[str]]:
    """Every rule 保存 and 提交 enforce, checked on the stored filing; field name -> messages.

    A 提交 may come straight after a 临时保存, which keeps what the form's formats (手机号, 邮箱, 邮编) and
    half-filled rows would refuse: those are checked again here. A course's 学时数 is not: the form refuses
    one that is not above 0 in either mode.
    """
    return content_errors(content_of(filing), purpose=filing.purpose, today=today)


def content_errors(content: Content, *, purpose: str, today: dt.date | None = None) -> dict[str, list[str]]:
    """The completeness rules over `content` (of the stored filing or of a form), for a filing of `purpose`."""
    if purpose == Purpose.RECOGNITION:
        return recognition_errors(content)
    errors: dict[str, list[str]] = {}
    for name, message in [
        *_field_errors(content),
        *_date_errors(content.values, today or clock.today()),
        *_table_errors(content),
        *_attachment_errors(content),
    ]:
        if name not in content.refused:
            errors.setdefault(name, []).append(message)
    return errors


def _field_errors(content: Content) -> Iterator[tuple[str, str]]:
    """(field, message) for each empty field of the 申报表 (all are required), the scope and each wrong format."""
    values = content.values
    for name in PreFiling.FORM_FIELDS:
        if values.get(name) in (None, ""):
            yield name, (gettext("%(_label)s不能为空") % {"_label": _label(name)})
    if not content.scope:
        yield "scope", gettext("培训范围不能为空")
    for mobile in ("leader_mobile", "contact_mobile"):
        value = values.get(mobile)
        if value and not MOBILE_RE.fullmatch(value):
            yield mobile, gettext("请输入正确的11位手机号码")
    if values.get("email") and not EMAIL_RE.fullmatch(values["email"]):
        yield "email", gettext("请输入正确的邮箱地址")
    if values.get("postcode") and not POSTCODE_RE.fullmatch(values["postcode"]):
        yield "postcode", gettext("邮编应为6位数字")


def _date_errors(values: dict[str, Any], today: dt.date) -> Iterator[tuple[str, str]]:
    """The class ends after it starts, and starts at least JXJY_FILING_LEAD_DAYS after today."""
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        yield "end_date", gettext("开班结束时间不能早于开班开始时间")
    lead = rule("JXJY_FILING_LEAD_DAYS")
    earliest = today + dt.timedelta(days=lead)
    if start and start < earliest:
        yield (
            "start_date",
            (
                gettext("须在开班前%(lead)s日提交备案，开班开始时间不能早于%(earliest)s")
                % {"lead": lead, "earliest": format(earliest, "%Y-%m-%d")}
            ),
        )


def _table_errors(content: Content) -> Iterator[tuple[str, str]]:
    """Each table has a row and every row is filled in; then 总学时 is the sum of the courses' 学时数."""
    for related, label, names in TABLES:
        rows = content.tables.get(related, [])
        if not rows:
            yield related, (gettext("请至少添加一条%(label)s") % {"label": label})
        if related in content.refused:  # the form has said which of its rows are wrong
            continue
        # 临时保存 keeps half-filled rows; a submit that did not come through 保存 must not pass them.
        for n, row in enumerate(rows, 1):
            missing = [_row_label(related, name) for name in names if row.get(name) in (None, "")]
            if missing:
                yield (
                    related,
                    (
                        gettext("%(label)s第%(n)s行：请填写%(join)s")
                        % {"label": label, "n": n, "join": "、".join(missing)}
                    ),
                )
    courses = content.tables.get("courses", [])
    hours: list[Decimal | None] = [c.get("hours") for c in courses]
    total_hours = content.values.get("total_hours")
    # Only when every course has its 学时数: a missing one is said above, not as a wrong sum.
    if courses and "courses" not in content.refused and None not in hours and total_hours is not None:
        course_sum = sum((h for h in hours if h is not None), Decimal(0))
        if course_sum != total_hours:
            yield (
                "total_hours",
                (
                    gettext("总学时（%(_hours)s）应等于教学课程学时数之和（%(_hours2)s）")
                    % {"_hours": _hours(total_hours), "_hours2": _hours(course_sum)}
                ),
            )


def _row_label(related: str, name: str) -> str:
    model = PreFiling._meta.get_field(related).related_model
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _attachment_errors(content: Content) -> Iterator[tuple[str, str]]:
    for kind in REQUIRED_ATTACHMENTS:
        if kind not in content.attachment_kinds:
            yield "attachments", (gettext("请上传附件：%(label)s") % {"label": kind.label})


def raise_if_incomplete(filing: PreFiling) -> None:
    errors = completeness_errors(filing)
    if errors:
        raise DomainError(gettext("备案信息不完整或有误，请按提示修改。"), errors=errors)


def delete_files_on_commit(files: list[FieldFile]) -> None:
    """Remove stored files once the rows that pointed at them are gone for good (files are not transactional)."""
    names = [(f.storage, f.name) for f in files if f.name]  # a FieldFile is true when it has a name

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def remove_attachments(filing: PreFiling, *, ids: list[int], actor: User) -> None:
    """删除 some of the base's own uploads; a department's stamped scan or a generated form stays."""
    removed = list(filing.attachments.filter(pk__in=ids, kind__in=FORM_ATTACHMENTS))
    for attachment in removed:
        attachment.delete()
        audit.record(actor=actor, action=AttachmentAction.DELETE, obj=filing, detail={"附件": attachment.original_name})
    delete_files_on_commit([a.file for a in removed])


def save_pre_filing(
    filing: PreFiling,
    *,
    actor: User,
    apply_changes: Callable[[PreFiling], object],
    staged: list[StagedUpload],
    remove_attachment_ids: list[int],
    strict: bool,
) -> PreFiling:
    """临时保存 (strict=False) or 保存 (strict=True): write the form's changes, all or nothing.

    `apply_changes(filing)` writes the bound form, scope and row formsets onto the saved filing; `staged`,
    the files picked for the form (checked when they were picked), are attached to it.
    With strict, every completeness rule must hold or nothing is written (and the picked files stay picked).
    """
    if (first := filed_from(filing)) is not None:
        raise AlreadyFiled(first)
    try:
        with transaction.atomic():
            if filing.pk:
                locked = PreFiling.objects.select_for_update().get(pk=filing.pk)
                ensure_editable(locked)
            is_new = filing.pk is None
            apply_changes(filing)
            remove_attachments(filing, ids=remove_attachment_ids, actor=actor)
            attach_staged(filing, staged, actor=actor)
            if strict:
                raise_if_incomplete(filing)
            action = FilingAction.CREATE if is_new else (FilingAction.SAVE if strict else FilingAction.SAVE_DRAFT)
            audit.record(actor=actor, action=action, obj=filing)
    except IntegrityError:
        if (first := filed_from(filing)) is not None:
            raise AlreadyFiled(first) from None  # the same 新增 page, sent again while the first was saving
        raise
    return filing


class AlreadyFiled(DomainError):
    """The 新增 page was sent before (a double click, a replay): its filing exists and was not made twice."""

    def __init__(self, filing: PreFiling):
        super().__init__(gettext("该备案已经保存过，没有重复新建。"))
        self.filing = filing


def filed_from(filing: PreFiling, key: str | None = None) -> PreFiling | None:
    """The filing already saved from the 新增 page `filing` comes from (its form_key, or `key`), if any."""
    key = key if key is not None else filing.form_key
    if filing.pk is not None or not key:
        return None
    return PreFiling.objects.filter(base_id=filing.base_id, form_key=key).first()


def submit_pre_filing(filing: PreFiling, *, actor: User) -> PreFiling:
    """提交: send the complete filing to its department; from now on nothing in it can change."""
    return engine.perform(filing, Action.SUBMIT, actor=actor)


def save_and_submit(filing: PreFiling, *, actor: User, **changes: Any) -> tuple[PreFiling, DomainError | None]:
    """提交 from the form: save what was typed (as 保存 does, `changes` as save_pre_filing takes them), then send
    it on, in one transaction. A refused move takes back only itself (the engine's savepoint): the save stays,
    so that nothing typed is lost, and the refusal is handed back to be shown."""
    with transaction.atomic():
        filing = save_pre_filing(filing, actor=actor, strict=True, **changes)
        try:
            submit_pre_filing(filing, actor=actor)
        except DomainError as e:
            return filing, e
    return filing, None


@transaction.atomic
def delete_pre_filing(filing: PreFiling, *, actor: User) -> None:
    """删除 a draft that was never submitted. Anything once submitted stays, as the audit trail needs."""
    filing = PreFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.status != S.DRAFT or filing.submitted_at is not None:
        raise NotEditable(gettext("只有从未提交过的草稿可以删除。"))
    if filing.base_id != actor.organisation_id:
        raise DomainError(gettext("您无权删除该备案。"))
    audit.record(actor=actor, action=FilingAction.DELETE, obj=filing, detail={"培训班名称": filing.class_name})
    attachments = list(filing.attachments.all())
    for attachment in attachments:
        attachment.delete()
    delete_files_on_commit([a.file for a in attachments])
    discard_drafts(draft_key(filing))
    filing.delete()


def require_stamped_form(filing: PreFiling) -> None:
    if not filing.attachments.filter(kind=AttachmentKind.STAMPED_FORM).exists():
        raise DomainError(gettext("请先上传盖有两公章的申报表扫描件。"), field="stamped_form")
