"""Public certificate verification through the API: by number and by the QR code's verification code."""

from decimal import Decimal

import pytest

from demo import factories as f
from jxjy.accounts.models import Organisation
from jxjy.certificates.models import CertificateKind
from jxjy.certificates.services import Facts, issue, revoke


@pytest.fixture
def cert(learner_user, base):
    hr = f.hr_region()
    return issue(
        Facts(
            source_key="test:1", learner=learner_user.learner, kind=CertificateKind.PROFESSIONAL, year=2026,
            hours=Decimal("40.5"), class_name="水利工程培训班", base=base, base_name=base.name, scope="",
            issuer=hr, source_label="培训后备案",
        )
    )  # fmt: skip


def test_verify_by_number_and_code_needs_no_token(api, cert):
    r = api().get("/api/v1/certificates/verify", {"number": cert.number.lower(), "code": cert.code})
    assert r.status_code == 200
    data = r.json()
    assert data["number"] == cert.number and data["status"] == "valid" and data["status_label"] == "有效"
    assert data["holder_name"] == "张*"  # masked: the public learns no full name
    assert data["hours"] == 40.5 and data["kind_label"] == "专业课电子证书"
    assert "650102" not in r.content.decode()


def test_verify_by_code(api, cert):
    r = api().get(f"/api/v1/certificates/verify/{cert.code}")
    assert r.status_code == 200 and r.json()["number"] == cert.number


def test_revoked_certificate_says_so(api, cert, hr_region_user):
    revoke(cert, actor=hr_region_user, reason="信息有误")
    data = api().get(f"/api/v1/certificates/verify/{cert.code}").json()
    assert data["status"] == "revoked" and data["revoked_reason"] == "信息有误" and data["revoked_on"]


def test_unknown_number_or_code_is_json_404(api, cert):
    for r in (api().get("/api/v1/certificates/verify", {"number": "2026-ZY-999999", "code": cert.code}),
              api().get("/api/v1/certificates/verify", {"number": cert.number, "code": "guess"}),
              api().get("/api/v1/certificates/verify/nope")):  # fmt: skip
        assert r.status_code == 404
        assert r.json() == {"code": "not_found", "message": "未查到该证书，请核对证书编号或查验码。"}


def test_missing_number_is_400_with_field_errors(api):
    r = api().get("/api/v1/certificates/verify")
    assert r.status_code == 400 and r.json()["code"] == "invalid" and {"number", "code"} <= set(r.json()["errors"])


def test_verification_is_rate_limited_per_address(api, cert, settings):
    settings.JXJY_API_RATE_PER_IP = "2/m"
    url = f"/api/v1/certificates/verify/{cert.code}"
    assert [api().get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(cert, settings):
    from django.test import Client

    settings.JXJY_API_RATE_PER_IP = "1/m"
    url = f"/api/v1/certificates/verify/{cert.code}"
    codes = [Client(headers={"X-Forwarded-For": f"10.0.0.{n}"}).get(url).status_code for n in range(2)]
    assert codes == [200, 429]


def test_platform_organisations_are_a_kind(platform):
    assert platform.get_kind_display() == "在线学习平台" and platform.kind == Organisation.Kind.PLATFORM
