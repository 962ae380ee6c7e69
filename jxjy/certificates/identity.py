"""The platform's signing identity: its key and certificate, the roots a file must chain to, the TSA.

Configured from the environment (README: 电子签章):

* `JXJY_SIGNING_PKCS12` (+ `JXJY_SIGNING_PKCS12_PASSWORD`): a PKCS#12 file with the key, the signing
  certificate and its chain;
* or `JXJY_SIGNING_PKCS11_MODULE`, `_TOKEN`, `_KEY` (+ `_CERT`, `_PIN`): a key in an HSM, through pyHanko's
  PKCS#11 signer (python-pkcs11);
* `JXJY_SIGNING_TRUST`: the CA certificates (PEM or DER files, separated by commas) that files signed by
  the platform chain to — keep the old CA here after a rotation, so that earlier files still verify; by
  default the root of the PKCS#12 chain, or the self-issued CA certificates on the token;
* `JXJY_TSA_URL`: an RFC 3161 timestamp authority (`_timestamper`); signatures are then PAdES B-T
  instead of B-B.

A key, file or token that cannot be used is ImproperlyConfigured with a message in Chinese, which the
deploy check (checks.py) reports.

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
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pyhanko.sign import signers, timestamps

from jxjy.core import clock

PLATFORM = gettext_noop("新疆维吾尔自治区专业技术人员管理平台")  # the seal's certificate: a record
SIGNER_NAME = gettext_noop("继续教育系统电子签章")
P12_NAME = "signing.p12"
CA_NAME = "ca.pem"


@dataclass(frozen=True)
class Identity:
    signer: signers.Signer
    trust_roots: list[asn1_x509.Certificate]
    timestamper: timestamps.TimeStamper | None
    source: str = ""  # where the key is: "pkcs12", "pkcs11" or "dev" (the throw-away CA)

    @property
    def certificate(self) -> asn1_x509.Certificate:
        """The signing certificate (from the token, for PKCS#11)."""
        return self.signer.signing_cert


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _read_certificates(paths: str) -> list[asn1_x509.Certificate]:
    certs = []
    for path in filter(None, (p.strip() for p in paths.split(","))):
        try:
            data = Path(path).read_bytes()
            pem = b"-----BEGIN" in data
            loaded = x509.load_pem_x509_certificates(data) if pem else [x509.load_der_x509_certificate(data)]
        except (OSError, ValueError) as e:
            raise ImproperlyConfigured(
                f"电子签章的信任根证书无法读取：{path}（{e}）。请检查 JXJY_SIGNING_TRUST。"
            ) from e
        certs += [_asn1(c) for c in loaded]
    return certs


def _from_pkcs12(path: str, password: str) -> tuple[signers.Signer, list[asn1_x509.Certificate]]:
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(), password.encode() or None)
    except (OSError, ValueError) as e:
        message = _("电子签章证书文件无法读取：%(path)s（%(e)s）。请检查 JXJY_SIGNING_PKCS12 及其密码。") % {
            "path": path,
            "e": e,
        }
        raise ImproperlyConfigured(message) from e
    if key is None or cert is None:
        raise ImproperlyConfigured(f"电子签章证书文件 {path} 中没有私钥或签名证书。")
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    if signer is None:
        raise ImproperlyConfigured(f"电子签章证书文件无法读取：{path}。")
    everyone = [cert, *chain]
    roots = [c for c in everyone if c.issuer == c.subject] or [everyone[-1]]
    return signer, [_asn1(c) for c in roots]


def _from_pkcs11() -> tuple[signers.Signer, list[asn1_x509.Certificate]]:
    """The key `JXJY_SIGNING_PKCS11_KEY` on the token `_TOKEN` of the module `_MODULE`, and the CA
    certificates (self-signed) the token holds as the default trust roots."""
    module = settings.JXJY_SIGNING_PKCS11_MODULE
    try:
        from pkcs11.exceptions import UserAlreadyLoggedIn
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11  # needs python-pkcs11, loaded only for an HSM
    except ImportError as e:
        raise ImproperlyConfigured(f"使用 PKCS#11 签章设备需要安装 python-pkcs11（{e}）。") from e
    if not settings.JXJY_SIGNING_PKCS11_KEY:
        raise ImproperlyConfigured("请设置 JXJY_SIGNING_PKCS11_KEY：签章设备中私钥的标签。")
    label = settings.JXJY_SIGNING_PKCS11_TOKEN
    criteria = TokenCriteria(label=label) if label else None
    try:
        signer = _pkcs11_signer(pkcs11, UserAlreadyLoggedIn, module, criteria)
        certificate = signer.signing_cert  # finds the key and the certificates now, not at the first signature
        tokens_certs = list(signer.cert_registry)
    except Exception as e:  # python-pkcs11 raises its own error classes (wrong PIN, no such token or label)
        detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        message = _(
            "无法使用 PKCS#11 签章设备（模块 %(module)s，令牌 %(token)s，密钥 %(jxjy_signing_pkcs11_key)s）：%(detail)s"
            "。请检查 JXJY_SIGNING_PKCS11_MODULE、_TOKEN、_KEY、_CERT 与 _PIN。"
        ) % {
            "module": module,
            "token": label or _("第一个"),
            "jxjy_signing_pkcs11_key": settings.JXJY_SIGNING_PKCS11_KEY,
            "detail": detail,
        }
        raise ImproperlyConfigured(message) from e
    roots = [c for c in tokens_certs if c.self_issued and c.dump() != certificate.dump()]
    return signer, roots


