"""The API's business actions: a learner's yearly hours, and 公需课 records imported from online platforms."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jxjy.accounts.models import Learner, Organisation
from jxjy.audit import trail as audit
from jxjy.certificates.models import Certificate, CertificateKind
from jxjy.certificates.services import Facts, issue_many
from jxjy.core import pii
from jxjy.core.errors import DomainError
from jxjy.core.identity import mask_id_number
from jxjy.hours.services import YearSummary, ledger

from .audit_actions import ApiAction
from .models import HeldCompletion
from .selectors import learner_by_id_number, within_reach

if TYPE_CHECKING:
    from .auth import Client


def hours_of(*, client: "Client", id_number: str, name: str, year: int | None) -> list[YearSummary]:
    """The learner's ledger (or one year of it). An unknown learner, a name that does not match, or a learner
    outside the token organisation's sector or prefecture (within_reach) answers exactly like a learner
    without hours, so that the answer tells nobody who is registered."""
    learner = learner_by_id_number(id_number)
    found = learner is not None and learner.name == name and within_reach(client.organisation, learner)
    summaries = ledger(learner) if learner is not None and found else []
    if year is not None:
        summaries = [next((s for s in summaries if s.year == year), YearSummary(year))]
    audit.record(
        actor=client,
        action=ApiAction.QUERY_HOURS,
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
    created: bool  # False: this record ID was received before


def source_key(platform: Organisation, record_id: str) -> str:
    return f"platform:{platform.pk}:{record_id}"


def import_completions(*, client: "Client", records: list[Record]) -> list[Outcome]:
    """Import a batch: a 公需课 certificate and ledger line for each new record of a registered learner whose
    name matches; a new record of anyone else is held until that learner registers (claim_held). Either way the
    answer is the same, so that an import tells nobody who is registered. A record ID sent before creates
    nothing. One transaction; errors (of format, from the serializer) stop the whole batch."""
    platform = client.organisation
    if platform.kind != Organisation.Kind.PLATFORM:
        raise DomainError(_("只有在线学习平台可以导入公需课学习记录。"))
    issuer = _issuer()
    keys = [source_key(platform, r.record_id) for r in records]
    with transaction.atomic():
        before = set(Certificate.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
        before |= set(HeldCompletion.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
        new = [r for r, key in zip(records, keys, strict=True) if key not in before]
        matched = {id(r): learner for r in new if (learner := _registered(r)) is not None}
        issued = issue_many([_facts(platform, issuer, r, matched[id(r)]) for r in new if id(r) in matched])
        held = HeldCompletion.objects.bulk_create([_held(platform, r) for r in new if id(r) not in matched])
        audit.record(
            actor=client, action=ApiAction.IMPORT_HOURS, obj=platform,
            detail={"令牌": client.token.prefix, "记录数": len(records), "新建证书": [c.number for c in issued],
                    "待学员注册": len(held)},
        )  # fmt: skip
    return [Outcome(r.record_id, key not in before) for r, key in zip(records, keys, strict=True)]


def claim_held(learner: Learner) -> list[Certificate]:
    """A learner registered (or their name was corrected): issue what the platforms sent for them meanwhile."""
    held = [h for h in HeldCompletion.objects.filter(id_number_hash__in=_hashes(learner)) if h.name == learner.name]
    if not held:
        return []
    issuer = _issuer()
    with transaction.atomic():
        certificates = issue_many([_facts(h.platform, issuer, h, learner) for h in held])
        HeldCompletion.objects.filter(pk__in=[h.pk for h in held]).delete()
        audit.record(actor=None, action=ApiAction.POST_PENDING, obj=learner,
                     detail={"新建证书": [c.number for c in certificates]})  # fmt: skip
    return certificates


def _issuer() -> Organisation:
    issuer = Organisation.objects.filter(kind=Organisation.Kind.HR_REGION, is_active=True).first()
    if issuer is None:
        raise DomainError(_("系统尚未设置人社厅，无法颁发公需课证书。"))
    return issuer


def _registered(r: Record) -> Learner | None:
    learner = learner_by_id_number(r.id_number)
    return learner if learner is not None and learner.name == r.name else None


def _hashes(learner: Learner) -> list[str]:
    return pii.lookup_hashes(pii.ID_NUMBER, learner.id_number)


def _held(platform: Organisation, r: Record) -> HeldCompletion:
    return HeldCompletion(
        platform=platform, source_key=source_key(platform, r.record_id), record_id=r.record_id,
        id_number=r.id_number, name=r.name, course=r.course, hours=r.hours, completed_on=r.completed_on,
    )  # fmt: skip


def _facts(platform: Organisation, issuer: Organisation, r: Record | HeldCompletion, learner: Learner) -> Facts:
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
        source_label=gettext_noop("在线学习平台"),
    )
