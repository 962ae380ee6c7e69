"""The platform's signing identity: its key and certificate, the roots a file must chain to, the TSA.

Configured from the environment (README: 电子签章):

* `JXJY_SIGNING_PKCS12` (+ `JXJY_SIGNING_PKCS12_PASSWORD`): a PKCS#12 file with the key, the signing
  certificate and its chain;
* or `JXJY_SIGNING_PKCS11_MODULE`, `_TOKEN`, `_KEY` (+ `_CERT`, `_PIN`): a key in an HSM, through pyHanko's
  PKCS#11 signer (python-pkcs11);
* `JXJY_SIGNING_TRUST`: the CA certificates (PEM or DER files, separated by commas) that files signed by
  the platform chain to — keep the old CA here after a rotation, so that earlier files still verify; by
  default the root of the configured chain;
* `JXJY_TSA_URL`: an RFC 3161 timestamp authority; signatures are then PAdES B-T instead of B-B.

Without any of them, outside production, a throw-away CA and signing certificate are made once in
`JXJY_SIGNING_DEV_DIR` (development and the tests): `make_identity` is also the `make_signing_identity`
command, for a staging machine.
"""

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers, timestamps

from jxjy.core import clock

PLATFORM = "新疆维吾尔自治区专业技术人员管理平台"
SIGNER_NAME = "继续教育系统电子签章"
P12_NAME = "signing.p12"
CA_NAME = "ca.pem"


@dataclass(frozen=True)
class Identity:
    signer: signers.Signer
    trust_roots: list[asn1_x509.Certificate]
    timestamper: timestamps.TimeStamper | None


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _read_certificates(paths: str) -> list[asn1_x509.Certificate]:
    certs = []
    for path in filter(None, (p.strip() for p in paths.split(","))):
        data = Path(path).read_bytes()
        pem = b"-----BEGIN" in data
        loaded = x509.load_pem_x509_certificates(data) if pem else [x509.load_der_x509_certificate(data)]
        certs += [_asn1(c) for c in loaded]
    return certs


def _from_pkcs12(path: str, password: str) -> tuple[signers.Signer, list[asn1_x509.Certificate]]:
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(), password.encode() or None)
    except (OSError, ValueError) as e:
        message = f"电子签章证书文件无法读取：{path}（{e}）。请检查 JXJY_SIGNING_PKCS12 及其密码。"
        raise ImproperlyConfigured(message) from e
    if key is None or cert is None:
        raise ImproperlyConfigured(f"电子签章证书文件 {path} 中没有私钥或签名证书。")
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    if signer is None:
        raise ImproperlyConfigured(f"电子签章证书文件无法读取：{path}。")
    everyone = [cert, *chain]
    roots = [c for c in everyone if c.issuer == c.subject] or [everyone[-1]]
    return signer, [_asn1(c) for c in roots]


def _from_pkcs11() -> signers.Signer:
    from pyhanko.sign import pkcs11  # needs python-pkcs11, loaded only for an HSM

    session = pkcs11.open_pkcs11_session(
        settings.JXJY_SIGNING_PKCS11_MODULE,
        token_label=settings.JXJY_SIGNING_PKCS11_TOKEN or None,
        user_pin=settings.JXJY_SIGNING_PKCS11_PIN or None,
    )
    return pkcs11.PKCS11Signer(
        session,
        key_label=settings.JXJY_SIGNING_PKCS11_KEY,
        cert_label=settings.JXJY_SIGNING_PKCS11_CERT or settings.JXJY_SIGNING_PKCS11_KEY,
    )


@functools.cache
def load_identity() -> Identity:
    tsa = settings.JXJY_TSA_URL
    timestamper = timestamps.HTTPTimeStamper(tsa, timeout=10) if tsa else None
    if settings.JXJY_SIGNING_PKCS11_MODULE:
        signer, roots = _from_pkcs11(), []
    elif settings.JXJY_SIGNING_PKCS12:
        signer, roots = _from_pkcs12(settings.JXJY_SIGNING_PKCS12, settings.JXJY_SIGNING_PKCS12_PASSWORD)
    elif settings.JXJY_SIGNING_DEV_DIR:
        directory = Path(settings.JXJY_SIGNING_DEV_DIR)
        if not (directory / P12_NAME).exists():
            make_identity(directory)
        signer, roots = _from_pkcs12(str(directory / P12_NAME), "")
    else:
        raise ImproperlyConfigured("未配置电子签章证书：请设置 JXJY_SIGNING_PKCS12 或 JXJY_SIGNING_PKCS11_MODULE。")
    if settings.JXJY_SIGNING_TRUST:
        roots = _read_certificates(settings.JXJY_SIGNING_TRUST)
    if not roots:
        raise ImproperlyConfigured("未配置电子签章的信任根证书：请设置 JXJY_SIGNING_TRUST。")
    return Identity(signer=signer, trust_roots=roots, timestamper=timestamper)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, PLATFORM),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_identity(directory: Path, *, password: str = "", years: int = 10) -> Path:
    """A throw-away CA and a signing certificate it issued, as `directory`/signing.p12 and ca.pem."""
    directory.mkdir(parents=True, exist_ok=True)
    now = clock.now()
    start, end = now - datetime.timedelta(days=3650), now + datetime.timedelta(days=365 * years)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("继续教育系统测试根证书")
    ca = (
        x509.CertificateBuilder(subject_name=ca_name, issuer_name=ca_name, public_key=ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder(subject_name=_name(SIGNER_NAME), issuer_name=ca_name, public_key=key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    p12 = pkcs12.serialize_key_and_certificates(SIGNER_NAME.encode(), key, leaf, [ca], encryption)
    (directory / P12_NAME).write_bytes(p12)
    (directory / CA_NAME).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (directory / P12_NAME).chmod(0o600)
    return directory / P12_NAME
