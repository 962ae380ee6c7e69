"""成绩导入: a template listing the class's approved learners, and an import that validates every row
before it writes anything (pretix, Frappe): row-numbered errors, then one transaction."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.styles import Font, PatternFill

from jxjy.audit import trail as audit
from jxjy.core import pii
from jxjy.core.excel import CellError, text_cell, workbook_bytes, xlsx_rows
from jxjy.core.identity import normalize_id_number
from jxjy.trainings.models import Registration
from jxjy.trainings.models import RegistrationStatus as R

from .audit_actions import CompletionAction
from .models import CompletionFiling, Score

# The template's header row is its file format, the same in every language: imports match it exactly.
HEADERS = [
    gettext_noop("姓名"),
    gettext_noop("身份证号"),
    gettext_noop("成绩"),
    gettext_noop("是否合格"),
    gettext_noop("备注"),
]
# The template writes 合格/不合格 (its file format); an import also takes the words of the page's language.
PASSED, FAILED = gettext_noop("合格"), gettext_noop("不合格")
PASS_WORDS = {PASSED: True, FAILED: False}


def pass_words() -> dict[str, bool]:
    return {**PASS_WORDS, **{_(word): passed for word, passed in PASS_WORDS.items()}}


class ImportRefused(Exception):
    """The file was refused; `errors` lists every problem found, nothing was written."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ScoreRow:
    registration: Registration
    score: Decimal
    passed: bool
    remark: str


def approved_registrations(completion: CompletionFiling):
    return (
        Registration.objects.filter(training_class=completion.training_class, status=R.APPROVED)
        .select_related("learner")
        .order_by("id")
    )


