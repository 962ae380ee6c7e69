"""Routes of 培训信息 (base → the HR reviewer of its filing, plus 报名时间变更) and 学员报名 (learner → base)."""

from django.utils.translation import gettext_lazy

from jxjy.accounts.scoping import hr_reviewer
from jxjy.audit import trail as audit
from jxjy.review.engine import Transition, Workflow
from jxjy.review.workflows import Action, By

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


def _approved(training_class) -> None:
    """审核通过: approved again after an agreed 报名时间变更, the class opens by itself at its filed times, as
    before the change (guide §六.1: the channel opens and closes at the times filed); the first approval
    leaves 开启 to the base. Either way the line gets any seats the class now has."""
    changed = audit.entries_for(training_class).filter(action=Action.AGREE_CHANGE).exists()
    if changed and not training_class.is_published:
        training_class.is_published = True
        training_class.save(update_fields=["is_published"])
    promote_waiting(training_class)


TRAINING_CLASS = Workflow(
    name=gettext_lazy("培训信息"),
    states=C,
    editable_states=frozenset({C.DRAFT, C.RETURNED, C.CHANGING}),
    initial=C.DRAFT,
    transitions={
        Action.SUBMIT: Transition(
            Action.SUBMIT,
            gettext_lazy("提交"),
            frozenset({C.DRAFT, C.RETURNED, C.CHANGING}),
            C.HR_REVIEW,
            By.OWNER,
            guard=raise_if_class_invalid,
        ),
        Action.APPROVE: Transition(
            Action.APPROVE, gettext_lazy("通过"), frozenset({C.HR_REVIEW}), C.APPROVED, By.HOLDER, effect=_approved
        ),
        Action.RETURN: Transition(
            Action.RETURN, gettext_lazy("退回"), frozenset({C.HR_REVIEW}), C.RETURNED, By.HOLDER, opinion_required=True
        ),
        Action.REQUEST_CHANGE: Transition(
            Action.REQUEST_CHANGE,
            gettext_lazy("申请变更报名时间"),
            frozenset({C.APPROVED}),
            C.CHANGE_REQUESTED,
            By.OWNER,
            opinion_required=True,
        ),
        Action.AGREE_CHANGE: Transition(
            Action.AGREE_CHANGE,
            gettext_lazy("同意变更"),
            frozenset({C.CHANGE_REQUESTED}),
            C.CHANGING,
            By.HOLDER,
            effect=_close_registration,
        ),
        Action.REFUSE_CHANGE: Transition(
            Action.REFUSE_CHANGE,
            gettext_lazy("不同意变更"),
            frozenset({C.CHANGE_REQUESTED}),
            C.APPROVED,
            By.HOLDER,
            opinion_required=True,
        ),
    },
    owner=lambda c: c.base,
    holder_for=_class_holder,
)


def _base_if_it_saw(registration) -> list:
    """The base hears of later moves (a 撤回) of a registration once it was submitted to it; while it holds the
    registration (提交 just gave it to the base) it hears as the holder, and the trail need not be read."""
    if registration.holder_id == registration.training_class.base_id:
        return []
    seen = audit.entries_for(registration).filter(state_after=R.SUBMITTED).exists()
    return [registration.training_class.base] if seen else []


REGISTRATION = Workflow(
    name=gettext_lazy("学员报名"),
    states=R,
    editable_states=frozenset({R.DRAFT, R.RETURNED}),
    initial=R.DRAFT,
    transitions={
        Action.SUBMIT: Transition(
            Action.SUBMIT,
            gettext_lazy("提交"),
            frozenset({R.DRAFT, R.RETURNED}),
            R.SUBMITTED,
            By.OWNER,
            guard=check_registration_submit,
        ),
        Action.APPROVE: Transition(
            Action.APPROVE, gettext_lazy("通过"), frozenset({R.SUBMITTED}), R.APPROVED, By.HOLDER
        ),
        Action.RETURN: Transition(
            Action.RETURN, gettext_lazy("退回"), frozenset({R.SUBMITTED}), R.RETURNED, By.HOLDER, opinion_required=True
        ),
        # 撤回 gives up a seat (a returned registration holds one until its deadline): the line moves up.
        Action.WITHDRAW: Transition(
            Action.WITHDRAW,
            gettext_lazy("撤回"),
            frozenset({R.SUBMITTED, R.RETURNED}),
            R.WITHDRAWN,
            By.OWNER,
            effect=seat_freed,
        ),
        # 候补: a saved registration of a full class joins the line; the owner may leave it (撤回) …
        Action.WAIT: Transition(
            Action.WAIT, gettext_lazy("加入候补"), frozenset({R.DRAFT}), R.WAITING, By.OWNER, guard=check_join_waiting
        ),
        Action.LEAVE_WAITING: Transition(
            Action.LEAVE_WAITING, gettext_lazy("撤回"), frozenset({R.WAITING}), R.WITHDRAWN, By.OWNER
        ),
        # … and the platform moves the first in line up when a seat frees; it tells the learner itself.
        Action.PROMOTE: Transition(
            Action.PROMOTE, gettext_lazy("候补递补"), frozenset({R.WAITING}), R.SUBMITTED, By.SYSTEM, tell_owner=False
        ),
    },
    owner=lambda r: r.learner.user,
    holder_for=lambda r, state: r.training_class.base if state == R.SUBMITTED else None,
    watchers=_base_if_it_saw,
    # 提交 is the move thousands make at once when a popular class opens: one query for all it reads.
    lock_related=("learner__user", "training_class__base", "training_class__pre_filing"),
)
