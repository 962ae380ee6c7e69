"""Issuing and revoking certificates. Issuing is idempotent: the same source never makes a second."""

import datetime as dt
import functools
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from jxjy.accounts.models import Learner, Organisation, Role, User
from jxjy.accounts.scoping import hr_reviewer
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.identity import hours_text
from jxjy.notify import outbox

from . import signals, signing
from .audit_actions import CertificateAction
from .models import KIND_CODES, Certificate, CertificateKind, CertificateSequence, CertificateStatus
from .pdf import SEAL_BOX, render_certificate

SIGN_BATCH = 200  # certificates per task of the worker


def reserve_numbers(year: int, kind: str, count: int) -> list[str]:
    """2026-ZY-000001 …: the (year, kind) counter moves by `count` under a row lock."""
    seq, _ = CertificateSequence.objects.select_for_update().get_or_create(year=year, kind=kind)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return [f"{year}-{KIND_CODES[kind]}-{n:06d}" for n in range(first, seq.last + 1)]


def new_code() -> str:
    """An unguessable verification code (about 96 random bits), shown in the QR code's link."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Facts:
    """What a certificate says and what it was issued for."""

    source_key: str  # issuing again for the same source returns the same certificate
    learner: Learner
    kind: str
    year: int
    hours: Decimal
    class_name: str
    base: Organisation | None
    base_name: str
    scope: str
    issuer: Organisation
    source_label: str  # the ledger line's 来源: 培训后备案 / 学时认定 / 在线学习平台
    registration: Any = None  # a trainings.Registration (an app above this one), or None


def issue_many(facts: list[Facts]) -> list[Certificate]:
    """Issue a certificate and a ledger line for each of `facts`, skipping sources already issued.

    Numbers are reserved per (year, kind) in one locked step and rows are inserted in bulk, so a
    class of hundreds is issued in a few queries. Returns the certificates in the order of `facts`.
    """
    try:
        return _issue_many(facts)
    except IntegrityError:
        # Another process issued some of the same sources a moment ago: take theirs.
        return _issue_many(facts)


@transaction.atomic
def _issue_many(facts: list[Facts]) -> list[Certificate]:
    keys = [f.source_key for f in facts]
    done = {c.source_key: c for c in Certificate.objects.filter(source_key__in=keys)}
    todo = [f for f in facts if f.source_key not in done]
    new = _numbered_certificates(todo, today=clock.today())
    Certificate.objects.bulk_create(new)
    label = {f.source_key: f.source_label for f in todo}
    signals.issued.send(sender=Certificate, certs=new, sources=label)  # the ledger lines, the statistics
    _tell_learners(new, label)
    by_key = {c.source_key: c for c in new}
    done.update(by_key)
    ids = [c.pk for c in new]
    for i in range(0, len(ids), SIGN_BATCH):
        transaction.on_commit(functools.partial(_enqueue_signing, ids[i : i + SIGN_BATCH]))
    return [done[k] for k in keys]


def _numbered_certificates(todo: list[Facts], *, today: dt.date) -> list[Certificate]:
    """Unsaved certificates for `todo`, numbered per (year, kind) in key order (reserve_numbers locks each)."""
    groups: dict[tuple[int, str], list[Facts]] = {}
    for f in todo:
        groups.setdefault((f.year, f.kind), []).append(f)
    new: list[Certificate] = []
    for (year, kind), group in sorted(groups.items()):
        for f, number in zip(group, reserve_numbers(year, kind, len(group)), strict=True):
            new.append(
                Certificate(
                    number=number,
                    code=new_code(),
                    kind=kind,
                    source_key=f.source_key,
                    learner=f.learner,
                    registration=f.registration,
                    base=f.base,
                    issuer=f.issuer,
                    holder_name=f.learner.name,
                    holder_id_number=f.learner.id_number,
                    class_name=f.class_name[:100],
                    base_name=f.base_name[:100],
                    scope=f.scope[:200],
                    hours=f.hours,
                    year=year,
                    issued_on=today,
                    issuer_name=f.issuer.name,
                )
            )
    return new


def _tell_learners(new: list[Certificate], label: dict[str, str]) -> None:
    """One message per learner in this transaction: 学时认定 says the hours are recognised (学时档案), any other
    source that the certificate is issued (我的证书); SMS and e-mail as each learner chose."""
    groups: dict[tuple[str, int], list[Certificate]] = {}
    for c in new:
        event = "hours_recognised" if label[c.source_key] == "学时认定" else "certificate_issued"
        groups.setdefault((event, c.learner.user_id), []).append(c)
    languages = outbox.languages_of(user_id for _, user_id in groups)
    for event in ("certificate_issued", "hours_recognised"):
        messages = []
        for (e, user_id), certs in groups.items():
            if e == event:
                with translation.override(languages[user_id]):  # in the learner's language
                    messages.append(_message(event, user_id, certs))
        outbox.tell_each(messages, event=event)


def _message(event: str, user_id: int, certs: list[Certificate]) -> outbox.Message:
    names = "、".join(dict.fromkeys(c.class_name for c in certs))
    if event == "hours_recognised":
        hours = hours_text(sum(c.hours for c in certs))
        return outbox.Message(
            user_id,
            (gettext("您的学时已认定：%(names)s，%(hours)s学时") % {"names": names, "hours": hours}),
            url=reverse("hours:ledger"),
            params=(names, hours),
        )
    numbers = "、".join(c.number for c in certs)
    return outbox.Message(
        user_id,
        (gettext("您的电子证书已签发：%(names)s（证书编号 %(numbers)s）") % {"names": names, "numbers": numbers}),
        url=reverse("certificates:mine"),
        params=(names,),
    )


def _enqueue_signing(ids: list[int]) -> None:
    signals.signing_wanted.send(sender=Certificate, ids=ids)  # tasks.sign_issued


def verify_url(cert: Certificate) -> str:
    """The certificate's public 证书查验 page, as its QR code gives it."""
    return settings.JXJY_SITE_URL + cert.get_verify_url()


