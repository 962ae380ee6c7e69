"""The platform's electronic seal: PAdES signatures on certificates and 学时证明, and their verification.

Every PDF the platform issues is signed with pyHanko as PAdES baseline B-B (B-T when a timestamp
authority is configured). The signing key comes from the environment (`identity.load_identity`); the
visible seal is drawn by `seal.py`. `verify` tells whether an uploaded file is one of ours, unmodified.

pyHanko assembles every CMS object through asn1crypto, whose re-encoding of a freshly built structure
costs about 9 ms; issuing certificates by the thousand cannot afford that. `_TemplateSigner` asks pyHanko
once for the CMS of a B-B signature over a sentinel digest and, for each document, puts the real digest
in place of the sentinel and the new signature in place of the old, re-emitting only the lengths of the
enclosing DER elements. The result is what pyHanko would have produced (the tests compare them byte for
byte with an RSA key, whose signatures are deterministic).
"""

import asyncio
import concurrent.futures
import functools
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ParamSpec, TypeVar

from asn1crypto import cms, parser
from django.utils.translation import gettext_noop
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import identity, seal

FIELD = gettext_noop("电子签章")  # a signed file's metadata is a record: in Chinese
BYTES_RESERVED = 16384  # room for the CMS: the certificate chain and, with B-T, a timestamp token
DIGEST = "sha256"


class _TemplateSigner:
    """A pyHanko signer whose B-B CMS objects are stamped from one template (see the module's docstring).

    Everything else — B-T signatures with a timestamp, the size estimate, other settings — goes to the
    wrapped signer unchanged.
    """

    def __init__(self, inner: signers.Signer):
        self._inner = inner
        self._template: _CmsTemplate | None = None

    def __getattr__(self, name):
        return getattr(self._inner, name)

    async def async_sign(self, data_digest, digest_algorithm, dry_run=False, use_pades=False, timestamper=None, **kw):
        plain = use_pades and timestamper is None and not dry_run and digest_algorithm == DIGEST
        if not plain or kw.get("encap_content_info") is not None or not kw.get("is_pdf_sig", True):
            return await self._inner.async_sign(data_digest, digest_algorithm, dry_run, use_pades, timestamper, **kw)
        if self._template is None:
            sentinel = secrets.token_bytes(32)
            reference = await self._inner.async_sign(sentinel, DIGEST, use_pades=True, **kw)
            self._template = _CmsTemplate(reference.dump(), sentinel)
        to_sign = self._template.signed_attributes(data_digest)
        signature = await self._inner.async_sign_raw(to_sign, DIGEST)
        return self._template.cms(data_digest, signature)


class _CmsTemplate:
    """The DER of a reference CMS object, cut open at the signature value.

    `frames` are the enclosing elements from the outermost in: each one's (class, method, tag) and the
    content bytes before and after the element on the path to the signature.
    """

    def __init__(self, der: bytes, sentinel: bytes):
        info = cms.ContentInfo.load(der)
        signer_info = info["content"]["signer_infos"][0]
        self.attributes = signer_info["signed_attrs"].untag().dump()
        old_signature = parser.emit(0, 0, 4, signer_info["signature"].native)
        if der.count(sentinel) != 1 or self.attributes.count(sentinel) != 1 or der.count(old_signature) != 1:
            raise SigningError("CMS template: the sentinel digest or the signature is not unique")
        self.sentinel = sentinel
        self.frames = _frames(der, der.index(old_signature), len(old_signature))

    def signed_attributes(self, digest: bytes) -> bytes:
        return self.attributes.replace(self.sentinel, digest)

    def cms(self, digest: bytes, signature: bytes) -> bytes:
        element = parser.emit(0, 0, 4, signature)
        for class_, method, tag, before, after in reversed(self.frames):
            element = parser.emit(class_, method, tag, before.replace(self.sentinel, digest) + element + after)
        return element


