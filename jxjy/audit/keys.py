"""The audit trail's keys, kept outside the database: HMAC-SM3 (国密) keys derived from one master secret.

The master secret is `JXJY_AUDIT_KEY` (an environment setting), or SECRET_KEY when it is unset; each use gets
its own key derived from it (HKDF over SM3, jxjy.core.gm.derive_key), so the chain's key (digest.py) and the
checkpoints' key (checkpoints.py) are never the same. Whoever can write the database but does not hold the
secret can make neither a row, nor a re-hashed chain, nor a checkpoint line that verifies.
"""

import functools

from django.conf import settings

from jxjy.core import gm

CHAIN_INFO = b"jxjy audit chain v1"
CHECKPOINT_INFO = b"jxjy audit checkpoint v1"
KEY_BYTES = 32


def master_secret() -> str:
    return settings.JXJY_AUDIT_KEY or settings.SECRET_KEY


@functools.lru_cache(maxsize=8)
def _derived(master: str, info: bytes) -> bytes:
    return gm.derive_key(master.encode(), info, KEY_BYTES)


def chain_key(master: str | None = None) -> bytes:
    """The key of the rows' hashes (under `master`, an old secret, when given)."""
    return _derived(master if master is not None else master_secret(), CHAIN_INFO)


def checkpoint_key(master: str | None = None) -> bytes:
    """The key of the checkpoint lines' MACs."""
    return _derived(master if master is not None else master_secret(), CHECKPOINT_INFO)
