"""The bilingual certificate and 学时证明: every label, heading and fixed sentence in Chinese and in Uyghur
(shaped, right to left), both fonts embedded as subsets, the text read back in logical order."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfgen import canvas

from jxjy.accounts.models import Learner
from jxjy.certificates.models import Certificate
from jxjy.certificates.pdf import render_certificate
from jxjy.core.pdf import bilingual, uyghur
from jxjy.hours.models import Credit
from jxjy.hours.pdf import render_proof
from jxjy.hours.services import YearSummary

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")  # the embedding marks pdftotext puts around runs


def text_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return BIDI_MARKS.sub("", out)


def fonts_of(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def certificate(status: str = "valid") -> Certificate:
    return Certificate(
        holder_name="阿卜杜热合曼·买买提", holder_id_number="650102199001011234", year=2028,
        base_name="新疆水利水电继续教育基地", class_name="水利工程培训班", scope="", hours=Decimal("40.5"),
        kind="professional", number="2028-ZY-000001", code="ABCD1234EFGH5678", status=status,
        issuer_name="新疆维吾尔自治区人力资源和社会保障厅", issued_on=datetime.date(2028, 1, 1),
    )  # fmt: skip


def proof() -> bytes:
    learner = Learner(name="张三丰", id_number="650102199001011234", work_unit="新疆维吾尔自治区水利厅")
    credits = [Credit(title="水利工程培训班", subject_kind="professional", hours=Decimal(12), source="培训后备案")]
    summary = YearSummary(year=2028, public=Decimal(30), professional=Decimal(60), credits=credits,
                          rules=(Decimal(90), Decimal(60)))  # fmt: skip
    return render_proof(learner, summary, issuer="新疆维吾尔自治区人力资源和社会保障厅")


def test_one_msgid_gives_both_languages():
    assert bilingual.both("姓名") == ("姓名", "ئىسىم-فامىلىسى")
    zh, ug = bilingual.both("结论：%(result)s。", {"result": bilingual.both("达标")})
    assert (zh, ug) == ("结论：达标。", "خۇلاسە: ئۆلچەمگە يەتتى.")


def test_a_line_is_cut_into_runs_of_its_directions():
    assert list(uyghur.runs("2028-يىلى 12 دەرس")) == [("2028", False), ("-يىلى ", True), ("12", False), (" دەرس", True)]


def test_letters_are_joined():
    """The shaped line draws contextual forms, not the isolated letters one by one."""
    ((_font, codes, _width),), _ = uyghur.shaped("ئىسىم")
    assert len(codes) == 5 and all(ord(code) >= 0xF0000 for code in codes[1:])  # only the final م is plain


@needs_poppler
def test_certificate_is_bilingual(tmp_path):
    pdf = render_certificate(certificate(), verify_url="http://testserver/v/ABCD1234EFGH5678")
    fonts = fonts_of(pdf, tmp_path)
    assert len(fonts) == 2 and all(row[-5:-2] == ["yes", "yes", "yes"] for row in fonts), fonts  # emb sub uni
    assert any("UKIJTuz" in row[0] for row in fonts)
    text = text_of(pdf)
    for zh in (
        "专业技术人员继续教育证书",
        "证书编号：",
        "查验码：",
        "姓名：",
        "培训项目：",
        "学时：",
        "经考核合格",
        "扫码查验证书真伪",
    ):
        assert zh in text, zh
    # Each label's Uyghur, as the catalogue gives it, read back with its letters in logical order; the
    # labels down the page in the Chinese order.
    labels = ["专业技术人员继续教育证书", "证书编号", "查验码", "姓名", "培训项目", "培训机构", "学时", "年度"]
    uyghur_labels = [bilingual.both(label)[1] for label in labels]
    for ug in uyghur_labels:
        assert ug in text, ug
    rows = text[text.index("姓名：") :]  # the labelled rows, after the body's sentence
    positions = [rows.index(ug) for ug in uyghur_labels[3:]]
    assert positions == sorted(positions), uyghur_labels[3:]
    # Codes once, left to right.
    assert text.count("2028-ZY-000001") == 1 and text.count("ABCD1234EFGH5678") == 1
    assert "6501**********1234" in text and "2028年01月01日" in text


def test_revoked_certificate_says_so_in_both():
    """The diagonal watermark (text extractors leave it out or split it): 已撤销 at 96 points, its Uyghur under it
    at 48 in the Uyghur font."""
    pdf = render_certificate(certificate("revoked"), verify_url="http://testserver/v/x")
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b" 96 Tf" in content and b"/F2+0 48 Tf" in content


@needs_poppler
def test_hours_proof_is_bilingual(tmp_path):
    pdf = proof()
    fonts = fonts_of(pdf, tmp_path)
    assert len(fonts) == 2 and all(row[-5:-2] == ["yes", "yes", "yes"] for row in fonts), fonts
    text = text_of(pdf)
    for zh in ("2028年度继续教育学时证明", "姓名：", "身份证号：", "工作单位：", "结论：达标", "序号", "证书编号"):
        assert zh in text, zh
    for msgid in ("姓名", "身份证号", "工作单位", "达标", "序号", "证书编号"):
        assert bilingual.both(msgid)[1] in text, msgid
    assert text.count("6501**********1234") == 1
    # poppler sets a colon or a full stop before a space in a Uyghur line as a run of its own (its bidi is
    # by words): the PDF draws "خۇلاسە: ئۆلچەمگە يەتتى." right; pdftotext gives the colon after the space.


@needs_poppler
def test_numbers_in_a_uyghur_line_stay_left_to_right():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    uyghur.draw(c, "2028-يىلى 40.5 دەرس سائىتى", 500, 700, 14)
    c.save()
    text = text_of(buffer.getvalue())
    # poppler puts the hyphen, a neutral, before the digits; the page draws 2028-يىلى right to left as written.
    assert text.index("2028") < text.index("يىلى") < text.index("40.5") < text.index("دەرس سائىتى"), text


def test_a_missing_uyghur_font_is_named(settings):
    settings.JXJY_PDF_UYGHUR_FONT = "/nonexistent/UKIJTuz.ttf"
    with pytest.raises(ImproperlyConfigured, match="fonts-ukij-uyghur"):
        uyghur.font_path()
