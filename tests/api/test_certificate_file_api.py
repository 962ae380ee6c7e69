"""证书查验 of an uploaded PDF through the open API: POST /api/v1/certificates/verify/file, multipart or a raw
application/pdf body, no token; a machine-readable result, the Chinese message, the certificate when known."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jxjy.certificates import signing, verification
from jxjy.certificates.services import reissue, revoke
from jxjy.core import clock
from tests.test_certificate_file_check import (
    download,
    issue_certificate,
    plain_pdf,
    signed_by_another_ca,
    signed_by_the_platform,
    with_hours_changed,
    with_text_appended,
)

URL = "/api/v1/certificates/verify/file"


@pytest.fixture
def cert(learner_user, base):
    return issue_certificate(learner_user.learner, base)


@pytest.fixture
def downloaded(client_for, cert):
    return download(client_for, cert)


def multipart(client, data: bytes, name: str = "证书.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def raw(client, data: bytes):
    # CONTENT_TYPE given again: the test client leaves it out when the body is empty, a real client does not.
    return client.generic("POST", URL, data, content_type="application/pdf", CONTENT_TYPE="application/pdf")


def test_a_downloaded_certificate_is_valid_by_multipart_and_by_raw_body(api, cert, downloaded):
    for r in (multipart(api(), downloaded), raw(api(), downloaded)):
        assert r.status_code == 200 and r["Content-Type"] == "application/json"
        data = r.json()
        assert data["result"] == "valid" and data["message"].startswith("证书真实有效")
        assert data["certificate"]["number"] == cert.number and data["certificate"]["status"] == "valid"
        assert data["certificate"]["holder_name"] == "张*" and data["certificate"]["hours"] == 40.5
        assert data["certificate"]["replaced_by_number"] is None and data["signed_at"].startswith("2026-")
        assert cert.holder_id_number not in r.content.decode() and "张三" not in r.content.decode()


def test_one_byte_changed_is_modified(api, downloaded):
    data = raw(api(), with_hours_changed(downloaded)).json()
    assert data["result"] == "modified" and data["message"].startswith("文件内容已被修改")
    assert data["certificate"] is None and data["signed_at"] is None


def test_text_appended_is_modified(api, downloaded):
    data = multipart(api(), with_text_appended(downloaded)).json()
    assert data["result"] == "modified" and data["message"].startswith("文件内容已被修改")
    assert data["certificate"] is None


def test_revoked_and_replaced(api, cert, downloaded, hr_region_user):
    new = reissue(cert, actor=hr_region_user, reason="姓名有误")
    cert.refresh_from_db()
    data = raw(api(), downloaded).json()
    day = timezone.localdate(cert.revoked_at).isoformat()
    assert data["result"] == "revoked" and data["message"].startswith(f"证书已撤销（{day}，原因：换发：姓名有误）")
    assert new.number in data["message"]
    assert data["certificate"]["status"] == "revoked" and data["certificate"]["revoked_on"] == day
    assert data["certificate"]["replaced_by_number"] == new.number
    # The number lookup tells the same story, both ways.
    old = api().get("/api/v1/certificates/verify", {"number": cert.number, "code": cert.code}).json()
    assert old["replaced_by_number"] == new.number and old["replaces_number"] is None
    assert api().get(f"/api/v1/certificates/verify/{new.code}").json()["replaces_number"] == cert.number


def test_revoked_without_replacement(api, cert, downloaded, hr_region_user):
    revoke(cert, actor=hr_region_user, reason="成绩造假")
    data = multipart(api(), downloaded).json()
    assert data["result"] == "revoked" and "成绩造假" in data["message"] and "换发" not in data["message"]
    assert data["certificate"]["revoked_reason"] == "成绩造假"


def test_foreign_files(api, downloaded, tmp_path):
    unsigned = downloaded[: downloaded.index(b"%%EOF") + len(b"%%EOF")] + b"\n"
    nobody = signed_by_the_platform(plain_pdf(signing.document_keywords("certificate", "no-such-code")))
    for pdf in (signed_by_another_ca(unsigned, tmp_path / "other-ca"), plain_pdf(), nobody):
        data = raw(api(), pdf).json()
        assert data == {"result": "foreign", "message": data["message"], "signed_at": None, "certificate": None}
        assert data["message"].startswith("不是本平台签发的文件")


def test_hours_proof(api, db):
    pdf = signed_by_the_platform(plain_pdf(signing.document_keywords("hours-proof", "2026-1")))
    data = raw(api(), pdf).json()
    assert data["result"] == "hours_proof" and data["certificate"] is None and data["signed_at"]
    assert data["message"].startswith("学时证明真实有效（本平台签发，签发后未被修改）")
    assert clock.today().isoformat() in data["message"]


def test_a_broken_pdf_is_unreadable(api, db):
    r = raw(api(), b"%PDF-1.7\n" + b"\xff" * 500)
    assert r.status_code == 200
    assert r.json()["result"] == "unreadable" and r.json()["message"] == verification.UNREADABLE


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", verification.EMPTY),
        (b"GIF89a" + bytes(range(256)) * 4, "not_pdf", verification.NOT_PDF),
        (b"%PDF-1.7\n" + b"0" * verification.MAX_BYTES, "too_large", verification.TOO_LARGE),
    ],
    ids=["empty", "not-pdf", "oversize"],
)
def test_refused_uploads_are_400_in_chinese(api, db, data, code, message):
    for r in (multipart(api(), data), raw(api(), data)):
        assert r.status_code == 400
        assert r.json() == {"code": code, "message": message}


def test_no_file_wrong_type_and_broken_multipart(api, db):
    r = api().post(URL, {"name": "证书.pdf"})
    assert r.status_code == 400 and r.json() == {"code": "no_file", "message": verification.NO_FILE}
    r = api().post(URL, {"file": "not a file, a text field"})
    assert r.status_code == 400 and r.json()["code"] == "no_file"
    r = api().post(URL, {"file": "x"}, content_type="application/json")
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
    assert "multipart/form-data" in r.json()["message"] and "JSON" not in r.json()["message"]
    r = api().generic("POST", URL, b"--x\r\n\r\n", content_type="multipart/form-data")  # no boundary
    assert r.status_code == 400 and "无法解析请求内容" in r.json()["message"]
    r = api().get(URL)
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"


def test_a_token_is_not_needed_but_a_bad_one_is_refused(api, db):
    assert raw(api(), plain_pdf()).status_code == 200
    assert raw(api("jxjy_wrong_" + "x" * 43), plain_pdf()).status_code == 401


def test_same_rate_limit_as_the_other_verify_endpoints(api, cert, settings):
    settings.JXJY_API_RATE_PER_IP = "3/m"
    codes = [raw(api(), b"x").status_code for _ in range(2)]
    codes.append(api().get(f"/api/v1/certificates/verify/{cert.code}").status_code)
    codes.append(raw(api(), plain_pdf()).status_code)
    assert codes == [400, 400, 200, 429]


def test_the_schema_documents_the_operation(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    op = schema["paths"]["/api/v1/certificates/verify/file"]["post"]
    assert op["operationId"] == "verify_certificate_file" and op["tags"] == ["证书查验"]
    assert "security" not in op  # as the other public operations: no token
    content = op["requestBody"]["content"]
    assert set(content) == {"multipart/form-data", "application/pdf"}
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert {"200", "400", "401", "415", "429", "500"} <= set(op["responses"])
    answer = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][answer]["properties"]
    assert set(fields) == {"result", "message", "signed_at", "certificate"}
    results = schema["components"]["schemas"][fields["result"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert set(results) == {"valid", "modified", "revoked", "foreign", "unreadable", "hours_proof"}
