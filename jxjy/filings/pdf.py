"""The 申报表 PDF of a 培训前备案 (DESIGN §4.1): what the base prints, stamps and scans after 主管部门 passed it.

A4 portrait, laid out on the shared sheet (jxjy.core.pdf.sheet): the form's fields label beside value, then
the numbered tables (课程, 师资, 教材, 附件) whose caption and headings repeat on every page they run onto,
and the two boxes for the seals, kept whole on one page.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from jxjy.attachments.models import AttachmentKind
from jxjy.core.pdf import ink
from jxjy.core.pdf.sheet import Cell, Sheet

from .models import PreFiling

# What the base uploads with the filing (the stamped scan and the generated form itself come later).
LISTED_ATTACHMENTS = [AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION, AttachmentKind.OTHER]
LABEL_WIDTH, VALUE_WIDTH = 36, 54  # mm: two label–value pairs make the page's 180


def form_title(filing: PreFiling) -> str:
    return f"自治区{filing.year or ''}年度专业技术人员继续教育培训申报表"


def render_application_form(filing: PreFiling) -> bytes:
    """The 自治区{年份}年度专业技术人员继续教育培训申报表 of `filing`, as PDF bytes (A4 portrait): the official
    Chinese form, whatever language the base reads the site in (the catalogue's names in Chinese too)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(filing)


def _render(filing: PreFiling) -> bytes:
    title = form_title(filing)
    sheet = Sheet(title=title, running_head=f"{title}（续）")
    sheet.paragraph(title, size=17, line_height=9, bold=True)
    sheet.y += 5
    sheet.table([LABEL_WIDTH, VALUE_WIDTH] * 2, [_pair_row(pairs) for pairs in _fields(filing)])
    courses = list(filing.courses.all())
    total = _number(sum((c.hours for c in courses if c.hours is not None), Decimal(0)))
    _rows_table(sheet, "教学课程", [("序号", 22, "C"), ("课程内容", 118, "L"), ("学时数", 40, "C")],
                [[c.content, _number(c.hours)] for c in courses], total=total)  # fmt: skip
    teachers = [("序号", 14, "C"), ("姓名", 26, "C"), ("学历", 22, "C"), ("专业", 36, "L"),
                ("职称(职务)", 32, "L"), ("讲授课程", 50, "L")]  # fmt: skip
    _rows_table(sheet, "师资情况", teachers,
                [[t.name, t.education, t.major, t.title, t.course] for t in filing.teachers.all()])  # fmt: skip
    _rows_table(sheet, "培训教材", [("序号", 22, "C"), ("教材名称", 98, "L"), ("选用版本", 60, "L")],
                [[b.name, b.edition] for b in filing.textbooks.all()])  # fmt: skip
    attachments = [a for a in filing.attachments.all() if a.kind in LISTED_ATTACHMENTS]
    _rows_table(sheet, "附件", [("序号", 22, "C"), ("附件名称", 98, "L"), ("附件类型", 60, "L")],
                [[a.original_name, a.get_kind_display()] for a in attachments])  # fmt: skip
    _seal_boxes(sheet, ["继续教育基地（盖章）", "主管部门（盖章）"])
    return sheet.render()


def _fields(f: PreFiling) -> list[list[tuple[str, str]]]:
    """The 申报表's own fields, two label–value pairs a row where they are short."""
    scope = "\n".join(str(item) for item in f.scope_items.select_related("specialty__series", "level"))
    return [
        [("年份", str(f.year or "")), ("填报日期", _date(f.fill_date))],
        [("基地名称", f.base_name)],
        [("基地所在地", f.base_location), ("主管部门", f.department_name)],
        [("培训班名称", f.class_name)],
        [("开班开始时间", _date(f.start_date)), ("开班结束时间", _date(f.end_date))],
        [("开班地点", f.venue)],
        [("培训范围", scope)],
        [("总学时", _number(f.total_hours)), ("培训形式", f.get_training_form_display())],
        [("科目类别", f.get_subject_kind_display())],
        [("培训费用及核算依据", f.fee_basis)],
        [("办公电话", f.office_phone), ("传真", f.fax)],
        [("邮箱", f.email), ("邮编", f.postcode)],
        [("通讯地址", f.address)],
        [("负责人", f.leader_name), ("联系人", f.contact_name)],
        [("负责人职务", f.leader_title), ("联系人职务", f.contact_title)],
        [("负责人手机号", f.leader_mobile), ("联系人手机号", f.contact_mobile)],
    ]


def _pair_row(pairs: list[tuple[str, str]]) -> list[Cell]:
    """Label beside value; a value alone on its row takes the rest of the row."""
    span = 3 if len(pairs) == 1 else 1
    return [cell for label, value in pairs for cell in (Cell(label, align="C", fill=ink.LABEL_FILL), Cell(value, span))]


def _rows_table(sheet: Sheet, caption: str, columns, rows: list[list[str]], *, total: str | None = None) -> None:
    """A numbered table under a caption; `columns` are (heading, width in mm, alignment)."""
    count = len(columns)
    table = [
        [Cell(caption, count, "C", ink.CAPTION_FILL, size=11)],
        [Cell(heading, align="C", fill=ink.LABEL_FILL) for heading, _, _ in columns],
    ]
    for n, values in enumerate(rows, start=1):
        table.append([Cell(text, align=align) for text, (_, _, align) in zip([str(n), *values], columns, strict=True)])
    if not rows:
        table.append([Cell("无", count, "C")])
    elif total is not None:
        table.append([Cell("合计", count - 1, "C", ink.LABEL_FILL), Cell(total, align="C", fill=ink.LABEL_FILL)])
    sheet.table([width for _, width, _ in columns], table, headings=2)


def _seal_boxes(sheet: Sheet, labels: list[str], height: float = 56) -> None:
    """Side-by-side boxes for the stamps, each with a 年 月 日 line; kept whole on one page."""
    sheet.y += 6
    sheet.keep(height)
    width, top = sheet.width / len(labels), sheet.y
    for i, label in enumerate(labels):
        left = sheet.left + i * width
        sheet.box(left, top, width, height, line=0.45)
        sheet.text(left + 6, sheet.baseline(top + 5, 6, 11), label, size=11)
        sheet.text(left + width - 8, sheet.baseline(top + height - 12, 6, 11), "年        月        日", size=11,
                   align="R")  # fmt: skip
    sheet.y = top + height


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
