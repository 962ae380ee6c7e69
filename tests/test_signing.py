"""电子签章: the signed certificate is a PAdES file that poppler accepts and that fails once a byte changes;
the template fast path is pyHanko's own CMS; `verify` tells ours from modified, foreign and unreadable files,
across a key rotation and with a timestamp (B-T); the seal is drawn; a misconfigured key is refused.

Each test signs with an identity of its own made in tmp_path (identity.make_identity); the process's
cached identity is dropped (signing.reset) whenever a signing setting changes or is restored."""

import asyncio
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from asn1crypto import cms, keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.checks import Error, Warning, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.signals import setting_changed
from django.dispatch import receiver
from PIL import Image
from pyhanko.pdf_utils import generic, incremental_writer
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from demo import factories as f
from jxjy.certificates import checks, identity, seal, services, signing
from jxjy.certificates.pdf import HEIGHT, SEAL_BOX, render_certificate
from jxjy.certificates.signing import Finding
from jxjy.core import clock
from jxjy.core.clock import now as platform_now

from .service_helpers import ROOT, prod_env, require


@receiver(setting_changed)
def _forget_identity(setting, **kwargs):
    """The `settings` fixture restores after a test's own teardown: drop the identity then as well."""
    if setting.startswith(("JXJY_SIGNING", "JXJY_TSA")):
        signing.reset()


@pytest.fixture(autouse=True)
def _fresh_identity():
    signing.reset()
    yield
    signing.reset()


def use(settings, directory: Path, *, trust: list[Path] | None = None, password: str = "") -> None:
    """Sign with the PKCS#12 identity in `directory` (made by make_identity), trusting `trust` (default: its CA)."""
    settings.JXJY_SIGNING_PKCS12 = str(directory / identity.P12_NAME)
    settings.JXJY_SIGNING_PKCS12_PASSWORD = password
    settings.JXJY_SIGNING_TRUST = ",".join(str(p / identity.CA_NAME) for p in (trust or [directory]))
    signing.reset()


@pytest.fixture
def own_ca(settings, tmp_path):
    directory = tmp_path / "ca"
    identity.make_identity(directory)
    use(settings, directory)
    return directory


@pytest.fixture
def certificate(db):
    issuer = f.hr_region()
    learner = f.learner(7)
    facts = services.Facts(source_key="signing:1", learner=learner, kind="professional", year=clock.this_year(),
                           hours=Decimal(40), class_name="2026年水利行业专业技术人员继续教育培训班", base=None,
                           base_name="新疆水利水电继续教育基地", scope="工程系列 水利专业 工程师", issuer=issuer,
                           source_label="培训后备案")  # fmt: skip
    return services.issue(facts)


@pytest.fixture
def unsigned(certificate) -> bytes:
    return render_certificate(certificate, verify_url=services.verify_url(certificate))


def sign(pdf: bytes) -> bytes:
    return signing.sign(pdf, box=SEAL_BOX, organisation="新疆维吾尔自治区人力资源和社会保障厅", reason="电子证书")


def with_hours_changed(data: bytes) -> bytes:
    """The same file with the 学时 row's "40" made "48": one byte of the uncompressed page content."""
    found = re.search(rb"150 [\d.]+ Tm /F1\+0 12 Tf [\d.]+ TL \(4(0)", data)
    assert found, "the 学时 row is not in the page content"
    return data[: found.start(1)] + b"8" + data[found.end(1) :]


def embedded(data: bytes):
    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures
    return sig


# ---------------------------------------------------------------------------------------------------
# poppler's pdfsig


def pdfsig(path: Path, nss: Path | None) -> str:
    args = ["pdfsig", *(["-nssdir", f"sql:{nss}"] if nss else []), str(path)]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False).stdout


def nss_trusting(ca: Path, directory: Path) -> Path | None:
    """An NSS database (pdfsig's trust store) that trusts `ca`; None without certutil (libnss3-tools)."""
    if not shutil.which("certutil"):
        return None
    directory.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True, timeout=30)
    add = ["certutil", "-A", "-d", f"sql:{directory}", "-n", "jxjy-test-ca", "-t", "CT,C,C", "-i", str(ca)]
    subprocess.run(add, check=True, timeout=30)
    return directory


