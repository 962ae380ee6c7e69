"""Rules of the 培训后备案: its window, the four steps, and what 提交 requires."""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Field, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from jxjy.accounts.models import Organisation, User
from jxjy.accounts.predicates import is_base
from jxjy.attachments.models import AttachmentKind
from jxjy.attachments.services import attach
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError, NotEditable
from jxjy.core.identity import hours_text
from jxjy.core.rules import rule
from jxjy.review import engine
from jxjy.review.workflows import Action
from jxjy.trainings.models import ClassStatus, TrainingClass

from .audit_actions import CompletionAction
from .models import CompletionFiling, Score
from .scores import approved_registrations

REQUIRED_ATTACHMENTS = (AttachmentKind.SIGN_IN, AttachmentKind.SCORE_SHEET, AttachmentKind.SUMMARY)


def window(c: TrainingClass) -> tuple[dt.date, dt.date]:
    """培训后备案 is open from the class's last day until JXJY_COMPLETION_FILING_DAYS days after it."""
    end = cast(dt.date, c.pre_filing.end_date)  # an approved filing has its 开班结束时间 (completeness_errors)
    return end, end + dt.timedelta(days=rule("JXJY_COMPLETION_FILING_DAYS"))


def check_window(c: TrainingClass, *, today: dt.date | None = None) -> None:
    today = today or clock.today()
    first, last = window(c)
    if today < first:
        raise DomainError(
            (_("培训结束（%(first)s）后才能办理培训后备案。") % {"first": format(first, "%Y-%m-%d")}),
            field="training_class",
        )
    if today > last:
        raise DomainError(
            (
                _("培训后备案须在培训结束后%(rule)s日内（%(last)s前）办理，已超过期限。")
                % {"rule": rule("JXJY_COMPLETION_FILING_DAYS"), "last": format(last, "%Y-%m-%d")}
            ),
            field="training_class",
        )


def classes_for_completion(base: Organisation) -> QuerySet[TrainingClass]:
    """Step ① lists only approved classes of approved filings that have no completion filing yet."""
    return (
        TrainingClass.objects.filter(base=base, status=ClassStatus.APPROVED, completions__isnull=True)
        .select_related("pre_filing")
        .order_by("-pre_filing__end_date")
    )


def _own_editable(completion: CompletionFiling, actor: User) -> CompletionFiling:
    completion = CompletionFiling.objects.select_for_update().get(pk=completion.pk)
    if completion.base_id != actor.organisation_id:
        raise DomainError(_("您无权修改该培训后备案。"))
    if not completion.is_editable:
        raise NotEditable(_("该培训后备案已提交，当前不可修改。"))
    return completion


def attach_files(
    completion: CompletionFiling, uploads: list[tuple[str, UploadedFile[Any]]], *, actor: User, submit: bool
) -> DomainError | None:
    """④ 上传, and for 提交 send the filing on, in one transaction: the files are stored all or none; a refused
    提交 takes back only itself (the engine's savepoint), so that the files stay and the refusal is handed back."""
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            locked = _own_editable(completion, actor)
            for kind, upload in uploads:
                attach(locked, kind=kind, upload=upload, actor=actor, stored=stored)
            if submit:
                try:
                    engine.perform(locked, Action.SUBMIT, actor=actor)
                except DomainError as e:
                    return e
    except BaseException:
        for f in stored:
            f.storage.delete(cast(str, f.name))  # stored: saved, and so named
        raise
    return None


@transaction.atomic
def start(*, actor: User, training_class: TrainingClass, name: str, year: int, form_key: str = "") -> CompletionFiling:
    """Step ①: choose the class; creates the draft that keeps every later step (`form_key`: the page's number,
    jxjy.core.form_keys)."""
    if not is_base(actor) or training_class.base_id != actor.organisation_id:
        raise DomainError(_("只能为本基地的培训信息办理培训后备案。"))
    if training_class.status != ClassStatus.APPROVED:
        raise DomainError(_("只能选择审核通过的培训信息。"), field="training_class")
    if CompletionFiling.objects.filter(training_class=training_class).exists():
        raise DomainError(_("该培训信息已办理培训后备案。"), field="training_class")
    check_window(training_class)
    f = training_class.pre_filing
    completion = engine.begin(CompletionFiling(
        base=training_class.base, training_class=training_class, created_by=actor, name=name, year=year, step=2,
        form_key=form_key, purpose=f.purpose,
        actual_start=f.start_date, actual_end=f.end_date, actual_hours=f.total_hours,
        trained_count=approved_registrations_count(training_class),
    ))  # fmt: skip
    completion.save()
    audit.record(actor=actor, action=CompletionAction.CREATE, obj=completion)
    return completion


