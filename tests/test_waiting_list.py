"""候补 (the waiting list), the seat a returned registration keeps, and 撤回 / 删除 of 学员报名."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.notify.models import Notification, Outbox
from jxjy.review import engine
from jxjy.trainings import seats, services
from jxjy.trainings.models import Registration, TrainingClass
from jxjy.trainings.models import RegistrationStatus as R

DETAILS = {"work_unit": "新疆水利水电勘测设计研究院", "current_title": "工程师"}


@pytest.fixture
def open_class(base, base_user):
    return f.published_class(f.approved_filing(base, base_user), base_user, seat_limit=2)


def register(learner, c):
    specialty_id, level_id = f.scope_of(c)
    return services.start_registration(
        learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={**DETAILS, "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip


def holding(c, *numbers):
    """Learners n… take seats of `c`; their registrations."""
    regs = []
    for n in numbers:
        learner = f.learner(n)
        regs.append(services.submit_registration(register(learner, c), actor=learner.user))
    return regs


def waiting(c, *numbers):
    """Learners n… join the line of the full class `c`, in this order."""
    regs = []
    for n in numbers:
        learner = f.learner(n)
        reg = services.join_waiting_list(register(learner, c), actor=learner.user)
        assert reg.status == R.WAITING
        regs.append(reg)
    return regs


def statuses(*regs):
    return [Registration.objects.get(pk=r.pk).status for r in regs]


def places(*regs):
    return [seats.waiting_place(Registration.objects.get(pk=r.pk)) for r in regs]


# ---- joining and the place shown ----


def test_step_two_shows_a_full_class_as_full_with_waiting(client_for, learner_user, open_class):
    holding(open_class, 1, 2)
    specialty_id, level_id = f.scope_of(open_class)
    page = client_for(learner_user).get(
        reverse("trainings:register_classes"), {"specialty": specialty_id, "level": level_id}
    )
    html = page.content.decode()
    assert "已满" in html and "候补" in html
    assert f'value="{open_class.pk}" id="class-{open_class.pk}" required>' in html  # still choosable


def test_learner_joins_the_line_from_step_three_and_sees_the_place(client_for, learner_user, open_class):
    holding(open_class, 1, 2)
    waiting(open_class, 3)
    specialty_id, level_id = f.scope_of(open_class)
    client = client_for(learner_user)
    url = reverse("trainings:register_form", args=[open_class.pk]) + f"?specialty={specialty_id}&level={level_id}"
    form = client.get(url).content.decode()
    assert "报名人数已满" in form and 'value="wait">加入候补</button>' in form
    data = {**DETAILS, "year": open_class.years[0], "then": "wait"}
    detail = client.post(url, data, follow=True).content.decode()
    reg = Registration.objects.get(learner=learner_user.learner)
    assert reg.status == R.WAITING and reg.submitted_at is not None
    assert "已加入候补，当前为候补第 2 位" in detail and "候补第 2 位" in detail
    mine = client.get(reverse("trainings:my_registrations")).content.decode()
    assert "候补中" in mine and "候补第 2 位" in mine


def test_places_are_the_order_of_joining_and_stored_numbers_never_change(open_class):
    holding(open_class, 1, 2)
    w1, w2, w3 = waiting(open_class, 3, 4, 5)
    assert places(w1, w2, w3) == [1, 2, 3]
    services.withdraw_registration(w1, actor=w1.learner.user)  # leaves the line
    assert statuses(w1) == [R.WITHDRAWN] and places(w2, w3) == [1, 2]
    again = services.join_waiting_list(register(w1.learner, open_class), actor=w1.learner.user)  # back of the line
    assert places(w2, w3, again) == [1, 2, 3]
    seqs = [Registration.objects.get(pk=r.pk).queue_seq for r in (w1, w2, w3, again)]
    assert seqs == [1, 2, 3, 4]


def test_joining_a_class_that_has_a_seat_submits_instead(learner_user, open_class):
    holding(open_class, 1)
    reg = services.join_waiting_list(register(learner_user.learner, open_class), actor=learner_user)
    assert reg.status == R.SUBMITTED and reg.queue_seq is None


def test_a_full_draft_offers_join_not_submit_and_can_be_deleted(client_for, learner_user, open_class):
    holding(open_class, 1, 2)
    reg = register(learner_user.learner, open_class)
    page = client_for(learner_user).get(reverse("trainings:registration_detail", args=[reg.pk])).content.decode()
    assert ">加入候补</button>" in page and ">提交</button>" not in page and ">删除</button>" in page
    assert ">撤回</button>" not in page


def test_joining_needs_the_class_open(learner_user, open_class):
    holding(open_class, 1, 2)
    reg = register(learner_user.learner, open_class)
    TrainingClass.objects.filter(pk=open_class.pk).update(is_published=False)
    with pytest.raises(DomainError, match="当前未开放报名"):
        services.join_waiting_list(reg, actor=learner_user)
    assert statuses(reg) == [R.DRAFT]


# ---- a freed seat goes to the first in line ----


def test_withdrawal_promotes_the_first_in_line_and_tells_them(
    base_user, open_class, sms_sent, django_capture_on_commit_callbacks
):
    first_holder, _ = holding(open_class, 1, 2)
    w1, w2, w3 = waiting(open_class, 3, 4, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_registration(first_holder, actor=first_holder.learner.user)
    assert statuses(first_holder, w1, w2, w3) == [R.WITHDRAWN, R.SUBMITTED, R.WAITING, R.WAITING]
    assert places(w2, w3) == [1, 2] and services.seats_taken(open_class) == 2
    w1 = Registration.objects.get(pk=w1.pk)
    assert w1.holder == open_class.base  # the base now reviews it like any submitted registration
    entry = audit.entries_for(w1).get(action="promote")
    assert entry.actor is None and entry.state_before == R.WAITING and entry.state_after == R.SUBMITTED
    assert entry.opinion.startswith("系统（候补递补）")
    told = Notification.objects.filter(recipient=w1.learner.user)
    assert [n.title for n in told] == [f"候补递补成功：{open_class.class_name}"]
    assert Notification.objects.filter(recipient=base_user, url=w1.get_absolute_url()).exists()
    sms = Outbox.objects.get(recipient=w1.learner.user, event="waiting_promoted")
    assert sms.channel == "sms" and "候补递补成功" in sms.body
    assert any("候补递补成功" in str(m) for m in sms_sent)  # the test backend delivered it after the commit


def test_the_promotion_log_names_the_system(client_for, open_class):
    first_holder, _ = holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    services.withdraw_registration(first_holder, actor=first_holder.learner.user)
    page = client_for(w1.learner.user).get(reverse("trainings:registration_detail", args=[w1.pk])).content.decode()
    assert ">系统</td>" in page and "候补递补" in page and "系统（候补递补）" in page and "None" not in page


def test_withdrawing_a_returned_registration_frees_its_seat(base_user, open_class):
    returned, _ = holding(open_class, 1, 2)
    engine.perform(returned, "return", actor=base_user, opinion="请核对")
    (w1,) = waiting(open_class, 3)
    services.withdraw_registration(returned, actor=returned.learner.user)
    assert statuses(returned, w1) == [R.WITHDRAWN, R.SUBMITTED]


def test_leaving_the_line_frees_no_seat_and_promotes_nobody(open_class):
    holding(open_class, 1, 2)
    w1, w2 = waiting(open_class, 3, 4)
    services.withdraw_registration(w1, actor=w1.learner.user)
    assert statuses(w1, w2) == [R.WITHDRAWN, R.WAITING] and services.seats_taken(open_class) == 2


def test_approve_or_return_does_not_move_the_line(base_user, open_class):
    a, b = holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    engine.perform(a, "approve", actor=base_user)
    engine.perform(b, "return", actor=base_user, opinion="请核对")  # keeps its seat until the deadline
    assert statuses(w1) == [R.WAITING]


@pytest.mark.parametrize("new_limit", [3, 0])
def test_the_base_raising_the_limit_through_a_time_change_promotes(new_limit, base_user, hr_region_user, open_class):
    holding(open_class, 1, 2)
    w1, w2 = waiting(open_class, 3, 4)
    engine.perform(open_class, "request_change", actor=base_user, opinion="延长报名时间并增加名额")
    engine.perform(open_class, "agree_change", actor=hr_region_user)

    def raise_limit(c):
        c.seat_limit = new_limit
        c.save()

    services.save_class(TrainingClass.objects.get(pk=open_class.pk), actor=base_user, apply_changes=raise_limit)
    expected = [R.SUBMITTED, R.WAITING] if new_limit == 3 else [R.SUBMITTED, R.SUBMITTED]
    assert statuses(w1, w2) == expected


def test_the_reapproved_class_hands_on_seats_it_has(base_user, hr_region_user, open_class):
    holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    engine.perform(open_class, "request_change", actor=base_user, opinion="增加名额")
    engine.perform(open_class, "agree_change", actor=hr_region_user)
    engine.perform(open_class, "submit", actor=base_user)
    TrainingClass.objects.filter(pk=open_class.pk).update(seat_limit=5)  # as an edit during the change left it
    assert statuses(w1) == [R.WAITING]
    engine.perform(open_class, "approve", actor=hr_region_user)
    assert statuses(w1) == [R.SUBMITTED]


# ---- a deadline that passes with nobody acting ----


def _returned_then_line(open_class, base_user):
    returned, _ = holding(open_class, 1, 2)
    engine.perform(returned, "return", actor=base_user, opinion="请核对")
    return returned, waiting(open_class, 3, 4)


def test_a_passed_deadline_frees_the_seat_lazily_for_the_line_first(base_user, open_class, clock):
    """Counted under the lock by the next move (here a newcomer's 提交): the line gets the seat, not the newcomer."""
    returned, (w1, w2) = _returned_then_line(open_class, base_user)
    TrainingClass.objects.filter(pk=open_class.pk).update(resubmit_deadline=clock_now() + dt.timedelta(minutes=1))
    clock.shift(dt.timedelta(minutes=2))
    newcomer = f.learner(9)
    late = register(newcomer, open_class)
    with pytest.raises(DomainError, match="报名人数已满"):
        services.submit_registration(late, actor=newcomer.user)
    # The newcomer's refusal did not take the promotion back with it.
    assert statuses(returned, w1, w2, late) == [R.RETURNED, R.SUBMITTED, R.WAITING, R.DRAFT]
    with pytest.raises(DomainError, match="已超过退回再次提交截止时间"):
        services.submit_registration(returned, actor=returned.learner.user)


def test_the_sweep_command_promotes_when_nobody_acts(base_user, open_class, clock, capsys):
    returned, (w1, w2) = _returned_then_line(open_class, base_user)
    call_command("promote_waiting")
    assert statuses(w1, w2) == [R.WAITING, R.WAITING]  # the deadline has not passed: the seat is kept
    clock.shift(open_class.resubmit_deadline - clock_now() + dt.timedelta(seconds=1))
    call_command("promote_waiting")
    assert statuses(returned, w1, w2) == [R.RETURNED, R.SUBMITTED, R.WAITING]
    assert "已递补 1 名候补学员" in capsys.readouterr().out


def clock_now():
    return clock.now()


# ---- who may do what ----


def test_nobody_but_the_platform_may_promote(client_for, base_user, open_class):
    holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    with pytest.raises(engine.ReviewPermissionDenied):
        engine.perform(w1, "promote", actor=w1.learner.user)
    act = reverse("review:act", args=["registration", w1.pk, "promote"])
    assert client_for(base_user).post(act).status_code == 403
    with pytest.raises(engine.ReviewPermissionDenied):
        engine.perform(w1, "leave_waiting", actor=services.seats.PROMOTER)
    assert statuses(w1) == [R.WAITING]


def test_the_base_sees_the_line_in_order_and_has_no_move_on_it(client_for, base_user, open_class):
    holding(open_class, 1, 2)
    w1, w2 = waiting(open_class, 3, 4)
    client = client_for(base_user)
    listing = client.get(reverse("trainings:registration_review"), {"status": R.WAITING}).content.decode()
    assert listing.index(w1.name) < listing.index(w2.name)
    assert "候补第 1 位" in listing and "候补第 2 位" in listing
    assert f'name="ids" value="{w1.pk}"' not in listing  # not among those 批量通过 can pass
    detail = client.get(reverse("trainings:registration_detail", args=[w1.pk])).content.decode()
    assert ">通过</button>" not in detail and ">退回</button>" not in detail
    client.post(reverse("review:act", args=["registration", w2.pk, "approve"]))
    client.post(reverse("trainings:registration_batch_approve"), {"ids": [w2.pk]})
    assert statuses(w1, w2) == [R.WAITING, R.WAITING]


def test_another_learner_cannot_join_leave_or_delete_for_someone(client_for, learner_user, open_class):
    holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    draft = register(f.learner(4), open_class)
    client = client_for(learner_user)
    for name, reg in (("registration_withdraw", w1), ("registration_wait", draft), ("registration_delete", draft)):
        assert client.post(reverse(f"trainings:{name}", args=[reg.pk])).status_code == 404
    assert statuses(w1, draft) == [R.WAITING, R.DRAFT]


# ---- 撤回 and 删除 ----


def test_a_saved_draft_is_deleted_with_an_audit_entry_not_withdrawn(client_for, learner_user, open_class):
    reg = register(learner_user.learner, open_class)
    with pytest.raises(DomainError, match="不能执行「撤回」"):
        engine.perform(reg, "withdraw", actor=learner_user)
    response = client_for(learner_user).post(reverse("trainings:registration_delete", args=[reg.pk]), follow=True)
    assert "报名已删除" in response.content.decode()
    assert not Registration.objects.filter(pk=reg.pk).exists()
    entry = audit.entries_for(reg).get(action="delete_registration")
    assert entry.actor == learner_user and entry.state_before == R.DRAFT
    register(learner_user.learner, open_class)  # the learner may register again


def test_a_submitted_registration_cannot_be_deleted(client_for, learner_user, open_class):
    reg = services.submit_registration(register(learner_user.learner, open_class), actor=learner_user)
    page = client_for(learner_user).post(reverse("trainings:registration_delete", args=[reg.pk]), follow=True)
    assert "只有已保存未提交的报名可以删除" in page.content.decode()
    assert statuses(reg) == [R.SUBMITTED]


def test_withdraw_through_the_page_frees_the_seat_for_the_line(client_for, open_class):
    first_holder, _ = holding(open_class, 1, 2)
    (w1,) = waiting(open_class, 3)
    client = client_for(first_holder.learner.user)
    page = client.get(reverse("trainings:registration_detail", args=[first_holder.pk])).content.decode()
    assert "撤回后名额将让给候补学员" in page
    response = client.post(reverse("trainings:registration_withdraw", args=[first_holder.pk]), follow=True)
    assert "报名已撤回" in response.content.decode()
    assert statuses(first_holder, w1) == [R.WITHDRAWN, R.SUBMITTED]