def test_pdfsig_accepts_the_signed_certificate_and_a_changed_byte_breaks_it(own_ca, certificate, tmp_path):
    require(bool(shutil.which("pdfsig")), "needs pdfsig (Debian package poppler-utils)")
    nss = nss_trusting(own_ca / identity.CA_NAME, tmp_path / "nss")
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(services.sealed_pdf(certificate))
    out = pdfsig(signed, nss)
    assert "Signature Field Name: 电子签章" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Total document signed" in out
    assert "Signature Validation: Signature is Valid." in out
    if nss:
        assert "Certificate Validation: Certificate is Trusted." in out

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(with_hours_changed(signed.read_bytes()))
    out = pdfsig(changed, nss)
    assert "Signature is Valid" not in out
    assert re.search(r"Signature Validation: (Digest Mismatch|Signature is Invalid)", out)
    assert signing.verify(signed.read_bytes()).finding == Finding.VALID
    assert signing.verify(changed.read_bytes()).finding == Finding.MODIFIED


# ---------------------------------------------------------------------------------------------------
# The template fast path


def run(coroutine):
    return asyncio.run(coroutine)


def test_the_template_is_pyhankos_own_cms_byte_for_byte_with_an_rsa_key(tmp_path):
    p12 = identity.make_identity(tmp_path / "rsa", key_type="rsa")
    inner, _ = identity._from_pkcs12(str(p12), "")
    fast = signing._TemplateSigner(inner)
    for text in (b"the first document", b"the second document", b"the first document"):
        digest = hashlib.sha256(text).digest()
        stamped = run(fast.async_sign(digest, "sha256", use_pades=True))
        reference = run(inner.async_sign(digest, "sha256", use_pades=True))
        assert isinstance(stamped, bytes) and isinstance(reference, cms.ContentInfo)
        assert stamped == reference.dump()
    assert fast._template is not None  # made once, for the first document, and reused


def test_a_signed_file_is_pyhankos_own_byte_for_byte_with_an_rsa_key(settings, tmp_path, unsigned, clock, monkeypatch):
    """The whole path (PdfSigner → _TemplateSigner): the file is what pyHanko alone makes, at the same instant
    and with the same (otherwise random) second half of the document's /ID."""
    directory = tmp_path / "rsa"
    identity.make_identity(directory, key_type="rsa")
    use(settings, directory)
    clock.move_to(platform_now(), tick=False)  # `clock` here is the traveller: stop it where it is
    fixed_id = SimpleNamespace(urandom=lambda n: b"\x07" * n, SEEK_END=os.SEEK_END)
    monkeypatch.setattr(incremental_writer, "os", fixed_id)
    ours = sign(unsigned)
    theirs = io.BytesIO()
    meta = signers.PdfSignatureMetadata(
        field_name=signing.FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, reason="电子证书",
        location="新疆维吾尔自治区", name="新疆维吾尔自治区人力资源和社会保障厅",
    )  # fmt: skip
    signers.PdfSigner(
        meta,
        signer=identity.load_identity().signer,
        stamp_style=seal.stamp_style("新疆维吾尔自治区人力资源和社会保障厅"),
        new_field_spec=fields.SigFieldSpec(signing.FIELD, on_page=0, box=SEAL_BOX),
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(unsigned)), output=theirs, bytes_reserved=signing.BYTES_RESERVED)
    assert ours == theirs.getvalue()
    assert isinstance(signing._signer(), signing._TemplateSigner) and signing._signer()._template is not None


