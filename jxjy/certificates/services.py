"""Issuing and revoking certificates. Issuing is idempotent: the same source never makes a second."""

import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from jxjy.accounts.models import Learner, Organisation, Role, User
from jxjy.core import audit
from jxjy.core.errors import DomainError
from jxjy.hours.models import Credit

from .models import KIND_CODES, Certificate, CertificateKind, CertificateSequence, CertificateStatus


def next_number(year: int, kind: str) -> str:
    """2026-ZY-000001: the (year, kind) counter is incremented under a row lock."""
    seq, _ = CertificateSequence.objects.select_for_update().get_or_create(year=year, kind=kind)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{year}-{KIND_CODES[kind]}-{seq.last:06d}"


def new_code() -> str:
    """An unguessable verification code (about 96 random bits), shown in the QR code's link."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def issue(
    *,
    source_key: str,
    learner: Learner,
    kind: str,
    year: int,
    hours: Decimal,
    class_name: str,
    base: Organisation | None,
    base_name: str,
    scope: str,
    issuer: Organisation,
    source_label: str,
    registration=None,
) -> Certificate:
    """Issue one certificate and its ledger line, or return the one already issued for `source_key`."""
    existing = Certificate.objects.filter(source_key=source_key).first()
    if existing:
        return existing
    today = timezone.localdate()
    cert = Certificate(
        number=next_number(year, kind), code=new_code(), kind=kind, source_key=source_key, learner=learner,
        registration=registration, base=base, issuer=issuer, holder_name=learner.name,
        holder_id_number=learner.id_number, class_name=class_name[:100], base_name=base_name[:100],
        scope=scope[:200], hours=hours, year=year, issued_on=today, issuer_name=issuer.name,
    )  # fmt: skip
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        # Another process issued it for the same source a moment ago.
        return Certificate.objects.get(source_key=source_key)
    Credit.objects.create(
        learner=learner, year=year, hours=hours, title=class_name[:100], source=source_label, certificate=cert,
        subject_kind="public" if kind == CertificateKind.PUBLIC else "professional", credited_on=today,
    )  # fmt: skip
    return cert


def issue_for_completion(completion) -> list[Certificate]:
    """On approval of a 培训后备案: a certificate for every learner marked 合格."""
    from jxjy.filings.workflow import hr_reviewer

    c = completion.training_class
    filing = c.pre_filing
    kind = CertificateKind.PUBLIC if filing.subject_kind == "public" else CertificateKind.PROFESSIONAL
    issuer = hr_reviewer(filing)
    certs = []
    for score in completion.scores.filter(passed=True).select_related(
        "registration__learner", "registration__specialty__series", "registration__level"
    ):
        reg = score.registration
        certs.append(
            issue(
                source_key=f"completion:{completion.pk}:registration:{reg.pk}",
                learner=reg.learner,
                kind=kind,
                year=reg.year,
                hours=completion.actual_hours or filing.total_hours,
                class_name=filing.class_name,
                base=c.base,
                base_name=c.base.name,
                scope=f"{reg.specialty.series.name} {reg.specialty.name} {reg.level.name}",
                issuer=issuer,
                source_label="培训后备案",
                registration=reg,
            )
        )
    audit.record(actor=None, action="颁发电子证书", obj=completion, detail={"证书数": len(certs)})
    return certs


@transaction.atomic
def revoke(cert: Certificate, *, actor: User, reason: str) -> Certificate:
    """撤销: the status changes and the hours no longer count; the number and the page stay."""
    reason = (reason or "").strip()
    if actor.role not in (Role.HR_REGION, Role.HR_PREFECTURE) or actor.organisation_id != cert.issuer_id:
        raise DomainError("只有发证机关可以撤销证书。")
    if not reason:
        raise DomainError("请填写撤销原因。", field="reason")
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    if cert.status == CertificateStatus.REVOKED:
        raise DomainError("该证书已撤销。")
    cert.status = CertificateStatus.REVOKED
    cert.revoked_at, cert.revoked_by, cert.revoked_reason = timezone.now(), actor, reason[:200]
    cert.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    Credit.objects.filter(certificate=cert).update(is_void=True)
    audit.record(actor=actor, action="撤销证书", obj=cert, opinion=reason)
    return cert
