"""The certificate PDF: A4 landscape, Chinese in an embedded TrueType font, a QR code to the public
verification page. Drawn directly with ReportLab's canvas (about 4 ms a page with rl-accel) because
certificates are issued by the thousand; HTML-to-PDF costs about twenty times as much."""

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from jxjy.core.identity import hours_text, mask_id_number
from jxjy.core.pdf import draw, fonts, ink

from .models import Certificate, CertificateKind, CertificateStatus
from .signing import document_keywords

WIDTH, HEIGHT = landscape(A4)


# Where the round seal goes: over the issuer's name and the date, as a paper certificate is stamped.
SEAL_BOX = (WIDTH - 370, 50, WIDTH - 250, 170)


def render_certificate(cert: Certificate, *, verify_url: str) -> bytes:
    """One certificate as PDF bytes (unsigned: `services.signed_pdf` adds the seal)."""
    font = fonts.chinese()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0, initialFontName=font)
    c.setTitle(f"{cert.get_kind_display()} {cert.number}")
    c.setAuthor(cert.issuer_name)
    c.setSubject("专业技术人员继续教育电子证书")
    c.setKeywords(document_keywords("certificate", cert.code))
    _frame(c)
    subject = "公需科目" if cert.kind == CertificateKind.PUBLIC else "专业科目"
    _heading(c, cert, subject)
    y = draw.wrapped(c, _body(cert, subject), 80, HEIGHT - 225, width=WIDTH - 160, size=17, leading=30)
    c.setFont(font, 12)
    draw.labelled(c, _rows(cert, subject), 80, min(y - 10, 240), value_x=150, step=22)
    _issuer_and_qr(c, cert, verify_url)
    if cert.status == CertificateStatus.REVOKED:
        draw.watermark(c, "已撤销", centre=(WIDTH / 2, HEIGHT / 2), size=96, angle=20)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _frame(c: canvas.Canvas) -> None:
    """A red outer border and a thin gold inner one."""
    c.setStrokeColor(ink.RED)
    c.setLineWidth(6)
    c.rect(24, 24, WIDTH - 48, HEIGHT - 48)
    c.setStrokeColor(ink.GOLD)
    c.setLineWidth(1.2)
    c.rect(38, 38, WIDTH - 76, HEIGHT - 76)


def _heading(c: canvas.Canvas, cert: Certificate, subject: str) -> None:
    font = fonts.chinese()
    c.setFillColor(ink.RED)
    c.setFont(font, 34)
    c.drawCentredString(WIDTH / 2, HEIGHT - 110, "专业技术人员继续教育证书")
    c.setFont(font, 16)
    c.drawCentredString(WIDTH / 2, HEIGHT - 140, f"（{cert.get_kind_display()} · {subject}）")
    c.setFillColor(ink.INK)
    c.setFont(font, 12)
    c.drawString(70, HEIGHT - 175, f"证书编号：{cert.number}　　查验码：{cert.code}")


def _body(cert: Certificate, subject: str) -> str:
    return (
        f"{cert.holder_name}（身份证号：{mask_id_number(cert.holder_id_number)}）于{cert.year}年度参加"
        f"{cert.base_name}举办的“{cert.class_name}”"
        + (f"（{cert.scope}）" if cert.scope else "")
        + f"，完成{subject}学习{hours_text(cert.hours)}学时，经考核合格，特发此证。"
    )


def _rows(cert: Certificate, subject: str) -> list[tuple[str, str]]:
    return [
        ("姓名", cert.holder_name),
        ("培训项目", cert.class_name[:48]),
        ("培训机构", cert.base_name[:48]),
        ("学时", f"{hours_text(cert.hours)}学时（{subject}）"),
        ("年度", f"{cert.year}年度"),
    ]


def _issuer_and_qr(c: canvas.Canvas, cert: Certificate, verify_url: str) -> None:
    """Issuer and date, bottom right of the text block; the QR code at the far right."""
    font = fonts.chinese()
    c.setFont(font, 14)
    c.drawRightString(WIDTH - 200, 120, cert.issuer_name)
    c.drawRightString(WIDTH - 200, 96, f"{cert.issued_on:%Y年%m月%d日}")
    draw.qr(c, verify_url, WIDTH - 170, 62, 110)
    c.setFont(font, 9)
    c.setFillColor(ink.GREY)
    c.drawCentredString(WIDTH - 115, 50, "扫码查验证书真伪")
