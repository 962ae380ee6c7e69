"""培训信息管理: a base creates a class from an approved filing, HR reviews, the base opens it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from jxjy.core import clock
from jxjy.review import engine
from jxjy.trainings.models import ClassStatus as C
from jxjy.trainings.models import TrainingClass

DT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def approved(base, base_user):
    return f.approved_filing(base, base_user)


def _post_data(filing, **overrides):
    now = timezone.localtime(clock.now())  # the form's times are Ürümqi's
    data = {
        "pre_filing": filing.pk,
        "scope_items": [i.pk for i in filing.scope_items.all()],
        "years": [filing.year],  # the filing's 年度 (next year's for a class filed in late December)
        "reg_start": (now - dt.timedelta(hours=1)).strftime(DT),
        "reg_end": (now + dt.timedelta(days=10)).strftime(DT),
        "resubmit_deadline": (now + dt.timedelta(days=12)).strftime(DT),
        "has_package": "False",
        "seat_limit": "30",
        "report_place": "乌鲁木齐市南湖路1号",
        "class_place": "水利科技培训中心",
        "contact": "李敏",
        "contact_phone": "0991-4561234，13899887755",
        "notes": "",
        "package-TOTAL_FORMS": "0",
        "package-INITIAL_FORMS": "0",
        "package-MIN_NUM_FORMS": "0",
        "package-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_new_class_lists_only_approved_filings_of_the_base(client_for, base_user, base, approved, other_base):
    draft = f.complete_filing(base, base_user, class_name="尚未备案通过的培训班")
    others = f.approved_filing(other_base, f.UserFactory(organisation=other_base), class_name="别的基地的培训班")
    page = client_for(base_user).get(reverse("trainings:class_new")).content.decode()
    assert approved.class_name in page
    assert draft.class_name not in page and others.class_name not in page


@pytest.mark.date_sweep
def test_base_saves_then_submits_to_the_hr_reviewer_of_its_filing(client_for, base_user, approved, hr_region_user):
    client = client_for(base_user)
    data = _post_data(approved)
    response = client.post(reverse("trainings:class_new"), data)
    assert response.status_code == 302, response.content.decode()
    c = TrainingClass.objects.get()
    assert c.status == C.DRAFT and c.seat_limit == 30 and c.specialties.count() == 1
    assert (c.years, c.years_start) == ([approved.year], approved.year)
    for name in ("reg_start", "reg_end", "resubmit_deadline"):  # read as Ürümqi's times, not UTC's
        assert timezone.localtime(getattr(c, name)).strftime(DT) == data[name]
    client.post(reverse("review:act", args=["training", c.pk, "submit"]))
    c.refresh_from_db()
    assert c.status == C.HR_REVIEW and c.holder == hr_region_user.organisation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reg_end", "2020-01-01T00:00", "报名结束时间须晚于报名开始时间"),
        ("resubmit_deadline", "2020-01-01T00:00", "退回再次提交截止时间须晚于报名结束时间"),
        ("seat_limit", "-1", ""),
        ("report_place", "", "报到地点不能为空"),
        ("contact_phone", "1" * 51, "50"),
        ("notes", "说" * 51, "50"),
        ("scope_items", [], "请选择培训专业"),
        ("years", [], "请选择年度范围"),
    ],
)
def test_class_rules_show_a_message_and_save_nothing(client_for, base_user, approved, field, value, message):
    response = client_for(base_user).post(reverse("trainings:class_new"), _post_data(approved, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_specialties_must_come_from_the_chosen_filing(client_for, base_user, base, approved):
    other = f.approved_filing(base, base_user, class_name="另一个备案")
    data = _post_data(approved, scope_items=[i.pk for i in other.scope_items.all()])
    page = client_for(base_user).post(reverse("trainings:class_new"), data).content.decode()
    assert "培训专业只能从所选培训前备案的培训范围中选择" in page
    assert not TrainingClass.objects.exists()


@pytest.mark.date_sweep
def test_new_class_form_offers_the_years_around_this_year_in_urumqi(client_for, base_user, approved):
    """年度范围: next year, this year (checked by default) and the five before, by the date in Ürümqi."""
    this = clock.this_year()
    form = client_for(base_user).get(reverse("trainings:class_new")).context["form"]
    assert [y for y, _ in form.fields["years"].choices] == list(range(this + 1, this - 6, -1))
    assert form.initial["years"] == [this]


@pytest.mark.date_sweep
def test_demo_classes_count_in_this_year_and_last_in_urumqi(base_user, approved):
    """The demo's classes take this year and last (at 00:20 on 1 January UTC's year would still be the old one)."""
    from demo.trainings import upcoming_class

    c = upcoming_class(approved, base_user, seat_limit=0)
    this = clock.this_year()
    assert (c.years, c.years_start) == ([this, this - 1], this - 1)


@pytest.mark.date_sweep
def test_open_only_after_approval_and_close_again(client_for, base_user, approved, hr_region_user):
    c = f.published_class(approved, base_user, status=C.HR_REVIEW, published=False)
    c.holder = hr_region_user.organisation
    c.save()
    client = client_for(base_user)
    response = client.post(reverse("trainings:class_open", args=[c.pk]), follow=True)
    assert "培训信息审核通过后才能开启报名" in response.content.decode()
    engine.perform(c, "approve", actor=hr_region_user)
    client.post(reverse("trainings:class_open", args=[c.pk]))
    c.refresh_from_db()
    assert c.is_published and c.is_open()
    client.post(reverse("trainings:class_close", args=[c.pk]))
    c.refresh_from_db()
    assert not c.is_published


@pytest.mark.date_sweep
def test_registration_time_change_keeps_registrations(client_for, base_user, approved, hr_region_user):
    c = f.published_class(approved, base_user)
    c.holder = None
    c.save()
    learner = f.learner(1)
    from jxjy.trainings import services

    reg = services.start_registration(
        learner=learner, training_class=c, specialty_id=f.scope_of(c)[0], level_id=f.scope_of(c)[1],
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    services.submit_registration(reg, actor=learner.user)
    client = client_for(base_user)
    url = reverse("review:act", args=["training", c.pk, "request_change"])
    response = client.post(url, {"opinion": ""}, follow=True)
    assert "请填写审核意见" in response.content.decode()
    client.post(url, {"opinion": "报名人数不足，需延长报名截止时间"})
    c.refresh_from_db()
    assert c.status == C.CHANGE_REQUESTED and c.holder == hr_region_user.organisation
    engine.perform(c, "agree_change", actor=hr_region_user)
    c.refresh_from_db()
    assert c.status == C.CHANGING and not c.is_published and c.is_editable
    now = timezone.localtime(clock.now())
    data = _post_data(
        approved,
        reg_end=(now + dt.timedelta(days=20)).strftime(DT),
        resubmit_deadline=(now + dt.timedelta(days=25)).strftime(DT),
    )
    assert client.post(reverse("trainings:class_edit", args=[c.pk]), data).status_code == 302
    client.post(reverse("review:act", args=["training", c.pk, "submit"]))
    engine.perform(c, "approve", actor=hr_region_user)
    c.refresh_from_db()  # open again by itself, at the new times (guide §六.1): nobody has to press 开启
    assert c.is_published and (c.reg_end - clock.now()).days >= 19
    reg.refresh_from_db()
    assert reg.status == "submitted"
    actions = [e.action_label for e in engine.log_for(c)]
    assert actions == ["申请变更报名时间", "同意变更", "提交", "通过"]


def test_hr_can_refuse_a_change(base_user, approved, hr_region_user):
    c = f.published_class(approved, base_user)
    engine.perform(c, "request_change", actor=base_user, opinion="延长报名")
    engine.perform(c, "refuse_change", actor=hr_region_user, opinion="报名时间已足够")
    assert c.status == C.APPROVED and c.is_published


def test_another_base_cannot_see_or_open_the_class(client_for, other_base_user, base_user, approved):
    c = f.published_class(approved, base_user, published=False)
    client = client_for(other_base_user)
    assert client.get(reverse("trainings:class_detail", args=[c.pk])).status_code == 404
    assert client.post(reverse("trainings:class_open", args=[c.pk])).status_code == 404
    assert client.get(reverse("trainings:class_edit", args=[c.pk])).status_code == 404


def test_the_channel_says_what_is_true_now(client_for, base_user, approved):
    """报名通道 on the base's list: a window that ended months ago no longer says it is open."""
    now = clock.now()
    day = dt.timedelta(days=1)
    windows = {
        "报名未开始": dict(reg_start=now + day, reg_end=now + 5 * day),
        "报名中": dict(reg_start=now - day, reg_end=now + day),
        "报名已结束": dict(reg_start=now - 90 * day, reg_end=now - 60 * day, resubmit_deadline=now - 50 * day),
    }
    classes = {words: f.published_class(approved, base_user, **w) for words, w in windows.items()}
    classes["未开启"] = f.published_class(approved, base_user, published=False)
    assert {words: c.channel for words, c in classes.items()} == {words: words for words in classes}
    page = client_for(base_user).get(reverse("trainings:class_list")).content.decode()
    assert all(words in page for words in classes) and "已开启" not in page


def test_the_reviewers_year_column_is_the_classs_own_year(client_for, base_user, approved, hr_region_user):
    """年份 is the filing's year, not the first year of the 年度范围 the hours count in."""
    y = approved.year
    f.published_class(approved, base_user, status=C.HR_REVIEW, holder=hr_region_user.organisation,
                      years=[y - 1, y], years_start=y - 1, published=False)  # fmt: skip
    page = client_for(hr_region_user).get(reverse("review:waiting", args=["training"])).content.decode()
    row = re.search(r"<tr>\s*<td>1</td>\s*<td>(\d{4})</td>", page)
    assert row and row.group(1) == str(y)