def _pkcs11_signer(pkcs11, already_logged_in: type[Exception], module: str, criteria) -> signers.Signer:
    """A session on the token, logged in with `_PIN`, and the signer of the key `_KEY` (certificate `_CERT`).

    `pkcs11` is pyHanko's PKCS#11 module and `already_logged_in` python-pkcs11's UserAlreadyLoggedIn: both are
    imported by _from_pkcs11, only when an HSM is configured."""
    try:
        session = pkcs11.open_pkcs11_session(
            module, token_criteria=criteria, user_pin=settings.JXJY_SIGNING_PKCS11_PIN or None
        )
    except already_logged_in:
        # A login is the process's, not the session's: the session of an identity loaded before (then
        # forgotten by signing.reset) still holds it, and a new session shares it.
        session = pkcs11.open_pkcs11_session(module, token_criteria=criteria)
    return pkcs11.PKCS11Signer(
        session,
        key_label=settings.JXJY_SIGNING_PKCS11_KEY,
        cert_label=settings.JXJY_SIGNING_PKCS11_CERT or settings.JXJY_SIGNING_PKCS11_KEY,
        other_certs_to_pull=None,  # every certificate on the token: the chain to embed, the roots to trust
        # The digest is computed here and the token signs it (CKM_ECDSA, CKM_RSA_PKCS): every HSM has
        # these, while the hashing ones (CKM_ECDSA_SHA256) are missing from many, SoftHSM2 among them.
        use_raw_mechanism=True,
    )


def _timestamper(url: str) -> timestamps.TimeStamper:
    """The RFC 3161 client for `JXJY_TSA_URL` (the tests put pyHanko's DummyTimeStamper here)."""
    return timestamps.HTTPTimeStamper(url, timeout=10)


@functools.cache
def load_identity() -> Identity:
    tsa = settings.JXJY_TSA_URL
    timestamper = _timestamper(tsa) if tsa else None
    if settings.JXJY_SIGNING_PKCS11_MODULE:
        (signer, roots), source = _from_pkcs11(), "pkcs11"
    elif settings.JXJY_SIGNING_PKCS12:
        signer, roots = _from_pkcs12(settings.JXJY_SIGNING_PKCS12, settings.JXJY_SIGNING_PKCS12_PASSWORD)
        source = "pkcs12"
    elif settings.JXJY_SIGNING_DEV_DIR:
        directory = Path(settings.JXJY_SIGNING_DEV_DIR)
        if not (directory / P12_NAME).exists():
            make_identity(directory)
        signer, roots = _from_pkcs12(str(directory / P12_NAME), "")
        source = "dev"
    else:
        raise ImproperlyConfigured("未配置电子签章证书：请设置 JXJY_SIGNING_PKCS12 或 JXJY_SIGNING_PKCS11_MODULE。")
    if settings.JXJY_SIGNING_TRUST:
        roots = _read_certificates(settings.JXJY_SIGNING_TRUST)
    if not roots:
        raise ImproperlyConfigured("未配置电子签章的信任根证书：请设置 JXJY_SIGNING_TRUST。")
    return Identity(signer=signer, trust_roots=roots, timestamper=timestamper, source=source)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, PLATFORM),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key(key_type: str):
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"unknown key type {key_type!r} (ec or rsa)")


def make_identity(
    directory: Path, *, password: str = "", years: int = 10, days: int | None = None, key_type: str = "ec"
) -> Path:
    """A throw-away CA and a signing certificate it issued, as `directory`/signing.p12 and ca.pem.

    The certificates are valid for `years` (or `days`, when given) from now; `key_type` is "ec" (P-256)
    or "rsa" (2048 bits) for both keys."""
    directory.mkdir(parents=True, exist_ok=True)
    now = clock.now()
    validity = datetime.timedelta(days=days if days is not None else 365 * years)
    start, end = now - datetime.timedelta(days=3650), now + validity
    ca_key, key = _new_key(key_type), _new_key(key_type)
    ca_name = _name(_("继续教育系统测试根证书"))
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
