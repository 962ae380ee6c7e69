"""The 申报表 PDF of a 培训前备案 (DESIGN §4.1): what the base prints, stamps and scans after 主管部门 passed it.

fpdf2 lays the form out. The Chinese font is an OpenType CJK font (CFF outlines and .ttc collections
are fine) found at settings.JXJY_PDF_FONT; only the glyphs used are embedded, so the text stays
selectable and the file small.
"""

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTCollection
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TextMode, VAlign, WrapMode, XPos, YPos

from .models import AttachmentKind, PreFiling

FONT = "cjk"
PAGE_WIDTH = 180  # A4 (210 mm) less 15 mm margins on each side
PADDING_X = 2  # mm left and right of a cell's text
LABEL = FontFace(fill_color=(242, 242, 242))
CAPTION = FontFace(fill_color=(226, 226, 226), size_pt=11)
HEADING = FontFace(emphasis="", fill_color=(242, 242, 242))
# Chinese line breaking (禁则): these never start a line, those never end one.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
# Latin words, numbers and addresses stay whole where they fit; everything else may break anywhere.
TOKEN = re.compile(r"[0-9A-Za-z@._%+\-/:]+|.")
# What the base uploads with the filing (the stamped scan and the generated form itself come later).
LISTED_ATTACHMENTS = [AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION, AttachmentKind.OTHER]


def form_title(filing: PreFiling) -> str:
    return f"自治区{filing.year or ''}年度专业技术人员继续教育培训申报表"


def render_application_form(filing: PreFiling) -> bytes:
    """The 自治区{年份}年度专业技术人员继续教育培训申报表 of `filing`, as PDF bytes (A4 portrait)."""
    pdf = _FormPDF(form_title(filing))
    pdf.add_page()
    pdf.title_block()
    _fields_table(pdf, filing)
    courses = list(filing.courses.all())
    _rows_table(
        pdf,
        "教学课程",
        ["序号", "课程内容", "学时数"],
        [22, 118, 40],
        [[c.content, _number(c.hours)] for c in courses],
        align=["C", "L", "C"],
        total=_number(sum((c.hours for c in courses if c.hours is not None), Decimal(0))),
    )
    _rows_table(
        pdf,
        "师资情况",
        ["序号", "姓名", "学历", "专业", "职称(职务)", "讲授课程"],
        [14, 26, 22, 36, 32, 50],
        [[t.name, t.education, t.major, t.title, t.course] for t in filing.teachers.all()],
        align=["C", "C", "C", "L", "L", "L"],
    )
    _rows_table(
        pdf,
        "培训教材",
        ["序号", "教材名称", "选用版本"],
        [22, 98, 60],
        [[b.name, b.edition] for b in filing.textbooks.all()],
        align=["C", "L", "L"],
    )
    attachments = [a for a in filing.attachments.all() if a.kind in LISTED_ATTACHMENTS]
    _rows_table(
        pdf,
        "附件",
        ["序号", "附件名称", "附件类型"],
        [22, 98, 60],
        [[a.original_name, a.get_kind_display()] for a in attachments],
        align=["C", "L", "L"],
    )
    pdf.seal_boxes(["继续教育基地（盖章）", "主管部门（盖章）"])
    return bytes(pdf.output())