def sealed_pdf(cert: Certificate) -> bytes:
    """The certificate rendered now and signed with the platform's seal."""
    pdf = render_certificate(cert, verify_url=verify_url(cert))
    return signing.sign(
        pdf,
        box=SEAL_BOX,
        organisation=cert.issuer_name,
        reason=(gettext_noop("电子证书 %(number)s") % {"number": cert.number}),
    )


def store_signed(ids: list[int]) -> int:
    """Sign and store the file of each of these valid certificates that has none yet; returns how many.

    Each batch's files are written first and then recorded in one transaction. Safe to run twice at once:
    a file is kept only by the run that records it first, and a batch that cannot be recorded leaves no
    file behind."""
    stored = 0
    todo = list(Certificate.objects.filter(pk__in=ids, pdf="", status=CertificateStatus.VALID))
    for start in range(0, len(todo), SIGN_BATCH):
        batch = todo[start : start + SIGN_BATCH]
        for cert in batch:
            cert.pdf.save("", ContentFile(sealed_pdf(cert)), save=False)
        try:
            with transaction.atomic():
                lost = [c for c in batch if not Certificate.objects.filter(pk=c.pk, pdf="").update(pdf=c.pdf.name)]
        except BaseException:
            lost = batch
            raise
        finally:
            for cert in lost:
                cert.pdf.delete(save=False)
        stored += len(batch) - len(lost)
    return stored


def signed_pdf(cert: Certificate) -> bytes:
    """What a download gets: the file signed when the certificate was issued. Until the worker has
    stored it, a copy is signed on the spot (a download writes nothing). A revoked certificate gets a
    copy marked 已撤销; its issued file still carries a valid signature, and 证书查验 says it is revoked."""
    if not cert.is_valid or not cert.pdf:
        return sealed_pdf(cert)
    with cert.pdf.open("rb") as f:
        data: bytes = f.read()
        return data


def issue(facts: Facts) -> Certificate:
    return issue_many([facts])[0]


