"""The review engine on the 培训前备案 route: every move, the status table walked whole, the log."""

import pytest

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.core.errors import DomainError
from jxjy.filings.application_form import upload_stamped_form
from jxjy.filings.models import PreFilingStatus as S
from jxjy.notify.models import Notification
from jxjy.review import engine

from .review_helpers import advance


@pytest.fixture
def route_users(base_user, department_user, hr_region_user):
    return {"base_user": base_user, "department_user": department_user, "hr_user": hr_region_user}


def test_regional_filing_travels_base_department_hr_region(filing, route_users, department, base, hr_region_user):
    engine.perform(filing, "submit", actor=route_users["base_user"])
    assert (filing.status, filing.holder) == (S.DEPT_REVIEW, department)
    engine.perform(filing, "dept_approve", actor=route_users["department_user"])
    assert (filing.status, filing.holder) == (S.DEPT_APPROVED, department)
    upload_stamped_form(filing, actor=route_users["department_user"], upload=f.upload("盖章申报表.pdf"))
    engine.perform(filing, "forward", actor=route_users["department_user"])
    assert (filing.status, filing.holder) == (S.HR_REVIEW, hr_region_user.organisation)
    engine.perform(filing, "hr_approve", actor=hr_region_user)
    assert (filing.status, filing.holder) == (S.APPROVED, None)
    assert [e.action_label for e in engine.log_for(filing)] == ["提交", "通过", "提交", "通过"]


def test_prefecture_level_filing_goes_to_its_own_prefecture_bureau(
    prefecture_base, prefecture_base_user, department_user, hr_prefecture_user
):
    filing = f.complete_filing(prefecture_base, prefecture_base_user)
    advance(filing, S.HR_REVIEW, base_user=prefecture_base_user, department_user=department_user, hr_user=None)
    assert filing.holder == hr_prefecture_user.organisation


def test_return_needs_an_opinion_and_changes_nothing_without_one(filing, route_users):
    engine.perform(filing, "submit", actor=route_users["base_user"])
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="请填写审核意见"):
        engine.perform(filing, "dept_return", actor=route_users["department_user"], opinion="  ")
    filing.refresh_from_db()
    assert filing.status == S.DEPT_REVIEW
    assert AuditEntry.objects.count() == entries


def test_returned_filing_is_editable_and_goes_through_the_whole_route_again(filing, route_users, department):
    advance(filing, S.RETURNED, **route_users)
    assert filing.is_editable and filing.holder == filing.base
    log = engine.log_for(filing)
    assert log[-1].opinion == "请补充师资情况" and log[-1].state_after == S.RETURNED
    engine.perform(filing, "submit", actor=route_users["base_user"])
    assert (filing.status, filing.holder) == (S.DEPT_REVIEW, department)


def test_forward_needs_the_stamped_scan(filing, route_users):
    advance(filing, S.DEPT_APPROVED, **route_users)
    with pytest.raises(DomainError, match="盖有两公章"):
        engine.perform(filing, "forward", actor=route_users["department_user"])
    filing.refresh_from_db()
    assert filing.status == S.DEPT_APPROVED


# Every (state, move) pair: only the moves in the table are possible, by the right organisation.
LEGAL = {
    (S.DRAFT, "submit"): ("base_user", S.DEPT_REVIEW),
    (S.RETURNED, "submit"): ("base_user", S.DEPT_REVIEW),
    (S.DEPT_REVIEW, "dept_approve"): ("department_user", S.DEPT_APPROVED),
    (S.DEPT_REVIEW, "dept_return"): ("department_user", S.RETURNED),
    (S.HR_REVIEW, "hr_approve"): ("hr_user", S.APPROVED),
    (S.HR_REVIEW, "hr_return"): ("hr_user", S.RETURNED),
}
ACTIONS = ["submit", "dept_approve", "dept_return", "forward", "hr_approve", "hr_return"]
STATES = [S.DRAFT, S.DEPT_REVIEW, S.RETURNED, S.DEPT_APPROVED, S.HR_REVIEW, S.APPROVED]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_status_table_walked_whole(state, action, filing, route_users):
    advance(filing, state, **route_users)
    legal = LEGAL.get((state, action))
    if action == "forward" and state == S.DEPT_APPROVED:
        upload_stamped_form(filing, actor=route_users["department_user"], upload=f.upload("盖章申报表.pdf"))
        legal = ("department_user", S.HR_REVIEW)
    before = AuditEntry.objects.filter(state_after__gt="").count()
    if legal:
        engine.perform(filing, action, actor=route_users[legal[0]], opinion="意见")
        assert filing.status == legal[1]
        assert AuditEntry.objects.filter(state_after__gt="").count() == before + 1
    else:
        for user in route_users.values():
            with pytest.raises(DomainError):
                engine.perform(filing, action, actor=user, opinion="意见")
        filing.refresh_from_db()
        assert filing.status == state
        assert AuditEntry.objects.filter(state_after__gt="").count() == before


@pytest.mark.parametrize(
    ("state", "action", "who"),
    [
        (S.DEPT_REVIEW, "dept_approve", "base_user"),  # a base approving its own filing
        (S.DEPT_REVIEW, "hr_approve", "hr_user"),  # HR acting before the department
        (S.HR_REVIEW, "hr_approve", "department_user"),
        (S.DEPT_REVIEW, "submit", "base_user"),  # submitting twice
    ],
)
def test_out_of_turn_moves_are_refused_with_a_message(state, action, who, filing, route_users):
    advance(filing, state, **route_users)
    with pytest.raises(DomainError) as err:
        engine.perform(filing, action, actor=route_users[who])
    assert err.value.message
    filing.refresh_from_db()
    assert filing.status == state


def test_approving_twice_is_refused(filing, route_users):
    advance(filing, S.DEPT_APPROVED, **route_users)
    with pytest.raises(DomainError, match="不能执行「通过」"):
        engine.perform(filing, "dept_approve", actor=route_users["department_user"])


def test_moves_notify_the_next_holder_and_the_owner(filing, route_users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(filing, "submit", actor=route_users["base_user"])
    assert Notification.objects.filter(recipient=route_users["department_user"]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(filing, "dept_return", actor=route_users["department_user"], opinion="请补充")
    note = Notification.objects.get(recipient=route_users["base_user"])
    assert "退回" in note.title and "请补充" in note.body


def test_department_is_told_the_hr_outcome(filing, route_users, django_capture_on_commit_callbacks):
    advance(filing, S.HR_REVIEW, **route_users)
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(filing, "hr_return", actor=route_users["hr_user"], opinion="培训费用依据不足")
    for who in ("department_user", "base_user"):
        note = Notification.objects.filter(recipient=route_users[who]).latest("id")
        assert "退回" in note.title and "培训费用依据不足" in note.body


def test_new_documents_start_in_their_kinds_initial_state_held_as_it_says(base, base_user):
    """The engine, not each service, puts a new document in its first state (engine.begin)."""
    from jxjy.filings import services as filings
    from jxjy.review.registry import KINDS
    from jxjy.trainings import services as trainings

    filing = filings.new_pre_filing(actor=base_user)
    assert (filing.status, filing.holder) == (S.DRAFT, base)
    new_class = trainings.new_class(actor=base_user)
    assert (new_class.status, new_class.holder) == ("draft", base)
    assert all(k.workflow.initial in k.workflow.states.values for k in KINDS.values())
