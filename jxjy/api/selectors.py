"""What the API reads: one learner by 身份证号, a base's own documents."""

from typing import Any

from django.db import models

from jxjy.accounts.models import Learner, Organisation
from jxjy.certificates.models import Certificate
from jxjy.review.registry import DocumentKind


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


def documents_of(base: Organisation, kind: DocumentKind) -> models.QuerySet[Any]:
    """A base's own documents of one API kind (DocumentKind.api_rows) — the same rule as the web screens' (a
    base sees its own)."""
    return kind.api_rows().filter(base=base).select_related(*kind.related)
