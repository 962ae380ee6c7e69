"""The 培训前备案 route: base → 主管部门 → 人社厅专技处 (national/regional base) or the base's 地州人社局."""

from django.utils.translation import gettext_lazy

from jxjy.accounts.models import Organisation
from jxjy.accounts.scoping import hr_reviewer
from jxjy.review.engine import Transition, Workflow
from jxjy.review.workflows import Action, By

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
HR_APPROVE = Transition(Action.HR_APPROVE, gettext_lazy("通过"), frozenset({S.HR_REVIEW}), S.APPROVED, By.HOLDER)
HR_RETURN = Transition(
    Action.HR_RETURN, gettext_lazy("退回"), frozenset({S.HR_REVIEW}), S.RETURNED, By.HOLDER, opinion_required=True
)

PRE_FILING = Workflow(
    name=gettext_lazy("培训前备案"),
    states=S,
    editable_states=frozenset({S.DRAFT, S.RETURNED}),
    initial=S.DRAFT,
    transitions={
        Action.SUBMIT: Transition(
            Action.SUBMIT,
            gettext_lazy("提交"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.DEPT_REVIEW,
            By.OWNER,
            guard=raise_if_incomplete,
        ),
        Action.DEPT_APPROVE: Transition(
            Action.DEPT_APPROVE, gettext_lazy("通过"), frozenset({S.DEPT_REVIEW}), S.DEPT_APPROVED, By.HOLDER
        ),
        Action.DEPT_RETURN: Transition(
            Action.DEPT_RETURN,
            gettext_lazy("退回"),
            frozenset({S.DEPT_REVIEW}),
            S.RETURNED,
            By.HOLDER,
            opinion_required=True,
        ),
        Action.FORWARD: Transition(
            Action.FORWARD,
            gettext_lazy("提交"),
            frozenset({S.DEPT_APPROVED}),
            S.HR_REVIEW,
            By.HOLDER,
            guard=require_stamped_form,
        ),
        Action.HR_APPROVE: HR_APPROVE,
        Action.HR_RETURN: HR_RETURN,
    },
    owner=lambda filing: filing.base,
    holder_for=holder_for,
    watchers=lambda filing: [filing.base.department],
)


# 学时认定: the base 申报s straight to 人社厅专技处, which passes or returns it; no 主管部门 step.
RECOGNITION = Workflow(
    name=gettext_lazy("学时认定"),
    states=RecognitionStatus,
    editable_states=frozenset({S.DRAFT, S.RETURNED}),
    initial=S.DRAFT,
    transitions={
        Action.SUBMIT: Transition(
            Action.SUBMIT,
            gettext_lazy("提交"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.HR_REVIEW,
            By.OWNER,
            guard=raise_if_incomplete,
        ),
        Action.HR_APPROVE: HR_APPROVE,
        Action.HR_RETURN: HR_RETURN,
    },
    owner=lambda filing: filing.base,
    holder_for=holder_for,
)
