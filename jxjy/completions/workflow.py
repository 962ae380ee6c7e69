"""培训后备案 route: the base → the HR reviewer of its class's filing; approval issues certificates."""

from django.utils.translation import gettext_lazy

from jxjy.accounts.scoping import hr_reviewer
from jxjy.certificates.services import issue_for_completion
from jxjy.review.engine import Transition, Workflow
from jxjy.review.workflows import Action, By

from .models import CompletionStatus as S
from .services import raise_if_incomplete

COMPLETION = Workflow(
    name=gettext_lazy("培训后备案"),
    states=S,
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
        Action.APPROVE: Transition(
            Action.APPROVE,
            gettext_lazy("通过"),
            frozenset({S.HR_REVIEW}),
            S.APPROVED,
            By.HOLDER,
            effect=issue_for_completion,
        ),
        Action.RETURN: Transition(
            Action.RETURN, gettext_lazy("退回"), frozenset({S.HR_REVIEW}), S.RETURNED, By.HOLDER, opinion_required=True
        ),
    },
    owner=lambda c: c.base,
    holder_for=lambda c, state: (
        hr_reviewer(c.pre_filing) if state == S.HR_REVIEW else (None if state == S.APPROVED else c.base)
    ),
)
