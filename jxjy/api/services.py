"""The API's business actions: a learner's yearly hours, and 公需课 records imported from online platforms."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jxjy.accounts.models import Organisation
from jxjy.audit import trail as audit
from jxjy.certificates.models import Certificate, CertificateKind
from jxjy.certificates.services import Facts, issue_many
from jxjy.core.errors import DomainError
from jxjy.core.identity import mask_id_number
from jxjy.hours.services import YearSummary, ledger

from .selectors import learner_by_id_number

UNKNOWN_LEARNER = "未找到身份证号与姓名相符的学员（学员须先在本系统注册）。"


def hours_of(*, client, id_number: str, name: str, year: int | None) -> list[YearSummary]:
    """The learner's ledger (or one year of it). An unknown learner, or a name that does not match,
    answers exactly like a learner without hours, so that the answer tells nobody who is registered."""
    learner = learner_by_id_number(id_number)
    summaries = ledger(learner) if learner is not None and learner.name == name else []
    if year is not None:
        summaries = [next((s for s in summaries if s.year == year), YearSummary(year))]
    audit.record(
        actor=client,
        action="接口查询学时",
        obj=learner,
        detail={
            "令牌": client.token.prefix,
            "身份证号": mask_id_number(id_number),
            "年度": year,
            "查到学时": any(s.credits for s in summaries),
        },
    )
    return summaries


@dataclass(frozen=True)
class Record:
    """One completion a platform sends: its own record ID, who learned what, how many hours, when."""

    record_id: str
    id_number: str
    name: str
    course: str
    hours: Decimal
    completed_on: dt.date


@dataclass(frozen=True)
class Outcome:
    record_id: str
    created: bool
    certificate: Certificate


def source_key(platform: Organisation, record_id: str) -> str:
    return f"platform:{platform.pk}:record:{record_id}"


def import_completions(*, client, records: list[Record]) -> list[Outcome]:
    """Import a batch in two phases: check every record (errors by position, in Chinese), then issue a
    公需课 certificate and ledger line for each new record in one transaction. A record ID sent before
    creates nothing and is answered with the certificate it made the first time."""
    platform = client.organisation
    if platform.kind != Organisation.Kind.PLATFORM:
        raise DomainError("只有在线学习平台可以导入公需课学习记录。")
    issuer = Organisation.objects.filter(kind=Organisation.Kind.HR_REGION, is_active=True).first()
    if issuer is None:
        raise DomainError("系统尚未设置人社厅，无法颁发公需课证书。")
    learners, errors = {}, {}
    for i, r in enumerate(records):
        learner = learner_by_id_number(r.id_number)
        if learner is None or learner.name != r.name:
            errors[str(i)] = {"id_number": [UNKNOWN_LEARNER]}
        learners[i] = learner
    if errors:
        raise DomainError("部分记录有误，本批记录均未导入。", errors={"records": errors})
    facts = [_facts(platform, issuer, r, learners[i]) for i, r in enumerate(records)]
    with transaction.atomic():
        before = set(
            Certificate.objects.filter(source_key__in=[f.source_key for f in facts]).values_list("pk", flat=True)
        )
        certs = issue_many(facts)
        outcomes = [Outcome(r.record_id, c.pk not in before, c) for r, c in zip(records, certs, strict=True)]
        audit.record(
            actor=client,
            action="在线学习平台导入学时",
            obj=platform,
            detail={
                "令牌": client.token.prefix,
                "记录数": len(outcomes),
                "新建证书": [o.certificate.number for o in outcomes if o.created],
            },
        )
    return outcomes


def _facts(platform: Organisation, issuer: Organisation, r: Record, learner) -> Facts:
    return Facts(
        source_key=source_key(platform, r.record_id),
        learner=learner,
        kind=CertificateKind.PUBLIC,
        year=r.completed_on.year,
        hours=r.hours,
        class_name=r.course,
        base=platform,
        base_name=platform.name,
        scope="",
        issuer=issuer,
        source_label="在线学习平台",
    )