def approved_registrations_count(training_class: TrainingClass) -> int:
    return training_class.registrations.filter(status="approved").count()


def check_official_figures(completion: CompletionFiling) -> None:
    """实际学时 and 培训人数 become certificates, yearly hours and statistics, so they are bounded by what was
    approved: the filing's 总学时, and the class's approved learners (at 提交: exactly the learners scored)."""
    # An approved filing has its 总学时 (completeness_errors).
    approved_hours = cast(Decimal, completion.training_class.pre_filing.total_hours)
    hours = completion.actual_hours
    if hours is not None and not Decimal(0) < hours <= approved_hours:
        raise DomainError(
            (
                _("实际学时应大于0，且不超过培训前备案批准的总学时（%(hours_text)s学时）。")
                % {"hours_text": hours_text(approved_hours)}
            ),
            field="actual_hours",
        )
    learners = approved_registrations_count(completion.training_class)
    if completion.trained_count is not None and completion.trained_count > learners:
        raise DomainError(
            (_("培训人数不能超过本班审核通过的学员人数（%(learners)s人）。") % {"learners": learners}),
            field="trained_count",
        )


@transaction.atomic
def save_details(completion: CompletionFiling, *, actor: User, **fields: Any) -> CompletionFiling:
    """Step ②: 填写备案."""
    completion = _own_editable(completion, actor)
    for name, value in fields.items():
        setattr(completion, name, value)
    if completion.actual_start and completion.actual_end and completion.actual_end < completion.actual_start:
        raise DomainError(_("实际结束时间不能早于实际开始时间。"), field="actual_end")
    check_official_figures(completion)
    completion.step = max(completion.step, 3)
    completion.save()
    audit.record(actor=actor, action=CompletionAction.SAVE, obj=completion)
    return completion


def incomplete_errors(completion: CompletionFiling) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("actual_start", "actual_end", "actual_hours", "trained_count", "summary"):
        if getattr(completion, name) in (None, ""):
            label = cast("Field[Any, Any]", CompletionFiling._meta.get_field(name)).verbose_name  # its own field
            errors.setdefault("details", []).append(_("%(label)s不能为空") % {"label": label})
    try:
        check_official_figures(completion)  # a draft saved before the bounds existed is refused here
    except DomainError as e:
        errors.setdefault("details", []).append(str(e.message))
    scored_count = completion.scores.count()
    if scored_count and completion.trained_count is not None and completion.trained_count != scored_count:
        errors.setdefault("details", []).append(
            _("培训人数（%(trained_count)s人）应等于导入成绩的学员人数（%(scored_count)s人）")
            % {"trained_count": completion.trained_count, "scored_count": scored_count}
        )
    expected = set(approved_registrations(completion).values_list("pk", flat=True))
    scored = set(completion.scores.values_list("registration_id", flat=True))
    if not expected:
        errors["scores"] = [_("本班没有审核通过的学员，不能办理培训后备案")]
    elif expected - scored:
        errors["scores"] = [(_("还有%(len)s名学员没有成绩，请导入全部学员成绩") % {"len": len(expected - scored)})]
    present = set(completion.attachments.values_list("kind", flat=True))
    missing = [str(k.label) for k in REQUIRED_ATTACHMENTS if k not in present]
    if missing:
        errors["attachments"] = [(_("请上传附件：%(join)s") % {"join": "、".join(missing)})]
    return errors


def raise_if_incomplete(completion: CompletionFiling) -> None:
    errors = incomplete_errors(completion)
    if errors:
        raise DomainError(_("培训后备案不完整，请按提示补充。"), errors=errors)


@transaction.atomic
def edit_score(
    completion: CompletionFiling, *, actor: User, score_id: int, score: Decimal, passed: bool, remark: str
) -> Score:
    """Change one learner's score in the table."""
    completion = _own_editable(completion, actor)
    row = completion.scores.select_related("registration").get(pk=score_id)
    before = {"成绩": str(row.score), "是否合格": row.passed}
    row.score, row.passed, row.remark = score, passed, remark
    row.save()
    after = {"成绩": str(score), "是否合格": passed}
    audit.record(
        actor=actor, action=CompletionAction.CHANGE_SCORE, obj=completion,
        detail={"学员": row.registration.name, "修改前": before, "修改后": after},
    )  # fmt: skip
    return row
