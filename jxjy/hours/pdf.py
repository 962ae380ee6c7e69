"""年度继续教育学时证明: an A4 page listing a learner's credited hours of one year, signed with the seal of
the 人社厅 (the region's certificates' issuer) like the certificates themselves."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from jxjy.accounts.models import Learner, Organisation
from jxjy.certificates import signing
from jxjy.core import clock
from jxjy.core.identity import hours_text, mask_id_number
from jxjy.core.pdf import draw, fonts, ink

from .services import YearSummary

WIDTH, HEIGHT = A4
ISSUER_FALLBACK = "新疆维吾尔自治区人力资源和社会保障厅"
# The seal over the issuer's name and the date, bottom right of the last page.
SEAL_BOX = (WIDTH - 230, 100, WIDTH - 110, 220)
FOOT = 260  # the last page keeps this much room under the table for the issuer, the seal and the note


def _issuer() -> str:
    name = Organisation.objects.filter(kind=Organisation.Kind.HR_REGION).values_list("name", flat=True).first()
    return name or ISSUER_FALLBACK


def signed_proof(learner: Learner, summary: YearSummary) -> bytes:
    """The proof, signed now with the 人社厅's seal (a proof is a snapshot of the day it is printed)."""
    issuer = _issuer()
    pdf = render_proof(learner, summary, issuer=issuer)
    reason = f"{summary.year}年度继续教育学时证明"
    return signing.sign(pdf, box=SEAL_BOX, organisation=issuer, reason=reason, purpose="学时证明专用章")


HEADINGS = [("序号", 60), ("培训项目", 100), ("科目类别", 330), ("学时", 400), ("证书编号", 445)]


def render_proof(learner: Learner, summary: YearSummary, *, issuer: str) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.chinese())
    c.setTitle(f"{summary.year}年度继续教育学时证明")
    c.setKeywords(signing.document_keywords("hours-proof", str(summary.year)))
    y = _heading(c, learner, summary)
    y = _credits(c, summary, y - 10)
    if y < FOOT:
        c.showPage()
    _signature(c, issuer)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _heading(c: canvas.Canvas, learner: Learner, summary: YearSummary) -> float:
    """The title and the year's figures; returns the baseline below them."""
    c.setFillColor(ink.RED)
    c.setFont(fonts.chinese(), 22)
    c.drawCentredString(WIDTH / 2, HEIGHT - 80, f"{summary.year}年度继续教育学时证明")
    c.setFillColor(ink.INK)
    c.setFont(fonts.chinese(), 12)
    y = HEIGHT - 130
    for text in (
        f"姓名：{learner.name}        身份证号：{mask_id_number(learner.id_number)}",
        f"工作单位：{learner.work_unit}",
        f"{summary.year}年度共取得继续教育学时{hours_text(summary.total)}学时，其中公需科目{hours_text(summary.public)}学时、"
        f"专业科目{hours_text(summary.professional)}学时。",
        f"年度要求：不少于{hours_text(summary.required)}学时，其中专业科目不少于{hours_text(summary.professional_required)}学时。"
        f"结论：{'达标' if summary.met else '未达标'}。",
    ):
        c.drawString(60, y, text)
        y -= 24
    return y


def _credits(c: canvas.Canvas, summary: YearSummary, y: float) -> float:
    """The table of the year's credits, running onto further pages; returns the baseline below it."""
    c.setFont(fonts.chinese(), 10)
    draw.rule(c, 55, WIDTH - 55, y + 14)
    for text, x in HEADINGS:
        c.drawString(x, y, text)
    draw.rule(c, 55, WIDTH - 55, y - 6)
    y -= 22
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
        c.drawString(60, y, "本年度暂无学时记录。")
        y -= 18
    draw.rule(c, 55, WIDTH - 55, y + 8)
    return y


def _signature(c: canvas.Canvas, issuer: str) -> None:
    """The issuer and the date under the seal, and how to verify the proof."""
    c.setFont(fonts.chinese(), 13)
    c.drawRightString(WIDTH - 80, 168, issuer)
    c.drawRightString(WIDTH - 80, 146, f"{clock.today():%Y年%m月%d日}")
    c.setFont(fonts.chinese(), 11)
    c.drawString(60, 90, "本证明由自治区专业技术人员管理平台——继续教育系统根据已颁发的电子证书生成并加盖电子签章，")
    c.drawString(60, 72, "可在平台“证书查验”页面上传本文件查验真伪；各证书也可凭证书编号查验。")
