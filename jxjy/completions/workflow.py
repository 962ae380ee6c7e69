"""培训后备案 route: the base → the HR reviewer of its class's filing; approval issues certificates."""

from django.urls import reverse

from jxjy.accounts.scoping import hr_reviewer
from jxjy.certificates.services import issue_for_completion
from jxjy.review.engine import Transition, Workflow

from .models import CompletionStatus as S
from .services import raise_if_incomplete

COMPLETION = Workflow(
    name="培训后备案",
    states=S,
    editable_states=frozenset({S.DRAFT, S.RETURNED}),
    transitions={
        "submit": Transition(
            "submit", "提交", frozenset({S.DRAFT, S.RETURNED}), S.HR_REVIEW, "owner", guard=raise_if_incomplete
        ),
        "approve": Transition(
            "approve", "通过", frozenset({S.HR_REVIEW}), S.APPROVED, "holder", effect=issue_for_completion
        ),
        "return": Transition("return", "退回", frozenset({S.HR_REVIEW}), S.RETURNED, "holder", opinion_required=True),
    },
    owner=lambda c: c.base,
    holder_for=lambda c, state: (
        hr_reviewer(c.pre_filing) if state == S.HR_REVIEW else (None if state == S.APPROVED else c.base)
    ),
    url_for=lambda c: reverse("completions:detail", args=[c.pk]),
)