def issue_for_completion(completion: Any) -> list[Certificate]:  # a completions.CompletionFiling (an app above)
    """On approval of a 培训后备案: a certificate for every learner marked 合格."""
    c = completion.training_class
    filing = c.pre_filing
    kind = CertificateKind.PUBLIC if filing.subject_kind == "public" else CertificateKind.PROFESSIONAL
    issuer = hr_reviewer(filing)
    passed = completion.scores.filter(passed=True).select_related(
        "registration__learner", "registration__specialty__series", "registration__level"
    )
    certs = issue_many(
        [
            Facts(
                source_key=f"completion:{completion.pk}:registration:{s.registration_id}",
                learner=s.registration.learner,
                kind=kind,
                year=s.registration.year,
                hours=completion.actual_hours or filing.total_hours,
                class_name=filing.class_name,
                base=c.base,
                base_name=c.base.name,
                scope=" ".join(
                    (s.registration.specialty.series.name, s.registration.specialty.name, s.registration.level.name)
                ),
                issuer=issuer,
                source_label=gettext_noop("学时认定")
                if filing.purpose == "recognition"
                else gettext_noop("培训后备案"),
                registration=s.registration,
            )
            for s in passed
        ]
    )
    audit.record(actor=None, action=CertificateAction.ISSUE, obj=completion, detail={"证书数": len(certs)})
    return certs


def _lock_valid(cert: Certificate, *, actor: User, reason: str, verb: str) -> tuple[Certificate, str]:
    """The certificate locked for a change by its issuer, with the reason given; DomainError otherwise."""
    reason = (reason or "").strip()
    if actor.role not in (Role.HR_REGION, Role.HR_PREFECTURE) or actor.organisation_id != cert.issuer_id:
        raise DomainError(gettext("只有发证机关可以%(verb)s证书。") % {"verb": verb})
    if not reason:
        raise DomainError((gettext("请填写%(verb)s原因。") % {"verb": verb}), field="reason")
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    if cert.status == CertificateStatus.REVOKED:
        raise DomainError(gettext("该证书已撤销。"))
    return cert, reason[:200]


def _revoke_locked(cert: Certificate, *, actor: User, reason: str, replaced_by: Certificate | None = None) -> None:
    signals.revoking.send(sender=Certificate, cert=cert)  # the statistics uncount its hours
    cert.status, cert.replaced_by = CertificateStatus.REVOKED, replaced_by
    cert.revoked_at, cert.revoked_by, cert.revoked_reason = clock.now(), actor, reason
    cert.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason", "replaced_by"])
    signals.revoked.send(sender=Certificate, cert=cert)  # its ledger lines are void


@transaction.atomic
def revoke(cert: Certificate, *, actor: User, reason: str) -> Certificate:
    """撤销: the status changes and the hours no longer count; the number and the page stay."""
    cert, reason = _lock_valid(cert, actor=actor, reason=reason, verb=gettext("撤销"))
    _revoke_locked(cert, actor=actor, reason=reason)
    audit.record(actor=actor, action=CertificateAction.REVOKE, obj=cert, opinion=reason)
    return cert


@transaction.atomic
def reissue(cert: Certificate, *, actor: User, reason: str) -> Certificate:
    """换发: a new certificate (new number, code and signature) with the holder's name and 身份证号 as they
    are now — the usual reason is a correction — and the same training, hours and year. The old one is
    revoked and points to the new; the hours move to the new certificate's ledger line."""
    cert, reason = _lock_valid(cert, actor=actor, reason=reason, verb=gettext("换发"))
    source = Certificate.objects.filter(pk=cert.pk).values_list("credit__source", flat=True).first() or gettext_noop(
        "培训后备案"
    )
    new = issue(
        Facts(
            source_key=f"reissue:{cert.pk}",
            learner=cert.learner,
            kind=cert.kind,
            year=cert.year,
            hours=cert.hours,
            class_name=cert.class_name,
            base=cert.base,
            base_name=cert.base_name,
            scope=cert.scope,
            issuer=cert.issuer,
            source_label=source,
            registration=cert.registration,
        )
    )
    _revoke_locked(cert, actor=actor, reason=(gettext("换发：%(reason)s") % {"reason": reason})[:200], replaced_by=new)
    audit.record(
        actor=actor, action=CertificateAction.REISSUE, obj=cert, opinion=reason, detail={"新证书编号": new.number}
    )
    return new
