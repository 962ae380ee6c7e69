"""Routes of 培训信息 (base → the HR reviewer of its filing, plus 报名时间变更) and 学员报名 (learner → base)."""

from django.urls import reverse

from jxjy.accounts.scoping import hr_reviewer
from jxjy.audit import trail as audit
from jxjy.review.engine import Transition, Workflow

from .models import ClassStatus as C
from .models import RegistrationStatus as R
from .seats import promote_waiting
from .services import check_join_waiting, check_registration_submit, raise_if_class_invalid, seat_freed


def _class_holder(training_class, state: str):
    if state in (C.HR_REVIEW, C.CHANGE_REQUESTED):
        return hr_reviewer(training_class.pre_filing)
    return None if state == C.APPROVED else training_class.base


def _close_registration(training_class) -> None:
    """An agreed 报名时间变更 hands the class back to the base: registration closes until re-approval."""
    training_class.is_published = False
    training_class.save(update_fields=["is_published"])


TRAINING_CLASS = Workflow(
    name="培训信息",
    states=C,
    editable_states=frozenset({C.DRAFT, C.RETURNED, C.CHANGING}),
    transitions={
        "submit": Transition(
            "submit",
            "提交",
            frozenset({C.DRAFT, C.RETURNED, C.CHANGING}),
            C.HR_REVIEW,
            "owner",
            guard=raise_if_class_invalid,
        ),
        "approve": Transition(
            "approve", "审核通过", frozenset({C.HR_REVIEW}), C.APPROVED, "holder", effect=promote_waiting
        ),
        "return": Transition("return", "退回", frozenset({C.HR_REVIEW}), C.RETURNED, "holder", opinion_required=True),
        "request_change": Transition(
            "request_change",
            "申请变更报名时间",
            frozenset({C.APPROVED}),
            C.CHANGE_REQUESTED,
            "owner",
            opinion_required=True,
        ),
        "agree_change": Transition(
            "agree_change",
            "同意变更",
            frozenset({C.CHANGE_REQUESTED}),
            C.CHANGING,
            "holder",
            effect=_close_registration,
        ),
        "refuse_change": Transition(
            "refuse_change",
            "不同意变更",
            frozenset({C.CHANGE_REQUESTED}),
            C.APPROVED,
            "holder",
            opinion_required=True,
        ),
    },
    owner=lambda c: c.base,
    holder_for=_class_holder,
    url_for=lambda c: reverse("trainings:class_detail", args=[c.pk]),
)


def _base_if_it_saw(registration) -> list:
    """The base hears of later moves (a 撤回) of a registration once it was submitted to it."""
    seen = audit.entries_for(registration).filter(state_after=R.SUBMITTED).exists()
    return [registration.training_class.base] if seen else []


REGISTRATION = Workflow(
    name="学员报名",
    states=R,
    editable_states=frozenset({R.DRAFT, R.RETURNED}),
    transitions={
        "submit": Transition(
            "submit", "提交", frozenset({R.DRAFT, R.RETURNED}), R.SUBMITTED, "owner", guard=check_registration_submit
        ),
        "approve": Transition("approve", "通过", frozenset({R.SUBMITTED}), R.APPROVED, "holder"),
        "return": Transition("return", "退回", frozenset({R.SUBMITTED}), R.RETURNED, "holder", opinion_required=True),
        # 撤回 gives up a seat (a returned registration holds one until its deadline): the line moves up.
        "withdraw": Transition(
            "withdraw", "撤回", frozenset({R.SUBMITTED, R.RETURNED}), R.WITHDRAWN, "owner", effect=seat_freed
        ),
        # 候补: a saved registration of a full class joins the line; the owner may leave it (撤回) …
        "wait": Transition("wait", "加入候补", frozenset({R.DRAFT}), R.WAITING, "owner", guard=check_join_waiting),
        "leave_waiting": Transition("leave_waiting", "撤回", frozenset({R.WAITING}), R.WITHDRAWN, "owner"),
        # … and the platform moves the first in line up when a seat frees; it tells the learner itself.
        "promote": Transition("promote", "候补递补", frozenset({R.WAITING}), R.SUBMITTED, "system", tell_owner=False),
    },
    owner=lambda r: r.learner.user,
    holder_for=lambda r, state: r.training_class.base if state == R.SUBMITTED else None,
    url_for=lambda r: reverse("trainings:registration_detail", args=[r.pk]),
    watchers=_base_if_it_saw,
    # 提交 is the move thousands make at once when a popular class opens: one query for all it reads.
    lock_related=("learner__user", "training_class__base", "training_class__pre_filing"),
)
