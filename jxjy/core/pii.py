"""身份证号 and 手机号 at rest: authenticated encryption plus a keyed hash for uniqueness and exact lookups.

One secret, `JXJY_PII_KEY` (32 random bytes, URL-safe base64), kept outside the database and the
repository. Two keys are derived from it: one encrypts (Fernet: AES-128-CBC with HMAC-SHA256, so a
changed ciphertext is refused, not misread), one keys the lookup hash (HMAC-SHA256). Rotation: the
new secret goes in `JXJY_PII_KEY`, the old ones in `JXJY_PII_OLD_KEYS`; values encrypted or hashed
under an old key are still read and found, and `manage.py rotate_pii_key` rewrites them under the new.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What a hash is of: the same number in another column must not give the same hash.
ID_NUMBER = "id_number"
MOBILE = "mobile"
PURPOSES = (ID_NUMBER, MOBILE)


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


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _fernet(secret: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, b"jxjy-pii-encrypt")))


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[MultiFernet, tuple[bytes, ...]]:
    secrets_ = [parse_secret(k) for k in (current, *old)]
    fernets = [_fernet(s) for s in secrets_]
    hash_keys = tuple(_derive(s, b"jxjy-pii-lookup") for s in secrets_)
    return MultiFernet(fernets), hash_keys


def _keys() -> tuple[MultiFernet, tuple[bytes, ...]]:
    current = getattr(settings, "JXJY_PII_KEY", "")
    if not current:
        raise ImproperlyConfigured("未设置 JXJY_PII_KEY：个人信息的加密密钥必须通过环境变量提供。")
    return _keyring(current, tuple(getattr(settings, "JXJY_PII_OLD_KEYS", ())))


def check_key() -> None:
    """Raise ImproperlyConfigured unless the configured keys can be used."""
    _keys()


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("无法解密个人信息：JXJY_PII_KEY 与数据库中的数据不符。") from None


def canonical(purpose: str, value: str) -> str:
    """The form hashed: half-width, no spaces, upper case (an ID's x and X are one number)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def _digest(key: bytes, purpose: str, value: str) -> str:
    message = f"{purpose}:{canonical(purpose, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def lookup_hash(purpose: str, value: str) -> str:
    """The keyed hash stored beside an encrypted value (under the current key)."""
    return _digest(_keys()[1][0], purpose, value)


def lookup_hashes(purpose: str, value: str) -> list[str]:
    """The hashes a stored value may have: under the current key, then under each old key."""
    return [_digest(key, purpose, value) for key in _keys()[1]]


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


# The canary (jxjy/core/checks.py): this text, encrypted, is kept in the database.
CANARY_TEXT = "jxjy-pii-canary"
WRONG_KEY = (
    "JXJY_PII_KEY 与数据库中已加密的数据不符：数据库是用另一个密钥加密的，拒绝启动。"
    "请改回原来的密钥；如确要更换密钥，请把原密钥列入 JXJY_PII_OLD_KEYS，再运行 manage.py rotate_pii_key。"
)


class WrongKeyError(ImproperlyConfigured):
    """The configured keys do not open what the database holds."""


def seal_canary() -> str:
    return encrypt(CANARY_TEXT)


def open_canary(token: str) -> bool:
    """Whether `token` opens under the configured keys; True only when under the current one, False when only
    under an old one (it should be sealed again). WrongKeyError when none opens it."""
    fernet, _ = _keys()
    try:
        opened = fernet.decrypt(token.encode())
    except InvalidToken:
        raise WrongKeyError(WRONG_KEY) from None
    if opened != CANARY_TEXT.encode():
        raise WrongKeyError(WRONG_KEY)
    try:
        _fernet(parse_secret(settings.JXJY_PII_KEY)).decrypt(token.encode())
    except InvalidToken:
        return False
    return True
