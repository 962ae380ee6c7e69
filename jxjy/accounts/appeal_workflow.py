"""身份申诉 route: filed by the claimant (no account yet), decided by the 人社厅专技处 through the review engine."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core.errors import DomainError
from jxjy.review.engine import Transition, Workflow
from jxjy.review.workflows import Action, By

from .models import AppealStatus as S
from .models import Learner, Organisation


def hr_region() -> Organisation | None:
    """The regional HR department, which decides every 申诉."""
    return Organisation.objects.filter(kind=Organisation.Kind.HR_REGION, is_active=True).order_by("pk").first()


def _claimant_mobile_free(appeal) -> None:
    if Learner.objects.by_mobile(appeal.mobile).exclude(user=appeal.account_id).exists():
        raise DomainError(_("申诉人的手机号已被其他账号使用，不能通过；请驳回并说明原因。"))


APPEAL = Workflow(
    name=gettext_lazy("身份申诉"),
    states=S,
    editable_states=frozenset(),
    initial=S.SUBMITTED,
    transitions={
        Action.APPROVE: Transition(
            Action.APPROVE,
            gettext_lazy("通过"),
            frozenset({S.SUBMITTED}),
            S.APPROVED,
            By.HOLDER,
            guard=_claimant_mobile_free,
        ),
        Action.REJECT: Transition(
            Action.REJECT, gettext_lazy("驳回"), frozenset({S.SUBMITTED}), S.REJECTED, By.HOLDER, opinion_required=True
        ),
    },
    owner=lambda a: a.account,
    holder_for=lambda a, state: hr_region() if state == S.SUBMITTED else None,
    lock_related=("account",),
)
