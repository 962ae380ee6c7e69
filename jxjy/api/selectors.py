"""What the API reads: one learner by 身份证号, a base's own documents."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from jxjy.accounts.models import Learner, Organisation
from jxjy.certificates.models import Certificate
from jxjy.completions.models import CompletionFiling
from jxjy.filings.models import PreFiling, Purpose
from jxjy.trainings.models import TrainingClass


def learner_by_id_number(id_number: str) -> Learner | None:
    """The learner with this (normalised) 身份证号. The only place the API looks a learner up."""
    return Learner.objects.by_id_number(id_number).first()


def within_reach(organisation: Organisation, learner: Learner) -> bool:
    """Whose hours a token's organisation may read: 人社厅 the whole region's; a 地州人社局 those who trained at a
    base of its prefecture; a 主管部门 those who trained at a base of its sector (a certificate of such a base)."""
    if organisation.kind == Organisation.Kind.HR_REGION:
        return True
    if organisation.kind == Organisation.Kind.HR_PREFECTURE:
        reach = {"base__prefecture_id": organisation.prefecture_id}
    elif organisation.kind == Organisation.Kind.DEPARTMENT:
        reach = {"base__department_id": organisation.pk}
    else:
        return False
    return Certificate.objects.filter(learner=learner, **reach).exists()


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    label: str
    model: type[PreFiling] | type[TrainingClass] | type[CompletionFiling]
    filters: dict[str, str]


DOCUMENT_KINDS = {
    k.slug: k
    for k in (
        DocumentKind("pre_filing", "培训前备案", PreFiling, {"purpose": Purpose.FILING}),
        DocumentKind("recognition", "学时认定", PreFiling, {"purpose": Purpose.RECOGNITION}),
        DocumentKind("training_class", "培训信息", TrainingClass, {}),
        DocumentKind("completion", "培训后备案", CompletionFiling, {}),
    )
}
RELATED = {PreFiling: ["holder"], TrainingClass: ["holder", "pre_filing"], CompletionFiling: ["holder"]}


def documents_of(base: Organisation, kind: DocumentKind) -> models.QuerySet[Any]:
    """A base's own documents of one kind — the same rule as the web screens' (a base sees its own)."""
    return kind.model.objects.filter(base=base, **kind.filters).select_related(*RELATED[kind.model])


def title_of(doc: models.Model) -> str:
    return doc.name if isinstance(doc, CompletionFiling) else str(doc)