def template(completion: CompletionFiling, *, actor) -> bytes:
    """The Excel template: one row per approved learner, with their current scores if any."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("学员成绩")
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    existing = {s.registration_id: s for s in completion.scores.all()}
    for row, reg in enumerate(approved_registrations(completion), start=2):
        score = existing.get(reg.pk)
        values = [
            reg.name,
            reg.learner.id_number,
            float(score.score) if score else None,
            (PASSED if score.passed else FAILED) if score else None,
            score.remark if score else None,
        ]
        for col, value in enumerate(values, start=1):
            text_cell(ws.cell(row=row, column=col), value)
        ws.cell(row=row, column=2).number_format = "@"
    for letter, width in zip("ABCDE", (14, 22, 10, 12, 30), strict=True):
        ws.column_dimensions[letter].width = width
    # The base fills in scores against full 身份证号, and the import matches by them: an export of
    # personal data, recorded as such.
    detail = {"人数": ws.max_row - 1, "个人信息": _("姓名、完整身份证号")}
    audit.record(actor=actor, action=CompletionAction.EXPORT_SCORE_TEMPLATE, obj=completion, detail=detail)
    return workbook_bytes(wb)


def parse(completion: CompletionFiling, upload) -> list[ScoreRow]:
    """Every row checked; raise ImportRefused with all problems (row, column, what is wrong)."""
    try:
        with xlsx_rows(upload) as rows:  # a file that cannot be read, opened or iterated: ValidationError
            return _parse_rows(completion, rows)
    except ValidationError as e:
        raise ImportRefused([CellError(0, "", e.messages[0])]) from None


def _parse_rows(completion: CompletionFiling, rows) -> list[ScoreRow]:
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())][: len(HEADERS)]
    if header != HEADERS:
        raise ImportRefused(
            [CellError(1, "", (_("表头应为：%(join)s。请使用系统生成的模板。") % {"join": "、".join(HEADERS)}))]
        )
    # Rows are matched by the 身份证号's keyed hash: nobody's number is decrypted to read the file.
    by_id = {
        reg.learner.id_number_hash: reg
        for reg in approved_registrations(completion).defer("learner__id_number", "learner__mobile")
    }
    errors: list[CellError] = []
    parsed: list[ScoreRow] = []
    seen: dict[str, int] = {}
    data_rows = 0
    for number, values in enumerate(rows, start=2):
        values = list(values[: len(HEADERS)]) + [None] * (len(HEADERS) - len(values[: len(HEADERS)]))
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        data_rows += 1
        if data_rows > len(by_id):
            errors.append(
                CellError(number, "", (_("行数超过本班审核通过的学员人数（%(len)s人）") % {"len": len(by_id)}))
            )
            break
        row = _parse_row(number, values, by_id, seen, errors)
        if row:
            parsed.append(row)
    if not data_rows and not errors:
        errors.append(CellError(2, "", _("文件中没有学员成绩")))
    if errors:
        raise ImportRefused(errors)
    return parsed


def _parse_row(number, values, by_id, seen, errors) -> ScoreRow | None:
    name, id_text, score_text, passed_text, remark = (("" if v is None else str(v).strip()) for v in values)
    before = len(errors)

    def err(column: str, message: str) -> None:
        errors.append(CellError(number, column, message))

    for column, value in (
        (_("姓名"), name),
        (_("身份证号"), id_text),
        (_("成绩"), score_text),
        (_("是否合格"), passed_text),
    ):
        if not value:
            err(column, (_("%(column)s不能为空") % {"column": column}))
    reg = _registration_of(number, name, id_text, by_id, seen, err) if id_text else None
    score = _score_of(score_text, err) if score_text else None
    words = pass_words()
    if passed_text and passed_text not in words:
        err(_("是否合格"), _("是否合格只能填写“合格”或“不合格”"))
    if len(remark) > 100:
        err(_("备注"), _("备注最多100个字"))
    if len(errors) > before or reg is None or score is None:
        return None
    return ScoreRow(reg, score, words[passed_text], remark)


def _registration_of(number, name: str, id_text: str, by_id, seen: dict[str, int], err) -> Registration | None:
    """The approved registration of the row's 身份证号, first seen on this row and of the row's 姓名."""
    try:
        id_number = normalize_id_number(id_text)
    except ValidationError as e:
        err(_("身份证号"), e.messages[0])
        return None
    reg = next(filter(None, map(by_id.get, pii.lookup_hashes(pii.ID_NUMBER, id_number))), None)
    if reg is None:
        err(_("身份证号"), _("该学员不在本班审核通过的学员名单中"))
    elif id_number in seen:
        err(_("身份证号"), (_("与第%(id_number)s行重复") % {"id_number": seen[id_number]}))
    else:
        seen[id_number] = number
        if name and name != reg.name:
            err(_("姓名"), (_("姓名与身份证号不符（系统中为「%(name)s」）") % {"name": reg.name}))
    return reg


def _score_of(score_text: str, err) -> Decimal | None:
    """成绩: a number from 0 to 100 with at most one decimal (a wrong one is still returned, with its error)."""
    try:
        score = Decimal(score_text)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():  # "NaN" and "Infinity" are Decimals too
        err(_("成绩"), _("成绩应为数字"))
        return None
    if not (0 <= score <= 100) or score != score.quantize(Decimal("0.1")):
        err(_("成绩"), _("成绩应在0到100之间，最多一位小数"))
    return score


@transaction.atomic
def import_scores(completion: CompletionFiling, upload, *, actor) -> int:
    """Replace the filing's scores with the file's, all or nothing; return how many were written."""
    completion = CompletionFiling.objects.select_for_update().get(pk=completion.pk)
    if not completion.is_editable:
        raise ImportRefused([CellError(0, "", _("该培训后备案已提交，不能再导入成绩。"))])
    rows = parse(completion, upload)
    completion.scores.all().delete()
    Score.objects.bulk_create(
        Score(completion=completion, registration=r.registration, score=r.score, passed=r.passed, remark=r.remark)
        for r in rows
    )
    audit.record(actor=actor, action=CompletionAction.IMPORT_SCORES, obj=completion, detail={"人数": len(rows)})
    return len(rows)