def test_the_templates_cms_verifies_with_an_ec_key(tmp_path):
    p12 = identity.make_identity(tmp_path / "ec")
    inner, _ = identity._from_pkcs12(str(p12), "")
    public_key = x509.load_der_x509_certificate(inner.signing_cert.dump()).public_key()
    fast = signing._TemplateSigner(inner)
    for text in (b"one", b"two"):
        digest = hashlib.sha256(text).digest()
        info = cms.ContentInfo.load(run(fast.async_sign(digest, "sha256", use_pades=True)))
        signer_info = info["content"]["signer_infos"][0]
        attributes = {a["type"].native: a["values"][0] for a in signer_info["signed_attrs"]}
        assert attributes["message_digest"].native == digest
        # Raises InvalidSignature unless the signature is over these very attributes (as a DER SET).
        public_key.verify(signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(),
                          ec.ECDSA(hashes.SHA256()))  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# verify


def test_verify_a_valid_file(own_ca, certificate):
    verdict = signing.verify(services.sealed_pdf(certificate))
    assert verdict.finding == Finding.VALID and verdict.valid
    assert verdict.keywords == signing.document_keywords("certificate", certificate.code)
    assert identity.SIGNER_NAME in verdict.signer
    assert abs(verdict.signed_at - clock.now()) < dt.timedelta(minutes=1)


def test_verify_a_changed_byte_is_modified(own_ca, unsigned):
    verdict = signing.verify(with_hours_changed(sign(unsigned)))
    assert verdict.finding == Finding.MODIFIED and not verdict.valid and verdict.keywords == ""


def test_verify_an_update_appended_after_signing_is_modified(own_ca, unsigned):
    writer = IncrementalPdfFileWriter(io.BytesIO(sign(unsigned)))
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1+0 12 Tf 150 174 Td (99) Tj ET"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    assert signing.verify(out.getvalue()).finding == Finding.MODIFIED


def test_verify_a_file_signed_by_another_ca_is_foreign(settings, tmp_path, unsigned):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    identity.make_identity(ours)
    identity.make_identity(theirs)
    use(settings, theirs)
    signed_elsewhere = sign(unsigned)
    use(settings, ours)
    verdict = signing.verify(signed_elsewhere)
    assert verdict.finding == Finding.FOREIGN and identity.SIGNER_NAME in verdict.signer
    assert signing.verify(with_hours_changed(signed_elsewhere)).finding == Finding.FOREIGN  # not "ours, changed"
    assert signing.verify(sign(unsigned)).finding == Finding.VALID


def test_verify_an_unsigned_file_is_foreign(own_ca, unsigned):
    assert signing.verify(unsigned).finding == Finding.FOREIGN


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n" + b"\x00" * 200])
def test_verify_garbage_is_unreadable(own_ca, data):
    assert signing.verify(data).finding == Finding.UNREADABLE


def test_files_signed_before_a_key_rotation_stay_valid_while_the_old_ca_is_trusted(settings, tmp_path, unsigned):
    old, new = tmp_path / "2025", tmp_path / "2026"
    identity.make_identity(old)
    identity.make_identity(new)
    use(settings, old)
    before = sign(unsigned)
    use(settings, new, trust=[new, old])
    after = sign(unsigned)
    assert signing.verify(before).finding == Finding.VALID
    assert signing.verify(after).finding == Finding.VALID
    use(settings, new)  # the old CA forgotten: its files are no longer the platform's
    assert signing.verify(before).finding == Finding.FOREIGN
    assert signing.verify(after).finding == Finding.VALID


# ---------------------------------------------------------------------------------------------------
# B-T: a signature timestamp


