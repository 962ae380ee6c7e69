"""国密 for personal data: SM3 and SM4-GCM give the standards' answers; values are sealed as "sm4g1:" tokens
under the current key, read back under old keys and as Fernet tokens of before, refused when changed; lookup
hashes are HMAC-SM3, with the HMAC-SHA256 ones of before tried only while JXJY_PII_LEGACY_LOOKUP is on."""

import base64

import pytest

from jxjy.core import gm, pii

KEY_A = "a" * 43 + "="
KEY_B = "b" * 43 + "="
ID = "650102199001011239"

# RFC 8998, appendix A.1 (SM4-GCM).
RFC8998_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
RFC8998_IV = bytes.fromhex("00001234567800000000ABCD")
RFC8998_AAD = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
RFC8998_PLAIN = bytes.fromhex(
    "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
    "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
)
RFC8998_CIPHER = bytes.fromhex(
    "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
    "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
)
RFC8998_TAG = bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC")


def legacy_token(value: str) -> str:
    """A Fernet token as the platform wrote them before 国密."""
    return pii.keys().legacy.encrypt(value.encode()).decode()


def sealed_bytes(token: str) -> bytes:
    return base64.urlsafe_b64decode(token.removeprefix(pii.SM4_PREFIX))


def token_of(sealed: bytes) -> str:
    return pii.SM4_PREFIX + base64.urlsafe_b64encode(sealed).decode()


def test_sm3_gives_the_standards_digests():
    # GB/T 32905-2016, examples 1 and 2.
    assert gm.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert gm.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_gcm_opens_the_rfc_8998_vector_and_refuses_it_changed():
    sealed = RFC8998_IV + RFC8998_CIPHER + RFC8998_TAG
    assert gm.sm4_gcm_open(RFC8998_KEY, sealed, RFC8998_AAD) == RFC8998_PLAIN
    with pytest.raises(gm.SealError):
        gm.sm4_gcm_open(RFC8998_KEY, sealed, RFC8998_AAD[:-1])  # other associated data
    with pytest.raises(gm.SealError):
        gm.sm4_gcm_open(RFC8998_KEY, sealed[:-1] + bytes([sealed[-1] ^ 1]), RFC8998_AAD)


def test_a_value_is_sealed_with_sm4_gcm_under_the_current_key(settings):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, []
    token = pii.encrypt(ID)
    assert token.startswith("sm4g1:") and ID not in token
    sealed = sealed_bytes(token)
    assert len(sealed) == gm.NONCE_BYTES + len(ID) + gm.TAG_BYTES
    key = gm.derive_key(pii.parse_secret(KEY_A), b"jxjy-pii-sm4-gcm", 16)
    assert gm.sm4_gcm_open(key, sealed, pii.DATA_CONTEXT) == ID.encode()  # nothing but SM4-GCM
    assert pii.decrypt(token) == ID and pii.open_token(token) == (ID, True)
    assert pii.encrypt(ID) != token  # a fresh nonce each time


def test_a_fernet_token_of_before_still_decrypts_but_is_not_current():
    token = legacy_token(ID)
    assert token.startswith(pii.LEGACY_PREFIX) and pii.is_legacy_token(token)
    assert pii.open_token(token) == (ID, False)


def test_a_token_under_an_old_key_decrypts_and_is_not_current(settings):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, []
    token, fernet = pii.encrypt(ID), legacy_token(ID)
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_B, [KEY_A]
    assert pii.open_token(token) == (ID, False) and pii.open_token(fernet) == (ID, False)
    settings.JXJY_PII_OLD_KEYS = []
    for stale in (token, fernet):
        with pytest.raises(pii.UndecryptableError):
            pii.decrypt(stale)


@pytest.mark.parametrize("where", [0, gm.NONCE_BYTES + 3, -1], ids=["nonce", "ciphertext", "tag"])
def test_a_changed_byte_is_refused(where):
    sealed = bytearray(sealed_bytes(pii.encrypt(ID)))
    sealed[where] ^= 0x01
    with pytest.raises(pii.UndecryptableError):
        pii.decrypt(token_of(bytes(sealed)))


@pytest.mark.parametrize(
    "forged",
    ["sm4g1:", "sm4g1:%%%", "sm4g1:" + "A" * 20, "gAAAAAforged", "plain 650102199001011239"],
    ids=["empty", "not base64", "too short", "fernet-like", "plain text"],
)
def test_malformed_tokens_are_refused(forged):
    with pytest.raises(pii.UndecryptableError):
        pii.decrypt(forged)


def test_a_canary_token_is_no_personal_data_and_data_is_no_canary():
    with pytest.raises(pii.UndecryptableError):
        pii.decrypt(pii.seal_canary())
    with pytest.raises(pii.WrongKeyError):
        pii.open_canary(pii.encrypt(pii.CANARY_TEXT))


def test_the_lookup_hash_is_hmac_sm3_under_the_current_key(settings):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, []
    key = gm.derive_key(pii.parse_secret(KEY_A), b"jxjy-pii-lookup-hmac-sm3", 32)
    assert pii.lookup_hash(pii.ID_NUMBER, ID.lower()) == gm.hmac_sm3_hex(key, f"id_number:{ID}".encode())
    assert pii.lookup_hash(pii.ID_NUMBER, ID) not in pii.legacy_lookup_hashes(pii.ID_NUMBER, ID)
    assert pii.lookup_hash(pii.MOBILE, ID) != pii.lookup_hash(pii.ID_NUMBER, ID)


def test_lookups_try_old_keys_then_legacy_hashes_until_switched_off(settings):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, []
    under_a, legacy_a = pii.lookup_hash(pii.MOBILE, "13899110001"), pii.legacy_lookup_hashes(pii.MOBILE, "13899110001")
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_B, [KEY_A]
    settings.JXJY_PII_LEGACY_LOOKUP = True
    found = pii.lookup_hashes(pii.MOBILE, "13899110001")
    assert found[0] == pii.lookup_hash(pii.MOBILE, "13899110001") and found[1] == under_a
    assert legacy_a[0] in found[2:] and len(found) == 4
    settings.JXJY_PII_LEGACY_LOOKUP = False
    assert pii.lookup_hashes(pii.MOBILE, "13899110001") == found[:2]
