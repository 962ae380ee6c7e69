"""证书查验 of an uploaded PDF: the learner's downloaded certificate is genuine; changed, revoked, foreign, broken
or wrong uploads are told apart in plain words; a 换发 shows on both certificates' pages."""

import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.pdfgen import canvas

from demo import factories as f
from jxjy.certificates import identity, signing, verification
from jxjy.certificates.models import Certificate, CertificateKind
from jxjy.certificates.services import Facts, issue, reissue, revoke
from jxjy.core import clock

VERIFY = reverse("certificates:verify")
HOURS = "40.5"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the page's rate limit counts in the cache
    yield
    cache.clear()


def issue_certificate(learner, base, key: str = "test:file-check") -> Certificate:
    return issue(
        Facts(
            source_key=key, learner=learner, kind=CertificateKind.PROFESSIONAL, year=2026, hours=Decimal(HOURS),
            class_name="水利工程培训班", base=base, base_name=base.name, scope="", issuer=f.hr_region(),
            source_label="培训后备案",
        )
    )  # fmt: skip


def download(client_for, cert: Certificate) -> bytes:
    """The file as the learner gets it from 我的证书."""
    response = client_for(cert.learner.user).get(reverse("certificates:pdf", args=[cert.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def with_hours_changed(pdf: bytes) -> bytes:
    """One byte of the page changed: the certificate's 40.5 学时 made 90.5 (the page content is uncompressed)."""
    sentence = re.search(rb"\(\\[0-7]{3}[^)]*?40\.5", pdf)
    assert sentence, "the hours are written as text in the page's content stream"
    at = sentence.end() - len(HOURS)
    return pdf[:at] + b"9" + pdf[at + 1 :]


def with_text_appended(pdf: bytes) -> bytes:
    """A line of text drawn on the page in an incremental update after the signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    stream = generic.StreamObject(stream_data=b"BT /F1+0 17 Tf 80 300 Td (99) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf(keywords: str = "") -> bytes:
    """An unsigned one-page PDF, as anyone can make with ReportLab."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setKeywords(keywords)
    c.drawString(72, 720, "Certificate 2026-ZY-000001")
    c.showPage()
    c.save()
    return buffer.getvalue()


def signed_by_another_ca(pdf: bytes, directory) -> bytes:
    """`pdf` signed in the platform's signature field, by a CA of someone else's making."""
    p12 = identity.make_identity(directory)
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=None)
    meta = signers.PdfSignatureMetadata(field_name=signing.FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)  # fmt: skip
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return out.getvalue()


def signed_by_the_platform(pdf: bytes) -> bytes:
    return signing.sign(
        pdf, box=(300, 50, 420, 170), organisation="新疆维吾尔自治区人力资源和社会保障厅", reason="测试"
    )


def upload(visitor, data: bytes, name: str = "证书.pdf"):
    return visitor.post(VERIFY, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def result_of(response) -> tuple[str, str]:
    """The result block's `data-result` and its text, tags dropped and whitespace folded."""
    html = response.content.decode()
    block = re.search(r'<div class="verify-result[^"]*" data-result="(\w+)">(.*?)\n</div>', html, re.S)
    assert block, html
    return block.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.group(2)))


@pytest.fixture
def visitor(db):
    """Someone on the public page, signed in as nobody (`client` is the one `client_for` signs in)."""
    return Client()


@pytest.fixture
def cert(learner_user, base):
    return issue_certificate(learner_user.learner, base)


@pytest.fixture
def downloaded(client_for, cert):
    return download(client_for, cert)


# ---- what a file is ------------------------------------------------------------------------------


def test_the_learners_downloaded_certificate_is_genuine(visitor, cert, downloaded):
    response = upload(visitor, downloaded)
    assert response.status_code == 200
    result, text = result_of(response)
    assert result == "valid" and "证书真实有效" in text
    assert cert.number in text and "张*" in text and "水利工程培训班" in text and cert.issuer_name in text
    assert "签章时间" in text
    assert cert.holder_name not in response.content.decode() and cert.holder_id_number not in text


def test_one_byte_of_the_page_changed_is_modified(visitor, downloaded):
    changed = with_hours_changed(downloaded)
    assert len(changed) == len(downloaded) and changed != downloaded
    result, text = result_of(upload(visitor, changed))
    assert result == "modified" and "文件内容已被修改" in text and "证书真实有效" not in text


def test_text_appended_as_an_incremental_update_is_modified(visitor, downloaded):
    result, text = result_of(upload(visitor, with_text_appended(downloaded)))
    assert result == "modified" and "文件内容已被修改" in text


def test_a_revoked_certificates_genuine_file_says_when_and_why(visitor, cert, downloaded, hr_region_user):
    revoke(cert, actor=hr_region_user, reason="培训记录有误")
    cert.refresh_from_db()
    result, text = result_of(upload(visitor, downloaded))
    day = timezone.localdate(cert.revoked_at).isoformat()
    assert result == "revoked" and f"证书已撤销（{day}，原因：培训记录有误）" in text
    assert "证书真实有效" not in text and cert.number in text


def test_a_certificate_replaced_points_to_the_new_one(visitor, client_for, cert, downloaded, hr_region_user):
    new = reissue(cert, actor=hr_region_user, reason="姓名有误")
    response = upload(visitor, downloaded)
    result, text = result_of(response)
    assert result == "revoked" and f"新证书编号为 {new.number}" in text
    assert f'href="{new.get_verify_url()}"' in response.content.decode()
    # The file of the new certificate says where it came from.
    result, text = result_of(upload(visitor, download(client_for, new)))
    assert result == "valid" and f"换发自 {cert.number}" in text


def test_a_file_signed_by_another_ca_is_foreign(visitor, downloaded, tmp_path):
    unsigned = downloaded[: downloaded.index(b"%%EOF") + len(b"%%EOF")] + b"\n"  # the certificate before the seal
    for data in (signed_by_another_ca(unsigned, tmp_path / "other-ca"), plain_pdf()):
        response = upload(visitor, data)
        assert response.status_code == 200
        result, text = result_of(response)
        assert result == "foreign" and "不是本平台签发的文件" in text and "张*" not in text


def test_a_platform_signature_over_no_certificate_of_ours_is_foreign(visitor, db):
    data = signed_by_the_platform(plain_pdf(signing.document_keywords("certificate", "no-such-code")))
    assert signing.verify(data).valid
    result, text = result_of(upload(visitor, data))
    assert result == "foreign" and "不是本平台签发的文件" in text


def test_a_genuine_hours_proof_says_so_with_its_date(visitor, db):
    data = signed_by_the_platform(plain_pdf(signing.document_keywords("hours-proof", "650102199001011239-2026")))
    response = upload(visitor, data, name="学时证明.pdf")
    result, text = result_of(response)
    assert result == "hours_proof" and "学时证明真实有效（本平台签发，签发后未被修改）" in text
    assert f"签发日期 {clock.today().isoformat()}" in text


def test_a_broken_pdf_is_unreadable(visitor, db):
    response = upload(visitor, b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert response.status_code == 200
    result, text = result_of(response)
    assert result == "unreadable" and "无法读取该文件，请上传本平台下载的 PDF 文件。" in text


# ---- uploads refused before anything is verified --------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a pdf, just some text" * 10, verification.NOT_PDF),
        (bytes(range(256)) * 8, verification.NOT_PDF),
        (b"", verification.EMPTY),
        (b"%PDF-1.7\n" + b"0" * verification.MAX_BYTES, verification.TOO_LARGE),
    ],
    ids=["text", "binary", "empty", "oversize"],
)
def test_wrong_uploads_get_a_chinese_message_and_400(visitor, db, data, message):
    response = upload(visitor, data, name="x.pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert str(message) in html and 'class="verify-result' not in html and 'role="alert"' in html


def test_no_file_at_all_is_400(visitor, db):
    response = visitor.post(VERIFY, {})
    assert response.status_code == 400 and str(verification.NO_FILE) in response.content.decode()


def test_a_file_of_exactly_the_limit_is_checked(visitor, db):
    response = upload(visitor, b"%PDF-1.7\n" + b"0" * (verification.MAX_BYTES - 9))
    assert response.status_code == 200 and result_of(response)[0] == "unreadable"


def test_the_page_offers_the_upload_with_a_csrf_token(downloaded):
    """A visitor's browser: the page's form carries the CSRF token, and a post without it is refused."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(VERIFY).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    file = SimpleUploadedFile("证书.pdf", downloaded, content_type="application/pdf")
    assert browser.post(VERIFY, {"file": file}).status_code == 403
    file.seek(0)
    response = browser.post(VERIFY, {"file": file, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and result_of(response)[0] == "valid"


def test_uploads_share_the_lookups_rate_limit(visitor, db):
    codes = [upload(visitor, b"not a pdf").status_code for _ in range(30)]
    assert codes == [400] * 30
    assert visitor.get(VERIFY, {"number": "2026-ZY-000001"}).status_code == 429
    assert upload(visitor, plain_pdf()).status_code == 429


def test_checking_a_file_writes_no_audit_entry(visitor, downloaded):
    from jxjy.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    upload(visitor, downloaded)
    assert AuditEntry.objects.count() == before


# ---- 换发 on the pages found by number and by QR code ------------------------------------------------


def test_number_and_qr_pages_show_a_replacement_both_ways(visitor, cert, hr_region_user, base):
    new = reissue(cert, actor=hr_region_user, reason="信息有误")
    old_page = visitor.get(VERIFY, {"number": cert.number, "code": cert.code}).content.decode()
    assert "证书已撤销" in old_page and "该证书已换发" in old_page and new.number in old_page
    assert f'href="{new.get_verify_url()}"' in old_page
    new_page = visitor.get(new.get_verify_url()).content.decode()
    assert "证书有效" in new_page and "换发自" in new_page and cert.number in new_page
    assert f'href="{cert.get_verify_url()}"' in new_page
    other = issue_certificate(cert.learner, base, key="x")
    plain = visitor.get(VERIFY, {"number": other.number, "code": other.code}).content.decode()
    assert "换发" not in plain