def _tsa() -> tuple[asn1_x509.Certificate, asn1_x509.Certificate, keys.PrivateKeyInfo]:
    """A TSA root and a timestamping certificate it issued, with the latter's key (RSA: DummyTimeStamper's)."""
    now = clock.now()
    root_key, key = ec.generate_private_key(ec.SECP256R1()), rsa.generate_private_key(65537, 2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳根证书")])
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳服务")])

    def build(subject, public_key, ca: bool):
        builder = (
            x509.CertificateBuilder(subject_name=subject, issuer_name=root_name, public_key=public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return asn1_x509.Certificate.load(
            builder.sign(root_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        )

    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        build(root_name, root_key.public_key(), True),
        build(name, key.public_key(), False),
        keys.PrivateKeyInfo.load(der_key),
    )


def test_with_a_timestamp_authority_the_signature_is_b_t(settings, own_ca, unsigned, monkeypatch):
    tsa_root, tsa_cert, tsa_key = _tsa()
    monkeypatch.setattr(identity, "_timestamper", lambda url: DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key))
    settings.JXJY_TSA_URL = "http://tsa.invalid/"
    signing.reset()
    assert identity.load_identity().timestamper is not None
    data = sign(unsigned)

    assert signing.verify(data).finding == Finding.VALID
    sig = embedded(data)
    unsigned_attrs = {a["type"].native for a in sig.signer_info["unsigned_attrs"]}
    assert "signature_time_stamp_token" in unsigned_attrs
    context = ValidationContext(trust_roots=[*identity.load_identity().trust_roots, tsa_root])
    status = validate_pdf_signature(sig, signer_validation_context=context)
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid and status.timestamp_validity.trusted
    assert status.bottom_line


# ---------------------------------------------------------------------------------------------------
# The seal


def _xobjects(stream) -> dict:
    return {name: ref.get_object() for name, ref in stream.get("/Resources", {}).get("/XObject", {}).items()}


def test_the_signature_appearance_draws_the_seal(own_ca, unsigned, tmp_path):
    data = sign(unsigned)
    reader = PdfFileReader(io.BytesIO(data))
    (field,) = [ref.get_object() for ref in reader.root["/AcroForm"]["/Fields"]]
    assert field["/T"] == signing.FIELD and field["/FT"] == "/Sig"
    appearance = field["/AP"]["/N"]
    assert b"/Seal Do" in appearance.data
    seal_form = _xobjects(appearance)["/Seal"]
    assert seal_form["/Subtype"] == "/Form"
    assert seal_form.data.startswith(b"0.80 0.10 0.10 RG")  # the ring, in seal red
    assert [float(v) for v in field["/Rect"]] == pytest.approx(SEAL_BOX, abs=0.001)

    require(bool(shutil.which("pdftoppm")), "needs pdftoppm (Debian package poppler-utils)")

    def red_in_seal_box(pdf: bytes, name: str) -> int:
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        args = ["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)]
        subprocess.run(args, check=True, timeout=60)
        image = Image.open(tmp_path / f"{name}.png").convert("RGB")
        x0, y0, x1, y1 = SEAL_BOX  # PDF points, from the bottom left; the image is 72 dpi, from the top left
        box = image.crop((int(x0), int(HEIGHT - y1), int(x1), int(HEIGHT - y0)))
        pixels = box.tobytes()
        return sum(
            1 for i in range(0, len(pixels), 3) if pixels[i] > 150 and pixels[i + 1] < 110 and pixels[i + 2] < 110
        )

    assert red_in_seal_box(unsigned, "unsigned") == 0  # nothing red there before the seal
    assert red_in_seal_box(data, "signed") > 1000  # the ring, the name, the star


# ---------------------------------------------------------------------------------------------------
# Misconfiguration, the deploy check, make_signing_identity


def test_a_wrong_pkcs12_password_is_refused_in_chinese(settings, tmp_path):
    identity.make_identity(tmp_path / "locked", password="正确的密码")
    use(settings, tmp_path / "locked", password="wrong")
    with pytest.raises(ImproperlyConfigured, match=r"电子签章证书文件无法读取.*密码"):
        identity.load_identity()
    use(settings, tmp_path / "locked", password="正确的密码")
    assert identity.load_identity().source == "pkcs12"


def test_a_missing_pkcs12_file_or_trust_file_is_refused_in_chinese(settings, tmp_path):
    use(settings, tmp_path / "nowhere")
    with pytest.raises(ImproperlyConfigured, match="电子签章证书文件无法读取"):
        identity.load_identity()
    identity.make_identity(tmp_path / "ca")
    use(settings, tmp_path / "ca", trust=[tmp_path / "nowhere"])
    with pytest.raises(ImproperlyConfigured, match="信任根证书无法读取"):
        identity.load_identity()


def deploy_findings() -> list:
    """The certificate findings of `check --deploy` (whose checks read the database: the key canary too)."""
    return [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("jxjy.certificates.")]


def test_the_deploy_check_is_an_error_without_a_key_in_production(db, settings):
    settings.JXJY_SIGNING_PKCS12 = settings.JXJY_SIGNING_PKCS11_MODULE = ""
    settings.JXJY_SIGNING_DEV_DIR = ""  # as config.settings.prod has it
    (error,) = deploy_findings()
    assert isinstance(error, Error) and error.id == "jxjy.certificates.E001"
    assert "未配置电子签章证书" in error.msg


def test_the_deploy_check_passes_with_a_key_and_warns_before_it_expires(db, settings, tmp_path):
    identity.make_identity(tmp_path / "good")
    use(settings, tmp_path / "good")
    assert deploy_findings() == []
    identity.make_identity(tmp_path / "soon", days=30)
    use(settings, tmp_path / "soon")
    (warning,) = deploy_findings()
    assert isinstance(warning, Warning) and warning.id == "jxjy.certificates.W001" and "过期" in warning.msg
    identity.make_identity(tmp_path / "gone", days=-1)
    use(settings, tmp_path / "gone")
    assert [m.id for m in deploy_findings()] == ["jxjy.certificates.E002"]


def test_the_deploy_check_is_an_error_when_the_key_does_not_chain_to_the_trust_roots(db, settings, tmp_path):
    identity.make_identity(tmp_path / "key")
    identity.make_identity(tmp_path / "other")
    use(settings, tmp_path / "key", trust=[tmp_path / "other"])
    (error,) = deploy_findings()
    assert error.id == "jxjy.certificates.E003" and "JXJY_SIGNING_TRUST" in error.msg
    use(settings, tmp_path / "key", trust=[tmp_path / "other", tmp_path / "key"])
    assert deploy_findings() == []


def test_the_deploy_check_warns_of_the_throw_away_development_ca(db, settings, tmp_path):
    settings.JXJY_SIGNING_PKCS12 = ""
    settings.JXJY_SIGNING_DEV_DIR = str(tmp_path / "dev")
    assert [m.id for m in deploy_findings()] == ["jxjy.certificates.W002"]
    assert checks.check_signing_identity() == deploy_findings()


def _manage_check_deploy(**env) -> subprocess.CompletedProcess:
    args = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(args, cwd=ROOT, env=prod_env(**env), capture_output=True, text=True, timeout=120)


def test_manage_check_deploy_with_the_production_settings_needs_a_key(tmp_path):
    done = _manage_check_deploy(JXJY_SIGNING_PKCS12="")
    assert done.returncode != 0 and "jxjy.certificates.E001" in done.stderr and "未配置电子签章证书" in done.stderr
    p12 = identity.make_identity(tmp_path / "ci")
    done = _manage_check_deploy(JXJY_SIGNING_PKCS12=str(p12))
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_make_signing_identity_writes_a_usable_identity_and_prints_its_environment(settings, tmp_path, unsigned):
    out = io.StringIO()
    call_command("make_signing_identity", str(tmp_path / "staging"), "--password", "s3cret", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if not line.startswith("#"))
    assert set(lines) == {"JXJY_SIGNING_PKCS12", "JXJY_SIGNING_PKCS12_PASSWORD", "JXJY_SIGNING_TRUST"}
    for name, value in lines.items():
        setattr(settings, name, value)
    signing.reset()
    assert signing.verify(sign(unsigned)).finding == Finding.VALID
    assert (Path(lines["JXJY_SIGNING_PKCS12"]).stat().st_mode & 0o777) == 0o600
    with pytest.raises(CommandError, match="已存在"):
        call_command("make_signing_identity", str(tmp_path / "staging"), stdout=io.StringIO())
