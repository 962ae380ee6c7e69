"""What a row's hash is: HMAC-SM3, under the chain key (keys.py), of the previous row's hash and the row's
chained fields as canonical JSON. `legacy_digest` is the unkeyed SHA-256 of before, read only to re-chain
(rechain.py)."""

import datetime as dt
import hashlib
import json

from jxjy.core import gm

from .keys import chain_key

GENESIS = "0" * 64
# What a row's hash covers, in this order.
CHAINED_FIELDS = (
    "seq", "created_at", "actor_id", "organisation_id", "action", "outcome", "object_type", "object_id",
    "state_before", "state_after", "opinion", "ip", "detail",
)  # fmt: skip


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


def content(prev_hash: str, values: dict) -> bytes:
    """The previous hash and the chained fields as canonical JSON: what the row's hash covers."""
    fields = {name: _canonical(values[name]) for name in CHAINED_FIELDS}
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return f"{prev_hash}\n{text}".encode()


def entry_digest(prev_hash: str, values: dict) -> str:
    """HMAC-SM3 of the previous hash and the row's content under the chain key, as 64 hex digits."""
    return gm.hmac_sm3_hex(chain_key(), content(prev_hash, values))


def legacy_digest(prev_hash: str, values: dict) -> str:
    """The unkeyed SHA-256 the chain used before it was keyed."""
    return hashlib.sha256(content(prev_hash, values)).hexdigest()


def row_values(entry) -> dict:
    return {name: getattr(entry, name) for name in CHAINED_FIELDS}
