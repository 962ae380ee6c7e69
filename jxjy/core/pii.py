"""身份证号 and 手机号 at rest: authenticated encryption plus a keyed hash for uniqueness and exact lookups, with
the national algorithms (国密) that GB/T 39786 expects.

One secret, `JXJY_PII_KEY` (32 random bytes, URL-safe base64), kept outside the database and the
repository. Two keys are derived from it with HKDF-SM3: one encrypts (SM4-GCM, so a changed ciphertext
is refused, not misread; a stored value is "sm4g1:" + base64url(nonce ‖ ciphertext ‖ tag)), one keys the
lookup hash (HMAC-SM3, 64 hex digits).

Before 国密 the values were Fernet tokens (AES-128-CBC + HMAC-SHA256, text starting "gAAAA") with
HMAC-SHA256 lookup hashes, both keyed by HKDF-SHA256 from the same secret. They are still read, and found
while `JXJY_PII_LEGACY_LOOKUP` is on, but never written: `manage.py reencrypt_personal_data` rewrites them.

Rotation: the new secret goes in `JXJY_PII_KEY`, the old ones in `JXJY_PII_OLD_KEYS`; values encrypted or
hashed under an old key are still read and found, and `manage.py reencrypt_personal_data` rewrites them
under the new.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from . import gm

# What a hash is of: the same number in another column must not give the same hash.
ID_NUMBER = "id_number"
MOBILE = "mobile"
PURPOSES = (ID_NUMBER, MOBILE)

SM4_PREFIX = "sm4g1:"  # SM4-GCM, format 1
LEGACY_PREFIX = "gAAAA"  # every Fernet token starts so (version byte 0x80, then a 64-bit time stamp)
# Authenticated with each value, not stored: a token of the canary, or of another format, is no personal data.
DATA_CONTEXT = b"jxjy-pii:sm4g1"
CANARY_CONTEXT = b"jxjy-pii-canary:sm4g1"


class UndecryptableError(ImproperlyConfigured):
    """A stored value could not be decrypted with any configured key."""


def generate_key() -> str:
    """A new secret for JXJY_PII_KEY."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_secret(text: str) -> bytes:
    """The 32 bytes of a JXJY_PII_KEY, or ImproperlyConfigured."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "JXJY_PII_KEY 应为 32 字节随机数的 URL 安全 Base64 编码（manage.py generate_pii_key）。"
        )
    return raw


@dataclass(frozen=True)
class Keyring:
    """The keys of the current secret first, then of each old one."""

    sm4: tuple[bytes, ...]  # SM4-GCM encryption keys
    lookup: tuple[bytes, ...]  # HMAC-SM3 lookup-hash keys
    legacy: MultiFernet  # reads the Fernet tokens written before 国密
    legacy_lookup: tuple[bytes, ...]  # their HMAC-SHA256 lookup-hash keys


def _legacy_derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _legacy_fernet(secret: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_legacy_derive(secret, b"jxjy-pii-encrypt")))


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> Keyring:
    secrets_ = [parse_secret(k) for k in (current, *old)]
    return Keyring(
        sm4=tuple(gm.derive_key(s, b"jxjy-pii-sm4-gcm", gm.SM4_KEY_BYTES) for s in secrets_),
        lookup=tuple(gm.derive_key(s, b"jxjy-pii-lookup-hmac-sm3", 32) for s in secrets_),
        legacy=MultiFernet([_legacy_fernet(s) for s in secrets_]),
        legacy_lookup=tuple(_legacy_derive(s, b"jxjy-pii-lookup") for s in secrets_),
    )


def keys() -> Keyring:
    current = getattr(settings, "JXJY_PII_KEY", "")
    if not current:
        raise ImproperlyConfigured("未设置 JXJY_PII_KEY：个人信息的加密密钥必须通过环境变量提供。")
    return _keyring(current, tuple(getattr(settings, "JXJY_PII_OLD_KEYS", ())))


def check_key() -> None:
    """Raise ImproperlyConfigured unless the configured keys can be used."""
    keys()


# ---- encryption ----

UNDECRYPTABLE = gettext_lazy("无法解密个人信息：JXJY_PII_KEY 与数据库中的数据不符。")


def _seal(plaintext: bytes, context: bytes) -> str:
    sealed = gm.sm4_gcm_seal(keys().sm4[0], plaintext, context)
    return SM4_PREFIX + base64.urlsafe_b64encode(sealed).decode()


def _open_sm4(token: str, context: bytes) -> tuple[bytes, int]:
    """The plaintext and the index of the key that opened it (0: the current one)."""
    try:
        sealed = base64.urlsafe_b64decode(token[len(SM4_PREFIX) :].encode())
    except (binascii.Error, ValueError):
        raise UndecryptableError(UNDECRYPTABLE) from None
    for index, key in enumerate(keys().sm4):
        try:
            return gm.sm4_gcm_open(key, sealed, context), index
        except gm.SealError:
            continue
    raise UndecryptableError(UNDECRYPTABLE)


def _open_legacy(token: str) -> bytes:
    try:
        return keys().legacy.decrypt(token.encode())
    except InvalidToken:
        raise UndecryptableError(UNDECRYPTABLE) from None


def is_legacy_token(token: str) -> bool:
    """A value written before 国密 (a Fernet token)."""
    return not token.startswith(SM4_PREFIX)


def encrypt(value: str) -> str:
    """SM4-GCM under the current key: a new nonce, so a new ciphertext, at each call."""
    return _seal(value.encode(), DATA_CONTEXT)


def open_token(token: str) -> tuple[str, bool]:
    """The plain value and whether the token is as `encrypt` writes it now (SM4 under the current key);
    Fernet tokens and tokens under an old key are read too. UndecryptableError when no key opens it."""
    if is_legacy_token(token):
        return _open_legacy(token).decode(), False
    plaintext, index = _open_sm4(token, DATA_CONTEXT)
    return plaintext.decode(), index == 0


def decrypt(token: str) -> str:
    return open_token(token)[0]


# ---- lookup hashes ----


def canonical(purpose: str, value: str) -> str:
    """The form hashed: half-width, no spaces, upper case (an ID's x and X are one number)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def _message(purpose: str, value: str) -> bytes:
    return f"{purpose}:{canonical(purpose, value)}".encode()


def lookup_hash(purpose: str, value: str) -> str:
    """The keyed hash stored beside an encrypted value: HMAC-SM3 under the current key."""
    return gm.hmac_sm3_hex(keys().lookup[0], _message(purpose, value))


def legacy_lookup_enabled() -> bool:
    """Whether lookups also try the HMAC-SHA256 hashes of before 国密: on until the re-encryption is done."""
    return bool(getattr(settings, "JXJY_PII_LEGACY_LOOKUP", True))


def legacy_lookup_hashes(purpose: str, value: str) -> list[str]:
    """The HMAC-SHA256 hashes of before 国密, under the current key and then each old one."""
    message = _message(purpose, value)
    return [hmac.new(key, message, hashlib.sha256).hexdigest() for key in keys().legacy_lookup]


def lookup_hashes(purpose: str, value: str) -> list[str]:
    """The hashes a stored value may have: under the current key, then under each old key; then, while
    JXJY_PII_LEGACY_LOOKUP is on, the HMAC-SHA256 ones of rows not yet re-encrypted."""
    message = _message(purpose, value)
    found = [gm.hmac_sm3_hex(key, message) for key in keys().lookup]
    return (found + legacy_lookup_hashes(purpose, value)) if legacy_lookup_enabled() else found


def id_number_hash(value: str) -> str:
    return lookup_hash(ID_NUMBER, value)


def mobile_hash(value: str) -> str:
    return lookup_hash(MOBILE, value)


def pii_columns(*, id_number: str | None = None, mobile: str | None = None) -> dict[str, str]:
    """The hash columns for these values, for writes that bypass Model.save: raw SQL, or
    `Learner.objects.filter(...).update(mobile=m, **pii_columns(mobile=m))` on a plain manager."""
    columns = {}
    if id_number is not None:
        columns["id_number_hash"] = id_number_hash(id_number)
    if mobile is not None:
        columns["mobile_hash"] = mobile_hash(mobile)
    return columns


# ---- the key canary (jxjy/core/checks.py): this text, encrypted, is kept in the database ----

CANARY_TEXT = "jxjy-pii-canary"
WRONG_KEY = gettext_lazy(
    "JXJY_PII_KEY 与数据库中已加密的数据不符：数据库是用另一个密钥加密的，拒绝启动。"
    "请改回原来的密钥；如确要更换密钥，请把原密钥列入 JXJY_PII_OLD_KEYS，再运行 manage.py reencrypt_personal_data。"
)


class WrongKeyError(ImproperlyConfigured):
    """The configured keys do not open what the database holds."""


def seal_canary() -> str:
    return _seal(CANARY_TEXT.encode(), CANARY_CONTEXT)


def open_canary(token: str) -> bool:
    """Whether `token` opens under the configured keys; True only when sealed as now (SM4 under the current
    key), False when under an old key or as a Fernet token of before 国密 (it should be sealed again).
    WrongKeyError when none opens it."""
    try:
        if is_legacy_token(token):
            opened, current = _open_legacy(token), False
        else:
            opened, index = _open_sm4(token, CANARY_CONTEXT)
            current = index == 0
    except UndecryptableError:
        raise WrongKeyError(WRONG_KEY) from None
    if opened != CANARY_TEXT.encode():
        raise WrongKeyError(WRONG_KEY)
    return current