class _FormPDF(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.form_title = title
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        path = font_path()
        self.add_font(FONT, fname=path, collection_font_number=_face_index(path))
        self.set_font(FONT, size=10)
        self.set_line_width(0.25)
        self.set_title(title)
        self.set_lang("zh-CN")
        self.set_creator("继续教育系统")

    def header(self) -> None:
        if self.page_no() > 1:  # continuation pages say which form they belong to
            self.set_font(FONT, size=8)
            self.set_text_color(110)
            self.cell(0, 4, f"{self.form_title}（续）", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(3)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=9)
        self.set_text_color(90)
        self.cell(0, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align=Align.C)

    def title_block(self) -> None:
        # The font has one weight: a thin outline around the glyphs makes the title bold.
        with self.local_context(font_size_pt=17, text_mode=TextMode.FILL_STROKE, line_width=0.18):
            self.multi_cell(0, 9, self.form_title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(5)

    def seal_boxes(self, labels: Sequence[str], height: float = 56) -> None:
        """Side-by-side boxes for the stamps, each with a 年 月 日 line; kept whole on one page."""
        self.ln(6)
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        width = PAGE_WIDTH / len(labels)
        top = self.get_y()
        self.set_font(FONT, size=11)
        for i, label in enumerate(labels):
            left = self.l_margin + i * width
            with self.local_context(line_width=0.45):
                self.rect(left, top, width, height)
            self.set_xy(left + 5, top + 5)
            self.cell(width - 10, 6, label)
            self.set_xy(left + 5, top + height - 12)
            self.cell(width - 12, 6, "年        月        日", align=Align.R)
        self.set_font(FONT, size=10)
        self.set_xy(self.l_margin, top + height)


def _table(pdf: FPDF, col_widths: Sequence[float], **options):
    return pdf.table(
        col_widths=col_widths,
        width=PAGE_WIDTH,
        line_height=5.2,
        padding=(1.6, PADDING_X),
        min_row_height=8,
        outer_border_width=0.45,
        wrapmode=WrapMode.CHAR,
        text_align=Align.L,
        v_align=VAlign.M,
        **options,
    )


def _fields_table(pdf: FPDF, f: PreFiling) -> None:
    """The 申报表's own fields, label beside value, two pairs a row where they are short."""
    scope = "\n".join(str(item) for item in f.scope_items.select_related("specialty__series", "level"))
    rows: list[list[tuple[str, str]]] = [
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
    label_width, value_width = 36, 54
    with _table(pdf, [label_width, value_width] * 2, first_row_as_headings=False) as table:
        for pairs in rows:
            row = table.row()
            for label, value in pairs:
                row.cell(label, align=Align.C, style=LABEL)
                if len(pairs) == 1:
                    row.cell(_wrap(pdf, value, PAGE_WIDTH - label_width), colspan=3)
                else:
                    row.cell(_wrap(pdf, value, value_width))


def _rows_table(
    pdf: FPDF,
    caption: str,
    headings: list[str],
    col_widths: list[float],
    rows: Iterable[list[str]],
    *,
    align: list[str],
    total: str | None = None,
) -> None:
    """A numbered table under a caption; caption and headings repeat on every page it runs onto."""
    with _table(pdf, col_widths, num_heading_rows=2, headings_style=HEADING) as table:
        table.row().cell(caption, colspan=len(headings), align=Align.C, style=CAPTION)
        heading = table.row()
        for text in headings:
            heading.cell(text, align=Align.C)
        empty = True
        for n, values in enumerate(rows, start=1):
            empty = False
            row = table.row()
            for text, width, cell_align in zip([str(n), *values], col_widths, align, strict=True):
                row.cell(_wrap(pdf, text, width), align=cell_align)
        if empty:
            table.row().cell("无", colspan=len(headings), align=Align.C)
        elif total is not None:
            row = table.row()
            row.cell("合计", colspan=len(headings) - 1, align=Align.C, style=LABEL)
            row.cell(total, align=Align.C, style=LABEL)


def _wrap(pdf: FPDF, text: str, cell_width: float) -> str:
    """`text` broken into lines that fit a cell of `cell_width` mm, following Chinese line-breaking rules."""
    width = cell_width - 2 * PADDING_X - 0.01
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line: list[str] = []
        for token in TOKEN.findall(paragraph):
            # A word wider than the cell breaks anywhere.
            for piece in list(token) if pdf.get_string_width(token) > width else [token]:
                if line and pdf.get_string_width("".join(line) + piece) > width:
                    carried: list[str] = []
                    if piece[0] in NO_LINE_START:  # the characters before go down with it
                        while len(line) > 1:
                            carried.insert(0, line.pop())
                            if carried[0][0] not in NO_LINE_START:
                                break
                    while len(line) > 1 and line[-1][-1] in NO_LINE_END:
                        carried.insert(0, line.pop())
                    lines.append("".join(line).rstrip())
                    line = carried
                    if piece.isspace() and not line:
                        continue
                line.append(piece)
        lines.append("".join(line).rstrip())
    return "\n".join(lines)


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def font_path() -> str:
    """settings.JXJY_PDF_FONT, checked: a form without its font would be unreadable."""
    path = Path(settings.JXJY_PDF_FONT)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"JXJY_PDF_FONT: no font file at {path}. Install Debian's fonts-noto-cjk "
            "or point JXJY_PDF_FONT at a Chinese .ttf/.otf/.ttc font."
        )
    return str(path)


@functools.lru_cache(maxsize=8)
def _face_index(path: str) -> int:
    """The Simplified Chinese face of a font collection (Noto CJK lists Japanese first), else the first face."""
    if Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(path, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if re.search(r"\bSC\b", face["name"].getDebugName(1) or ""):
                return index
    finally:
        collection.close()
    return 0
