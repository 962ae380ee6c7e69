"""年度继续教育学时证明: an A4 page listing a learner's credited hours of one year, signed with the seal of
the 人社厅 (the region's certificates' issuer) like the certificates themselves. Bilingual like them: every
label, heading and fixed sentence in Chinese with its Uyghur under it (right to left, right-aligned where it
stands alone); names, numbers and dates once."""

import io

from django.utils.translation import gettext_noop
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from jxjy.accounts.models import Learner, Organisation
from jxjy.certificates import signing
from jxjy.core import clock
from jxjy.core.identity import hours_text, mask_id_number
from jxjy.core.pdf import bilingual, draw, fonts, ink, uyghur

from .services import YearSummary

WIDTH, HEIGHT = A4
ISSUER_FALLBACK = gettext_noop("新疆维吾尔自治区人力资源和社会保障厅")
# The seal over the issuer's name and the date, bottom right of the last page.
SEAL_BOX = (WIDTH - 230, 100, WIDTH - 110, 220)
FOOT = 260  # the last page keeps this much room under the table for the issuer, the seal and the note
TITLE = gettext_noop("%(year)s年度继续教育学时证明")
TOTALS = gettext_noop(
    "%(year)s年度共取得继续教育学时%(total)s学时，其中公需科目%(public)s学时、专业科目%(professional)s学时。"
)
REQUIRED = gettext_noop("年度要求：不少于%(required)s学时，其中专业科目不少于%(professional_required)s学时。")
RESULT = gettext_noop("结论：%(result)s。")
MET, NOT_MET = gettext_noop("达标"), gettext_noop("未达标")
NOTES = (
    gettext_noop("本证明由自治区专业技术人员管理平台——继续教育系统根据已颁发的电子证书生成并加盖电子签章，"),
    gettext_noop("可在平台“证书查验”页面上传本文件查验真伪；各证书也可凭证书编号查验。"),
)
TEXT_WIDTH = WIDTH - 120  # the text from x 60 to WIDTH - 60


def _issuer() -> str:
    name = Organisation.objects.filter(kind=Organisation.Kind.HR_REGION).values_list("name", flat=True).first()
    return name or ISSUER_FALLBACK


def signed_proof(learner: Learner, summary: YearSummary) -> bytes:
    """The proof, signed now with the 人社厅's seal (a proof is a snapshot of the day it is printed)."""
    issuer = _issuer()
    pdf = render_proof(learner, summary, issuer=issuer)
    reason = bilingual.both(TITLE, {"year": summary.year})[0]
    return signing.sign(pdf, box=SEAL_BOX, organisation=issuer, reason=reason, purpose=gettext_noop("学时证明专用章"))


HEADINGS = [
    (gettext_noop("序号"), 60),
    (gettext_noop("培训项目"), 100),
    (gettext_noop("科目类别"), 330),
    (gettext_noop("学时"), 400),
    (gettext_noop("证书编号"), 445),
]


def render_proof(learner: Learner, summary: YearSummary, *, issuer: str) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.chinese())
    c.setTitle(bilingual.both(TITLE, {"year": summary.year})[0])
    c.setKeywords(signing.document_keywords("hours-proof", str(summary.year)))
    y = _heading(c, learner, summary)
    y = _figures(c, summary, y)
    y = _credits(c, summary, y - 10)
    if y < FOOT:
        c.showPage()
    _signature(c, issuer)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _heading(c: canvas.Canvas, learner: Learner, summary: YearSummary) -> float:
    """The title and who the proof is of, each label with its Uyghur under it; returns the next baseline."""
    title, title_ug = bilingual.both(TITLE, {"year": summary.year})
    c.setFillColor(ink.RED)
    c.setFont(fonts.chinese(), 22)
    c.drawCentredString(WIDTH / 2, HEIGHT - 76, title)
    uyghur.draw(c, title_ug, WIDTH / 2, HEIGHT - 100, 14, align="centre")
    y: float = HEIGHT - 140
    x = bilingual.label(c, gettext_noop("姓名"), 60, y, size=12, ug_size=8, colour=ink.INK)
    c.drawString(x, y, learner.name)
    x = max(x + fonts.width(learner.name, 12) + 36, 300)
    x = bilingual.label(c, gettext_noop("身份证号"), x, y, size=12, ug_size=8, colour=ink.INK)
    c.drawString(x, y, mask_id_number(learner.id_number))
    y -= 30
    x = bilingual.label(c, gettext_noop("工作单位"), 60, y, size=12, ug_size=8, colour=ink.INK)
    c.drawString(x, y, learner.work_unit)
    return y - 32


