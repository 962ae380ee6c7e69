"""The national algorithms (国密) the platform uses, through the `cryptography` package: SM4 in GCM mode
(GB/T 32907, authenticated encryption), SM3 (GB/T 32905) as a hash, as HMAC and as the HKDF that derives keys.

Only primitives here; what is encrypted or hashed, and under which key, is decided by the callers
(jxjy/core/pii.py for personal data). `sm3_hex` and `hmac_sm3_hex` are for any other digest the platform
keeps, such as the audit trail's hash chain.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SM4_KEY_BYTES = 16
NONCE_BYTES = 12  # GCM's 96-bit nonce, random for each encryption
TAG_BYTES = 16


class SealError(ValueError):
    """A sealed value was changed, is cut short, or was sealed under another key or another context."""


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of `data`, as 64 hex digits."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    """HMAC-SM3 of `data` under `key`, as 64 hex digits."""
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def derive_key(secret: bytes, info: bytes, length: int) -> bytes:
    """A key for one purpose (`info`) from a master secret: HKDF over SM3."""
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=info).derive(secret)


def sm4_gcm_seal(key: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    """nonce ‖ ciphertext ‖ tag: SM4-GCM with a fresh random nonce; `associated_data` is authenticated, not stored."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_open(key: bytes, sealed: bytes, associated_data: bytes) -> bytes:
    """The plaintext of `sm4_gcm_seal`'s output, or SealError when anything about it does not check out."""
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise SealError("too short")
    nonce, ciphertext, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise SealError("authentication failed") from None
