"""The 培训前备案 route: base → 主管部门 → 人社厅专技处 (national/regional base) or the base's 地州人社局."""

from django.urls import reverse

from jxjy.accounts.models import Organisation
from jxjy.accounts.scoping import hr_reviewer
from jxjy.review.engine import Transition, Workflow

from .models import PreFilingStatus as S
from .models import RecognitionStatus
from .services import raise_if_incomplete, require_stamped_form


def holder_for(filing, state: str) -> Organisation | None:
    if state in (S.DRAFT, S.RETURNED, S.APPROVED):
        return filing.base if state != S.APPROVED else None
    if state in (S.DEPT_REVIEW, S.DEPT_APPROVED):
        return filing.base.department
    return hr_reviewer(filing)


# 人社's final review, the same for a 培训前备案 and a 学时认定.
HR_APPROVE = Transition("hr_approve", "通过", frozenset({S.HR_REVIEW}), S.APPROVED, "holder")
HR_RETURN = Transition("hr_return", "退回", frozenset({S.HR_REVIEW}), S.RETURNED, "holder", opinion_required=True)

PRE_FILING = Workflow(
    name="培训前备案",
    states=S,
    editable_states=frozenset({S.DRAFT, S.RETURNED}),
    transitions={
        "submit": Transition(
            "submit", "提交", frozenset({S.DRAFT, S.RETURNED}), S.DEPT_REVIEW, "owner", guard=raise_if_incomplete
        ),
        "dept_approve": Transition("dept_approve", "通过", frozenset({S.DEPT_REVIEW}), S.DEPT_APPROVED, "holder"),
        "dept_return": Transition(
            "dept_return", "退回", frozenset({S.DEPT_REVIEW}), S.RETURNED, "holder", opinion_required=True
        ),
        "forward": Transition(
            "forward", "提交", frozenset({S.DEPT_APPROVED}), S.HR_REVIEW, "holder", guard=require_stamped_form
        ),
        "hr_approve": HR_APPROVE,
        "hr_return": HR_RETURN,
    },
    owner=lambda filing: filing.base,
    holder_for=holder_for,
    url_for=lambda filing: reverse("filings:detail", args=[filing.pk]),
    watchers=lambda filing: [filing.base.department],
)


# 学时认定: the base 申报s straight to 人社厅专技处, which passes or returns it; no 主管部门 step.
RECOGNITION = Workflow(
    name="学时认定",
    states=RecognitionStatus,
    editable_states=frozenset({S.DRAFT, S.RETURNED}),
    transitions={
        "submit": Transition(
            "submit", "提交", frozenset({S.DRAFT, S.RETURNED}), S.HR_REVIEW, "owner", guard=raise_if_incomplete
        ),
        "hr_approve": HR_APPROVE,
        "hr_return": HR_RETURN,
    },
    owner=lambda filing: filing.base,
    holder_for=holder_for,
    url_for=lambda filing: reverse("filings:detail", args=[filing.pk]),
)