def _frames(der: bytes, start: int, length: int) -> list[tuple[int, int, int, bytes, bytes]]:
    """The elements of `der` enclosing the element at [start, start + length), outermost first."""
    frames = []
    pointer = 0
    while pointer != start:
        (class_, method, tag, header, contents, _), _ = parser._parse(der, len(der), pointer)
        content_start = pointer + len(header)
        child = content_start
        while True:  # find the child element that holds `start`
            _, child_end = parser._parse(der, content_start + len(contents), child)
            if child <= start < child_end:
                break
            child = child_end
        frames.append((class_, method, tag, der[content_start:child], der[child_end : content_start + len(contents)]))
        pointer = child
    if der[start : start + length] != der[pointer : pointer + length]:
        raise SigningError("CMS template: the signature is not an element of its own")
    return frames


@functools.cache
def _signer() -> _TemplateSigner:
    return _TemplateSigner(identity.load_identity().signer)


def reset() -> None:
    """Forget the loaded identity (after the environment changed: tests, key rotation)."""
    _signer.cache_clear()
    _validation_context.cache_clear()
    identity.load_identity.cache_clear()


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _outside_event_loop(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """pyHanko runs its coroutines with asyncio.run, which refuses to start inside a running event loop
    (an async caller, a test driving a browser in the same thread): there, run in a thread of its own."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper


@_outside_event_loop
def sign(
    pdf: bytes,
    *,
    box: tuple[float, float, float, float],
    organisation: str,
    reason: str,
    purpose: str = gettext_noop("电子证书专用章"),
) -> bytes:
    """`pdf` signed with the platform's key, the round seal of `organisation` drawn in `box` on the last page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=gettext_noop("新疆维吾尔自治区"),
        name=organisation,
    )
    timestamper = identity.load_identity().timestamper  # B-T when a timestamp authority is configured
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(
        meta,
        signer=_signer(),
        timestamper=timestamper,
        stamp_style=seal.stamp_style(organisation, purpose),
        new_field_spec=fields.SigFieldSpec(FIELD, on_page=-1, box=box),
    )
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=BYTES_RESERVED)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Verification


class Finding:
    """What an uploaded file turned out to be (the 证书查验 page words each one)."""

    VALID = "valid"  # signed by the platform, not changed since
    MODIFIED = "modified"  # signed by the platform, but the content was changed afterwards
    FOREIGN = "foreign"  # signed by someone else, or not signed at all
    UNREADABLE = "unreadable"  # not a PDF we can read


@dataclass(frozen=True)
class Verdict:
    finding: str
    signed_at: datetime | None = None
    signer: str = ""
    keywords: str = ""  # the document's identity as the platform wrote it (see `document_keywords`)

    @property
    def valid(self) -> bool:
        return self.finding == Finding.VALID


def document_keywords(kind: str, key: str) -> str:
    """What the platform writes into a PDF's Keywords, to find the document again when it is uploaded."""
    return f"jxjy:{kind}:{key}"


@functools.cache
def _validation_context() -> ValidationContext:
    ident = identity.load_identity()
    # No fetching: the platform's own chain is all that is trusted, and nothing is looked up online.
    return ValidationContext(trust_roots=ident.trust_roots, allow_fetching=False, revocation_mode="soft-fail")


@_outside_event_loop
def verify(data: bytes) -> Verdict:
    """Whether `data` is a PDF the platform signed, and whether it is unchanged since."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
        keywords = str(reader.trailer_view["/Info"].get("/Keywords", "")) if "/Info" in reader.trailer_view else ""
    except Exception:  # any file a visitor uploads: whatever breaks the parser, it is not ours
        return Verdict(Finding.UNREADABLE)
    ours = [s for s in signatures if s.field_name == FIELD]
    if not ours:
        return Verdict(Finding.FOREIGN)
    embedded = ours[0]
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=_validation_context())
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return Verdict(Finding.MODIFIED)
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    # Who signed first (pyHanko's `trusted` also needs the content intact): a chain to our roots.
    if status.validation_path is None or status.trust_problem_indic is not None:
        return Verdict(Finding.FOREIGN, signer=signer)
    signed_at = status.signer_reported_dt
    unchanged = status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    finding = Finding.VALID if unchanged else Finding.MODIFIED
    return Verdict(finding, signed_at=signed_at, signer=signer, keywords=keywords if unchanged else "")
