"""电子签章 with the key in an HSM (PKCS#11), here SoftHSM2: a token initialised in a temporary directory,
the key and certificates of a make_identity PKCS#12 imported into it with python-pkcs11, then a certificate
signed through `signing.sign` verifies. Skipped without SoftHSM2, except in CI (CI=true), where it fails."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from jxjy.certificates import identity, signing
from jxjy.certificates.pdf import SEAL_BOX
from jxjy.certificates.signing import Finding

from .service_helpers import require

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN, SO_PIN = "jxjy", "1234", "5678"
KEY_LABEL, CA_LABEL = "jxjy-signing", "jxjy-ca"


def _import_identity(p12: Path) -> None:
    """The key, its certificate and the CA certificate of `p12`, as token objects (what an HSM's tools do)."""
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.ec import decode_ec_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    key, cert, (ca,) = pkcs12.load_key_and_certificates(p12.read_bytes(), None)
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    token = pkcs11.lib(SOFTHSM).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            decode_ec_private_key(der_key)
            | {Attribute.LABEL: KEY_LABEL, Attribute.ID: b"\x01", Attribute.TOKEN: True, Attribute.SIGN: True,
               Attribute.PRIVATE: True, Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False}
        )  # fmt: skip
        for label, ident, c in ((KEY_LABEL, b"\x01", cert), (CA_LABEL, b"\x02", ca)):
            der = c.public_bytes(serialization.Encoding.DER)
            session.create_object(
                decode_x509_certificate(der) | {Attribute.LABEL: label, Attribute.ID: ident, Attribute.TOKEN: True}
            )


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token holding a make_identity key: (the CA's PEM file)."""
    require(Path(SOFTHSM).exists(), f"needs SoftHSM2 ({SOFTHSM}: Debian package softhsm2)")
    require(bool(shutil.which("softhsm2-util")), "needs softhsm2-util (Debian package softhsm2)")
    import pkcs11

    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOFTHSM2_CONF", str(conf))
        init = ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN]
        subprocess.run(init, check=True, capture_output=True, timeout=60, env=os.environ)
        pkcs11.lib(SOFTHSM).reinitialize()  # SoftHSM reads SOFTHSM2_CONF when it is initialised
        p12 = identity.make_identity(home / "identity")
        _import_identity(p12)
        yield home / "identity" / identity.CA_NAME
        pkcs11.lib(SOFTHSM).finalize()


@pytest.fixture
def hsm(settings, token):
    settings.JXJY_SIGNING_PKCS12 = ""
    settings.JXJY_SIGNING_PKCS11_MODULE = SOFTHSM
    settings.JXJY_SIGNING_PKCS11_TOKEN = TOKEN
    settings.JXJY_SIGNING_PKCS11_KEY = KEY_LABEL
    settings.JXJY_SIGNING_PKCS11_CERT = KEY_LABEL
    settings.JXJY_SIGNING_PKCS11_PIN = PIN
    settings.JXJY_SIGNING_TRUST = str(token)
    signing.reset()
    yield settings
    signing.reset()
    import pkcs11

    pkcs11.lib(SOFTHSM).reinitialize()  # closes the sessions, and with them the login: each test logs in anew


def _unsigned() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=0)
    c.drawString(100, 700, "HSM 40")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _sign(pdf: bytes | None = None) -> bytes:
    return signing.sign(
        pdf or _unsigned(), box=SEAL_BOX, organisation="新疆维吾尔自治区人力资源和社会保障厅", reason="证书"
    )


def test_a_certificate_signed_with_the_hsm_key_verifies(hsm, certificate_pdf):
    ident = identity.load_identity()
    assert ident.source == "pkcs11"
    assert ident.certificate.subject.native["common_name"] == identity.SIGNER_NAME
    assert signing.verify(_sign(certificate_pdf)).finding == Finding.VALID
    assert signing.verify(_sign()).finding == Finding.VALID  # the second signature, stamped from the template
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("jxjy.certificates.")]


def test_without_signing_trust_the_tokens_ca_is_the_root(hsm):
    hsm.JXJY_SIGNING_TRUST = ""
    signing.reset()
    (root,) = identity.load_identity().trust_roots
    assert root.subject == identity.load_identity().certificate.issuer
    assert signing.verify(_sign()).finding == Finding.VALID


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("JXJY_SIGNING_PKCS11_PIN", "0000"),
        ("JXJY_SIGNING_PKCS11_TOKEN", "nosuch"),
        ("JXJY_SIGNING_PKCS11_KEY", "nosuch"),
    ],
)
def test_a_wrong_pin_token_or_label_is_refused_in_chinese(hsm, setting, value):
    setattr(hsm, setting, value)
    if setting == "JXJY_SIGNING_PKCS11_KEY":
        hsm.JXJY_SIGNING_PKCS11_CERT = ""
    signing.reset()
    with pytest.raises(ImproperlyConfigured, match="无法使用 PKCS#11 签章设备"):
        identity.load_identity()


@pytest.fixture
def certificate_pdf(db):
    from decimal import Decimal

    from demo import factories as f
    from jxjy.certificates import services
    from jxjy.certificates.pdf import render_certificate
    from jxjy.core import clock

    facts = services.Facts(source_key="pkcs11:1", learner=f.learner(8), kind="professional", year=clock.this_year(),
                           hours=Decimal(40), class_name="培训班", base=None, base_name="基地", scope="",
                           issuer=f.hr_region(), source_label="培训后备案")  # fmt: skip
    cert = services.issue(facts)
    return render_certificate(cert, verify_url=services.verify_url(cert))
