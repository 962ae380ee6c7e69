"""The certificate PDF: A4 landscape, bilingual (every label, heading and fixed sentence in Chinese and, under
it, in Uyghur set right to left; the values once), both languages in embedded TrueType fonts, a QR code to the
public verification page. Drawn directly with ReportLab's canvas (about 4 ms a page with rl-accel) because
certificates are issued by the thousand; HTML-to-PDF costs about twenty times as much."""

import io

from django.utils.translation import gettext_noop
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from jxjy.core.identity import hours_text, mask_id_number
from jxjy.core.pdf import bilingual, draw, fonts, ink, uyghur

from .models import Certificate, CertificateKind, CertificateStatus
from .signing import document_keywords

WIDTH, HEIGHT = landscape(A4)


# Where the round seal goes: over the issuer's name and the date, as a paper certificate is stamped.
SEAL_BOX = (WIDTH - 370, 50, WIDTH - 250, 170)
# The kinds' names as on the certificate (CertificateKind's labels), and the subjects they are of.
KINDS = {
    CertificateKind.PROFESSIONAL: gettext_noop("专业课电子证书"),
    CertificateKind.PUBLIC: gettext_noop("公需课电子证书"),
}
SUBJECTS = {CertificateKind.PROFESSIONAL: gettext_noop("专业科目"), CertificateKind.PUBLIC: gettext_noop("公需科目")}
BODY = gettext_noop(
    "%(name)s（身份证号：%(id_number)s）于%(year)s年度参加%(base)s举办的“%(class_name)s”%(scope)s，"
    "完成%(subject)s学习%(hours)s学时，经考核合格，特发此证。"
)


def render_certificate(cert: Certificate, *, verify_url: str) -> bytes:
    """One certificate as PDF bytes (unsigned: `services.signed_pdf` adds the seal)."""
    font = fonts.chinese()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0, initialFontName=font)
    c.setTitle(f"{cert.get_kind_display()} {cert.number}")
    c.setAuthor(cert.issuer_name)
    c.setSubject(bilingual.both(gettext_noop("专业技术人员继续教育电子证书"))[0])
    c.setKeywords(document_keywords("certificate", cert.code))
    _frame(c)
    _heading(c, cert)
    y = _body(c, cert)
    _rows(c, _values(cert), min(y - 6, 236))
    _issuer_and_qr(c, cert, verify_url)
    if cert.status == CertificateStatus.REVOKED:
        _revoked(c)
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


def _heading(c: canvas.Canvas, cert: Certificate) -> None:
    """The title and the kind, each with its Uyghur under it; the number and the verification code."""
    font = fonts.chinese()
    title, title_ug = bilingual.both(gettext_noop("专业技术人员继续教育证书"))
    kind = bilingual.both(KINDS[CertificateKind(cert.kind)])
    subject = bilingual.both(SUBJECTS[CertificateKind(cert.kind)])
    line, line_ug = bilingual.both(gettext_noop("（%(kind)s · %(subject)s）"), {"kind": kind, "subject": subject})
    c.setFillColor(ink.RED)
    c.setFont(font, 34)
    c.drawCentredString(WIDTH / 2, HEIGHT - 96, title)
    uyghur.draw(c, title_ug, WIDTH / 2, HEIGHT - 126, 19, align="centre")
    c.setFont(font, 15)
    c.drawCentredString(WIDTH / 2, HEIGHT - 150, line)
    uyghur.draw(c, line_ug, WIDTH / 2, HEIGHT - 167, 11, align="centre")
    c.setFillColor(ink.INK)
    value_x = bilingual.label(c, gettext_noop("证书编号"), 70, HEIGHT - 192, size=12, ug_size=8)
    c.drawString(value_x, HEIGHT - 192, cert.number)
    x = value_x + fonts.width(cert.number, 12) + 24
    value_x = bilingual.label(c, gettext_noop("查验码"), x, HEIGHT - 192, size=12, ug_size=8)
    c.drawString(value_x, HEIGHT - 192, cert.code)


def _body(c: canvas.Canvas, cert: Certificate) -> float:
    """The certifying sentence in Chinese with the holder's data, its Uyghur under it (which refers to the
    data in the rows below rather than repeating it); returns the baseline below."""
    subject = bilingual.both(SUBJECTS[CertificateKind(cert.kind)])[0]
    values = {
        "name": cert.holder_name,
        "id_number": mask_id_number(cert.holder_id_number),
        "year": cert.year,
        "base": cert.base_name,
        "class_name": cert.class_name,
        "scope": f"（{cert.scope}）" if cert.scope else "",
        "subject": subject,
        "hours": hours_text(cert.hours),
    }
    zh, ug = bilingual.both(BODY, values)
    y = draw.wrapped(c, zh, 80, HEIGHT - 240, width=WIDTH - 160, size=17, leading=28)
    c.setFillColor(ink.INK)
    return bilingual.paragraph(c, ug, WIDTH - 80, y + 6, width=WIDTH - 160, size=12, leading=19)


def _values(cert: Certificate) -> list[tuple[str, str]]:
    subject = bilingual.both(SUBJECTS[CertificateKind(cert.kind)])[0]
    hours = bilingual.both(
        gettext_noop("%(hours)s学时（%(subject)s）"), {"hours": hours_text(cert.hours), "subject": subject}
    )
    year = bilingual.both(gettext_noop("%(year)s年度"), {"year": cert.year})
    return [
        (gettext_noop("姓名"), cert.holder_name),
        (gettext_noop("培训项目"), cert.class_name[:48]),
        (gettext_noop("培训机构"), cert.base_name[:48]),
        (gettext_noop("学时"), hours[0]),
        (gettext_noop("年度"), year[0]),
    ]


def _rows(c: canvas.Canvas, rows: list[tuple[str, str]], y: float) -> None:
    """`label：value` lines from the baseline `y` down, each label grey with its Uyghur under it."""
    for msgid, value in rows:
        bilingual.label(c, msgid, 80, y, size=12, ug_size=8)
        c.drawString(150, y, value)
        y -= 26


def _issuer_and_qr(c: canvas.Canvas, cert: Certificate, verify_url: str) -> None:
    """Issuer and date, bottom right of the text block; the QR code at the far right, its caption under it."""
    font = fonts.chinese()
    c.setFont(font, 14)
    c.drawRightString(WIDTH - 200, 120, cert.issuer_name)
    c.drawRightString(WIDTH - 200, 96, format(cert.issued_on, gettext_noop("%Y年%m月%d日")))
    draw.qr(c, verify_url, WIDTH - 170, 74, 110)
    zh, ug = bilingual.both(gettext_noop("扫码查验证书真伪"))
    c.setFont(font, 9)
    c.setFillColor(ink.GREY)
    c.drawCentredString(WIDTH - 115, 62, zh)
    uyghur.draw(c, ug, WIDTH - 115, 50, 7, align="centre")


def _revoked(c: canvas.Canvas) -> None:
    zh, ug = bilingual.both(gettext_noop("已撤销"))
    draw.watermark(c, zh, centre=(WIDTH / 2, HEIGHT / 2), size=96, angle=20)
    c.saveState()
    c.setFillColor(ink.REVOKED)
    c.translate(WIDTH / 2, HEIGHT / 2)
    c.rotate(20)
    uyghur.draw(c, ug, 0, -90, 48, align="centre")
    c.restoreState()
