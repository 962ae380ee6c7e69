"""The certificate PDF: A4 landscape, Chinese in an embedded TrueType font, a QR code to the public
verification page. Drawn directly with ReportLab's canvas (about 7 ms a page with rl-accel) because
certificates are issued by the thousand; HTML-to-PDF costs about twenty times as much."""

import functools
import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from jxjy.core.identity import hours_text, mask_id_number

from .models import Certificate, CertificateKind, CertificateStatus
from .signing import document_keywords

FONT = "jxjy-cert"
WIDTH, HEIGHT = landscape(A4)
RED = HexColor("#9b1c1c")
GOLD = HexColor("#b8860b")
INK = HexColor("#222222")
GREY = HexColor("#666666")


@functools.cache
def register_font() -> str:
    """Register the certificate font once per process (settings.JXJY_CERT_FONT, a TrueType face)."""
    path = settings.JXJY_CERT_FONT
    if not Path(path).exists():
        raise ImproperlyConfigured(f"证书字体文件不存在：{path}。请安装 fonts-arphic-uming 或设置 JXJY_CERT_FONT。")
    font = TTFont(FONT, path, subfontIndex=0)
    # ReportLab slices each table out of the (20 MB) font file again for every document's subset;
    # the tables never change, so keep the slices: about a third of a certificate's rendering time.
    font.face.get_table = functools.cache(font.face.get_table)
    pdfmetrics.registerFont(font)
    return FONT


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines no wider than `width` (any character may end a line)."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = pdfmetrics.stringWidth(ch, FONT, size)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    return [*lines, line] if line else lines


def _qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one filled path of row runs (fixed mask: encoding stays fast)."""
    matrix = segno.make(url, error="m", mask=0, boost_error=False).matrix
    n = len(matrix)
    quiet = 2
    module = size / (n + 2 * quiet)
    c.setFillColor(Color(1, 1, 1))
    c.rect(x, y, size, size, stroke=0, fill=1)
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (quiet + row_index + 1) * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(x + (quiet + start) * module, top, (col - start) * module, module)
            else:
                col += 1
    c.setFillColor(INK)
    c.drawPath(path, stroke=0, fill=1)


# Where the round seal goes: over the issuer's name and the date, as a paper certificate is stamped.
SEAL_BOX = (WIDTH - 370, 50, WIDTH - 250, 170)


def render_certificate(cert: Certificate, *, verify_url: str) -> bytes:
    """One certificate as PDF bytes (unsigned: `services.signed_pdf` adds the seal)."""
    register_font()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0, initialFontName=FONT)
    c.setTitle(f"{cert.get_kind_display()} {cert.number}")
    c.setAuthor(cert.issuer_name)
    c.setSubject("专业技术人员继续教育电子证书")
    c.setKeywords(document_keywords("certificate", cert.code))

    # Frame: a red outer border and a thin gold inner one.
    c.setStrokeColor(RED)
    c.setLineWidth(6)
    c.rect(24, 24, WIDTH - 48, HEIGHT - 48)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(38, 38, WIDTH - 76, HEIGHT - 76)

    c.setFillColor(RED)
    c.setFont(FONT, 34)
    c.drawCentredString(WIDTH / 2, HEIGHT - 110, "专业技术人员继续教育证书")
    c.setFont(FONT, 16)
    subject = "公需科目" if cert.kind == CertificateKind.PUBLIC else "专业科目"
    c.drawCentredString(WIDTH / 2, HEIGHT - 140, f"（{cert.get_kind_display()} · {subject}）")

    c.setFillColor(INK)
    c.setFont(FONT, 12)
    c.drawString(70, HEIGHT - 175, f"证书编号：{cert.number}")

    body = (
        f"{cert.holder_name}（身份证号：{mask_id_number(cert.holder_id_number)}）于{cert.year}年度参加"
        f"{cert.base_name}举办的“{cert.class_name}”"
        + (f"（{cert.scope}）" if cert.scope else "")
        + f"，完成{subject}学习{hours_text(cert.hours)}学时，经考核合格，特发此证。"
    )
    c.setFont(FONT, 17)
    y = HEIGHT - 225
    for line in _wrap(body, 17, WIDTH - 160):
        c.drawString(80, y, line)
        y -= 30

    rows = [
        ("姓名", cert.holder_name),
        ("培训项目", cert.class_name),
        ("培训机构", cert.base_name),
        ("学时", f"{hours_text(cert.hours)}学时（{subject}）"),
        ("年度", f"{cert.year}年度"),
    ]
    c.setFont(FONT, 12)
    y = min(y - 10, 240)
    for label, value in rows:
        c.setFillColor(GREY)
        c.drawString(80, y, f"{label}：")
        c.setFillColor(INK)
        c.drawString(150, y, value[:48])
        y -= 22

    # Issuer and date, bottom right of the text block; the QR code at the far right.
    c.setFont(FONT, 14)
    c.drawRightString(WIDTH - 200, 120, cert.issuer_name)
    c.drawRightString(WIDTH - 200, 96, f"{cert.issued_on:%Y年%m月%d日}")
    _qr(c, verify_url, WIDTH - 170, 62, 110)
    c.setFont(FONT, 9)
    c.setFillColor(GREY)
    c.drawCentredString(WIDTH - 115, 50, "扫码查验证书真伪")

    if cert.status == CertificateStatus.REVOKED:
        c.saveState()
        c.setFillColor(Color(0.8, 0, 0, alpha=0.25))
        c.setFont(FONT, 96)
        c.translate(WIDTH / 2, HEIGHT / 2)
        c.rotate(20)
        c.drawCentredString(0, -30, "已撤销")
        c.restoreState()

    c.showPage()
    c.save()
    return buffer.getvalue()
