"""学员报名 and 学员报名审核: the three steps, the window, the deadline, seats, and who sees what."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from demo import factories as f
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.review import engine
from jxjy.trainings import services
from jxjy.trainings.models import Registration
from jxjy.trainings.models import RegistrationStatus as R

from . import clock as test_clock

DETAILS = {"work_unit": "新疆水利水电勘测设计研究院", "current_title": "工程师"}  # 参训年度: the class's


@pytest.fixture
def open_class(base, base_user):
    return f.published_class(f.approved_filing(base, base_user), base_user)


def register(learner, c, **details):
    specialty_id, level_id = f.scope_of(c)
    return services.start_registration(
        learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={**DETAILS, "year": c.years[0], **details}, package_course_ids=[],
    )  # fmt: skip


@pytest.mark.date_sweep
def test_learner_registers_through_three_steps(client_for, learner_user, open_class):
    client = client_for(learner_user)
    assert "我要报名" in client.get(reverse("trainings:my_registrations")).content.decode()
    assert "catalogue-data" in client.get(reverse("trainings:register")).content.decode()
    specialty_id, level_id = f.scope_of(open_class)
    step2 = client.get(reverse("trainings:register_classes"), {"specialty": specialty_id, "level": level_id})
    assert open_class.base.name in step2.content.decode()
    url = reverse("trainings:register_form", args=[open_class.pk]) + f"?specialty={specialty_id}&level={level_id}"
    page = client.get(url).content.decode()
    assert "6501**********1239" in page and "650102199001011239" not in page and "张三" in page
    response = client.post(url, {"work_unit": "测试单位", "current_title": "工程师", "year": open_class.years[0]})
    reg = Registration.objects.get()
    assert response["Location"] == reverse("trainings:registration_detail", args=[reg.pk])
    assert reg.status == R.DRAFT and reg.year == open_class.years[0]
    client.post(reverse("trainings:registration_submit", args=[reg.pk]))
    reg.refresh_from_db()
    assert reg.status == R.SUBMITTED and reg.holder == open_class.base


def test_step_three_refuses_at_save_a_pair_the_class_does_not_offer(client_for, learner_user, open_class):
    from jxjy.catalog.models import Level, Specialty

    client = client_for(learner_user)
    specialty_id, level_id = f.scope_of(open_class)
    page = reverse("trainings:register_form", args=[open_class.pk])
    offered = client.get(page, {"specialty": specialty_id, "level": level_id}).content.decode()
    chosen = Specialty.objects.select_related("series").get(pk=specialty_id)
    assert f"{chosen.series.name} &gt; {chosen.name} &gt; {Level.objects.get(pk=level_id).name}" in offered
    other = Specialty.objects.filter(series_id=chosen.series_id).exclude(pk=specialty_id).first()
    url = f"{page}?specialty={other.pk}&level={level_id}"
    shown = client.get(url).content.decode()
    assert f"{chosen.series.name} &gt; {other.name} &gt;" in shown  # the page still opens, as before
    refused = client.post(url, {**DETAILS, "year": open_class.years[0]}).content.decode()
    assert "该培训班不包含所选的报名专业。" in refused and not Registration.objects.exists()


def test_no_open_class_shows_the_guides_message(client_for, learner_user, open_class):
    from jxjy.catalog.models import Level, Specialty

    specialty = Specialty.objects.get(series__name="教师系列", name="中小学教师")
    level = Level.objects.filter(series=specialty.series).first()
    page = (
        client_for(learner_user)
        .get(reverse("trainings:register_classes"), {"specialty": specialty.pk, "level": level.pk})
        .content.decode()
    )
    assert "根据您的选择的报名专业，暂未找到开始报名的继续教育基地" in page


@pytest.mark.date_sweep
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("is_published", False),
        ("reg_start", dt.timedelta(days=1)),  # from now (at the test's instant, not at collection)
        ("reg_end", -dt.timedelta(minutes=1)),
    ],
)
def test_registration_only_while_published_and_inside_the_window(learner_user, open_class, name, value):
    reg = register(learner_user.learner, open_class)
    setattr(open_class, name, clock.now() + value if isinstance(value, dt.timedelta) else value)
    open_class.save()
    with pytest.raises(DomainError, match="当前未开放报名"):
        services.submit_registration(reg, actor=learner_user)
    reg.refresh_from_db()
    assert reg.status == R.DRAFT


def test_the_window_includes_its_first_and_last_instant(open_class):
    second = dt.timedelta(seconds=1)
    start, end = open_class.reg_start, open_class.reg_end
    assert [open_class.is_open(at) for at in (start - second, start, end, end + second)] == [False, True, True, False]


@pytest.mark.date_sweep
def test_returned_registration_can_be_resubmitted_until_the_deadline(learner_user, base_user, open_class):
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "return", actor=base_user, opinion="请填写完整的工作单位名称")
    services.update_registration(reg, actor=learner_user, details={"work_unit": "完整单位名称"}, package_course_ids=[])
    services.submit_registration(reg, actor=learner_user)
    assert reg.status == R.SUBMITTED
    engine.perform(reg, "return", actor=base_user, opinion="再次退回")
    open_class.reg_end = clock.now() - dt.timedelta(days=2)
    open_class.reg_start = open_class.reg_end - dt.timedelta(days=5)
    open_class.resubmit_deadline = clock.now() + dt.timedelta(minutes=5)
    open_class.save()
    services.update_registration(reg, actor=learner_user, details={"work_unit": "单位"}, package_course_ids=[])
    services.submit_registration(reg, actor=learner_user)  # after 报名截止, before the resubmission deadline
    assert reg.status == R.SUBMITTED
    engine.perform(reg, "return", actor=base_user, opinion="第三次退回")
    # The deadline was midnight this morning in Ürümqi (at 00:20 on 1 January: 2028-01-01 00:00, 2027 in UTC).
    midnight = dt.datetime.combine(clock.today(), dt.time.min, tzinfo=test_clock.SHANGHAI)
    open_class.resubmit_deadline = midnight
    open_class.save()
    message = f"已超过退回再次提交截止时间（{clock.today():%Y-%m-%d} 00:00），不能再次提交。"
    with pytest.raises(DomainError, match=re.escape(message)):
        services.submit_registration(reg, actor=learner_user)
    reg.refresh_from_db()
    assert reg.status == R.RETURNED


@pytest.mark.date_sweep
def test_deadline_passed_page_says_so(client_for, learner_user, base_user, open_class):
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "return", actor=base_user, opinion="请补充")
    open_class.reg_start = clock.now() - dt.timedelta(days=9)
    open_class.reg_end = clock.now() - dt.timedelta(days=3)
    open_class.resubmit_deadline = clock.now() - dt.timedelta(days=1)
    open_class.save()
    page = client_for(learner_user).get(reverse("trainings:registration_detail", args=[reg.pk])).content.decode()
    assert "已超过退回再次提交截止时间" in page and ">提交</button>" not in page


def test_one_active_registration_per_learner_per_class(learner_user, open_class):
    register(learner_user.learner, open_class)
    with pytest.raises(DomainError, match="请勿重复报名"):
        register(learner_user.learner, open_class)


def test_database_refuses_a_second_active_registration(learner_user, open_class):
    first = register(learner_user.learner, open_class)
    second = Registration(**{k: getattr(first, k) for k in ("learner", "training_class", "specialty", "level",
                                                             "name", "work_unit", "current_title", "year")},
                          status=R.DRAFT)  # fmt: skip
    with pytest.raises(IntegrityError):
        second.save()


def test_withdrawn_registration_frees_the_seat_and_allows_a_new_one(learner_user, open_class):
    open_class.seat_limit = 1
    open_class.save()
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "withdraw", actor=learner_user)
    again = register(learner_user.learner, open_class)
    services.submit_registration(again, actor=learner_user)
    assert again.status == R.SUBMITTED


def test_full_class_refuses_with_the_message_and_changes_nothing(learner_user, open_class):
    open_class.seat_limit = 2
    open_class.save()
    for n in (1, 2):
        other = f.learner(n)
        services.submit_registration(register(other, open_class), actor=other.user)
    reg = register(learner_user.learner, open_class)
    with pytest.raises(DomainError, match="报名人数已满"):
        services.submit_registration(reg, actor=learner_user)
    reg.refresh_from_db()
    assert reg.status == R.DRAFT and services.seats_taken(open_class) == 2


def test_a_full_class_refuses_before_queueing_for_the_seat_lock(learner_user, open_class, monkeypatch):
    """When a popular class opens most learners come after the last seat: they are told at once."""
    open_class.seat_limit = 1
    open_class.save()
    other = f.learner(1)
    services.submit_registration(register(other, open_class), actor=other.user)
    counted_under_lock = []
    monkeypatch.setattr(services, "after_seat_count", lambda: counted_under_lock.append(True))
    with pytest.raises(DomainError, match="报名人数已满"):
        services.submit_registration(register(learner_user.learner, open_class), actor=learner_user)
    assert counted_under_lock == []


def test_returned_registration_keeps_its_seat_until_the_deadline(learner_user, base_user, open_class):
    open_class.seat_limit = 1
    open_class.save()
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "return", actor=base_user, opinion="请核对")
    other = f.learner(7)
    late = register(other, open_class)
    with pytest.raises(DomainError, match="报名人数已满"):
        services.submit_registration(late, actor=other.user)
    services.submit_registration(reg, actor=learner_user)
    assert reg.status == R.SUBMITTED and services.seats_taken(open_class) == 1


def test_resubmission_before_the_deadline_is_never_refused_for_seats(learner_user, base_user, open_class):
    """Even when the base lowered the limit below the seats already held, the returned seat is kept."""
    open_class.seat_limit = 2
    open_class.save()
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    other = f.learner(9)
    services.submit_registration(register(other, open_class), actor=other.user)
    engine.perform(reg, "return", actor=base_user, opinion="请核对")
    type(open_class).objects.filter(pk=open_class.pk).update(seat_limit=1)
    services.submit_registration(reg, actor=learner_user)
    assert reg.status == R.SUBMITTED


def test_returned_registration_past_its_deadline_holds_no_seat(learner_user, base_user, open_class):
    open_class.seat_limit = 1
    open_class.save()
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "return", actor=base_user, opinion="请核对")
    assert services.seats_taken(open_class) == 1
    open_class.resubmit_deadline = clock.now() - dt.timedelta(seconds=1)  # reg_end is later only in this test
    open_class.save()
    assert services.seats_taken(open_class) == 0
    other = f.learner(7)
    services.submit_registration(register(other, open_class), actor=other.user)
    assert Registration.objects.get(learner=other).status == R.SUBMITTED


def test_learner_cannot_see_or_change_another_learners_registration(client_for, learner_user, open_class):
    other = f.learner(3)
    reg = register(other, open_class)
    client = client_for(learner_user)
    for url in ("trainings:registration_detail", "trainings:registration_edit"):
        assert client.get(reverse(url, args=[reg.pk])).status_code == 404
    assert client.post(reverse("trainings:registration_submit", args=[reg.pk])).status_code == 404
    reg.refresh_from_db()
    assert reg.status == R.DRAFT


def test_base_reviews_only_its_own_classes_registrations(client_for, other_base_user, base_user, open_class):
    other = f.learner(4)
    reg = register(other, open_class)
    services.submit_registration(reg, actor=other.user)
    outsider = client_for(other_base_user)
    assert reg.name not in outsider.get(reverse("trainings:registration_review")).content.decode()
    act = reverse("review:act", args=["registration", reg.pk, "approve"])
    assert outsider.post(act).status_code == 404
    outsider.post(reverse("trainings:registration_batch_approve"), {"ids": [reg.pk]})
    reg.refresh_from_db()
    assert reg.status == R.SUBMITTED


def test_base_views_then_passes_or_returns_and_passes_several(client_for, base_user, open_class):
    regs = []
    for n in (5, 6, 8):
        other = f.learner(n)
        reg = register(other, open_class)
        services.submit_registration(reg, actor=other.user)
        regs.append(reg)
    client = client_for(base_user)
    listing = client.get(reverse("trainings:registration_review")).content.decode()
    assert all(r.name in listing for r in regs) and "6501**********" in listing
    detail = client.get(reverse("trainings:registration_detail", args=[regs[0].pk])).content.decode()
    assert ">通过</button>" in detail and ">退回</button>" in detail
    client.post(reverse("review:act", args=["registration", regs[0].pk, "return"]), {"opinion": "证件信息不全"})
    client.post(reverse("trainings:registration_batch_approve"), {"ids": [regs[1].pk, regs[2].pk]})
    statuses = {r.pk: Registration.objects.get(pk=r.pk).status for r in regs}
    assert statuses == {regs[0].pk: R.RETURNED, regs[1].pk: R.APPROVED, regs[2].pk: R.APPROVED}


def test_learner_sees_the_opinion_of_a_return(client_for, base_user, learner_user, open_class):
    reg = register(learner_user.learner, open_class)
    services.submit_registration(reg, actor=learner_user)
    engine.perform(reg, "return", actor=base_user, opinion="请上传职称证书")
    page = client_for(learner_user).get(reverse("trainings:my_registrations")).content.decode()
    assert "已退回" in page and "请上传职称证书" in page