def _figures(c: canvas.Canvas, summary: YearSummary, y: float) -> float:
    """The year's figures and whether they meet the requirement, each sentence with its Uyghur under it (the
    Uyghur refers to the figures of the Chinese line); returns the next baseline."""
    figures = {
        "year": summary.year,
        "total": hours_text(summary.total),
        "public": hours_text(summary.public),
        "professional": hours_text(summary.professional),
        "required": hours_text(summary.required),
        "professional_required": hours_text(summary.professional_required),
    }
    totals, required = bilingual.both(TOTALS, figures), bilingual.both(REQUIRED, figures)
    conclusion = bilingual.both(RESULT, {"result": bilingual.both(MET if summary.met else NOT_MET)})
    for zh, ug in (totals, (required[0] + conclusion[0], f"{required[1]} {conclusion[1]}")):
        c.setFont(fonts.chinese(), 12)
        c.drawString(60, y, zh)
        y = bilingual.paragraph(c, ug, WIDTH - 60, y - 15, width=TEXT_WIDTH, size=9, leading=13) - 13
    return y


def _credits(c: canvas.Canvas, summary: YearSummary, y: float) -> float:
    """The table of the year's credits, running onto further pages; returns the baseline below it."""
    _table_heading(c, y)
    y -= 34
    c.setFont(fonts.chinese(), 10)
    for n, credit in enumerate(summary.credits, start=1):
        if y < 120:
            c.showPage()
            c.setFont(fonts.chinese(), 10)
            y = HEIGHT - 60
        number = credit.certificate.number if credit.certificate else credit.source
        values = [str(n), credit.title[:18], credit.get_subject_kind_display(), f"{hours_text(credit.hours)}", number]
        for value, (_, x) in zip(values, HEADINGS, strict=True):
            c.drawString(x, y, value)
        y -= 18
    if not summary.credits:
        zh, ug = bilingual.both(gettext_noop("本年度暂无学时记录。"))
        c.drawString(60, y, zh)
        uyghur.draw(c, ug, WIDTH - 60, y - 13, 8.5)
        y -= 30
    draw.rule(c, 55, WIDTH - 55, y + 8)
    return y


def _table_heading(c: canvas.Canvas, y: float) -> None:
    """The columns' Chinese headings, each with its Uyghur under it (right-aligned under the Chinese, or from the
    column's left edge when wider), between rules."""
    draw.rule(c, 55, WIDTH - 55, y + 14)
    for msgid, x in HEADINGS:
        zh, ug = bilingual.both(msgid)
        c.setFont(fonts.chinese(), 10)
        c.drawString(x, y, zh)
        uyghur.draw(c, ug, x + max(fonts.width(zh, 10), uyghur.width(ug, 7)), y - 11, 7)
    draw.rule(c, 55, WIDTH - 55, y - 18)


def _signature(c: canvas.Canvas, issuer: str) -> None:
    """The issuer and the date under the seal, and how to verify the proof (Chinese, the Uyghur under each line)."""
    c.setFont(fonts.chinese(), 13)
    c.drawRightString(WIDTH - 80, 168, issuer)
    c.drawRightString(WIDTH - 80, 146, format(clock.today(), gettext_noop("%Y年%m月%d日")))
    y = 94.0
    for msgid in NOTES:
        zh, ug = bilingual.both(msgid)
        c.setFont(fonts.chinese(), 11)
        c.drawString(60, y, zh)
        y = bilingual.paragraph(c, ug, WIDTH - 60, y - 12, width=TEXT_WIDTH, size=8, leading=11) - 5
