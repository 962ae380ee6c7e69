"""Each role's home page shows what waits for it and where it stands."""

import datetime as dt

from django.urls import reverse
from django.utils.timezone import localtime

from demo import factories as f
from jxjy.core.identity import hours_text
from jxjy.review import engine


def test_hours_text():
    from decimal import Decimal

    assert [hours_text(Decimal(x)) for x in ("40.0", "40.5", "4E+1", "0")] == ["40", "40.5", "40", "0"]


def test_department_home_counts_what_waits(client_for, department_user, filing, base_user):
    engine.perform(filing, "submit", actor=base_user)
    page = client_for(department_user).get(reverse("core:home")).content.decode()
    assert "培训前备案待审核" in page and '<span class="stat-value">1</span>' in page


def test_learner_home_shows_this_years_hours(client_for, learner_user):
    page = client_for(learner_user).get(reverse("core:home")).content.decode()
    assert "我的主页" in page and "年度学时" in page and "0 / 90" in page and "未达标" in page


# ---- 我的主页: what waits on the learner, what is open for them, their hours, their new certificates ----


def register(learner, c, *, status: str, **extra):
    from jxjy.trainings.models import Registration

    specialty_id, level_id = f.scope_of(c)
    return Registration.objects.create(
        learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id, status=status,
        name=learner.name, work_unit="测试单位", current_title="工程师", year=c.years[0], **extra,
    )  # fmt: skip


def home_of(client, user):
    response = client.get(reverse("core:home"))
    return response.context["learner_home"], response.content.decode()


def test_a_returned_registration_waits_on_the_learner_with_its_deadline(client, learner_user, base, base_user, clock):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    returned = register(learner_user.learner, c, status="returned")
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert home.waiting == [returned]
    assert "退回再次提交截止时间" in page and localtime(c.resubmit_deadline).strftime("%Y-%m-%d %H:%M") in page
    assert reverse("trainings:registration_detail", args=[returned.pk]) in page
    clock.shift(dt.timedelta(days=13))  # past the class's 退回再次提交截止时间: nothing can be done about it any more
    client.force_login(learner_user)
    assert home_of(client, learner_user)[0].waiting == []


def test_drafts_and_waiting_list_places_wait_on_the_learner_but_submitted_ones_do_not(
    client, learner_user, base, base_user
):
    filing = f.approved_filing(base, base_user)
    draft = register(learner_user.learner, f.published_class(filing, base_user), status="draft")
    waiting = register(learner_user.learner, f.published_class(filing, base_user), status="waiting", queue_seq=1)
    register(learner_user.learner, f.published_class(filing, base_user), status="submitted")
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert set(home.waiting) == {draft, waiting}
    assert "尚未提交" in page and "候补第 1 位" in page


def test_what_waits_comes_by_its_deadline_and_the_waiting_places_cost_one_query(
    client, learner_user, base, base_user, django_assert_num_queries
):
    from jxjy.core.clock import now
    from jxjy.trainings import seats

    filing = f.approved_filing(base, base_user)
    middle, late, soon = (
        f.published_class(filing, base_user, resubmit_deadline=now() + dt.timedelta(days=d)) for d in (10, 20, 5)
    )
    # Saved in another order than by deadline, either way round.
    second = register(learner_user.learner, middle, status="draft")
    third = register(learner_user.learner, late, status="waiting", queue_seq=2)
    first = register(learner_user.learner, soon, status="draft")
    register(f.learner(2), late, status="waiting", queue_seq=1)  # ahead of them in the line
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert home.waiting == [first, second, third] and [r.waiting_place for r in home.waiting] == [None, None, 2]
    assert "候补第 2 位" in page
    with django_assert_num_queries(1):
        seats.set_waiting_places(home.waiting)
    with django_assert_num_queries(0):
        seats.set_waiting_places([first, second])


def test_a_withdrawn_registration_offers_its_class_again_and_still_tells_the_specialty(
    client, learner_user, base, base_user
):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    register(learner_user.learner, c, status="withdrawn")
    client.force_login(learner_user)
    home, _ = home_of(client, learner_user)
    assert home.for_specialty and home.open_classes == [c] and home.waiting == []


def test_open_classes_of_the_learners_specialty_come_first_soonest_closing_first(client, learner_user, base, base_user):
    from jxjy.catalog.models import Specialty
    from jxjy.core.clock import now

    filing = f.approved_filing(base, base_user)
    old = f.published_class(filing, base_user, reg_start=now() - dt.timedelta(days=60),
                            reg_end=now() - dt.timedelta(days=30),
                            resubmit_deadline=now() - dt.timedelta(days=29))  # fmt: skip
    register(learner_user.learner, old, status="approved")
    later = f.published_class(filing, base_user, reg_end=now() + dt.timedelta(days=20),
                              resubmit_deadline=now() + dt.timedelta(days=21))  # fmt: skip
    sooner = f.published_class(filing, base_user, reg_end=now() + dt.timedelta(days=3))
    other = f.published_class(filing, base_user)
    other.specialties.update(specialty=Specialty.objects.exclude(pk=f.scope_of(old)[0]).first())
    f.published_class(filing, base_user, published=False)  # not open
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert home.for_specialty and home.open_classes == [sooner, later]
    assert "您所报专业正在报名的培训班" in page and reverse("trainings:register") in page


def test_a_learner_with_no_specialty_yet_sees_the_classes_open_now_at_most_five(client, learner_user, base, base_user):
    filing = f.approved_filing(base, base_user)
    classes = [f.published_class(filing, base_user) for _ in range(6)]
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert not home.for_specialty and len(home.open_classes) == 5 and set(home.open_classes) < set(classes)
    assert "正在报名的培训班" in page and "我要报名" in page


def test_certificates_of_the_last_90_days_are_shown(client, learner_user, clock):
    from tests.test_request_cost import add_certificates

    add_certificates(learner_user.learner, 1)
    client.force_login(learner_user)
    home, page = home_of(client, learner_user)
    assert [c.number for c in home.recent_certificates] == [learner_user.learner.certificates.get().number]
    assert "近期发放的证书" in page
    clock.shift(dt.timedelta(days=91))
    client.force_login(learner_user)
    assert home_of(client, learner_user)[0].recent_certificates == []


# ---- the front door ----


def test_a_visitor_at_the_front_door_can_verify_a_certificate_without_logging_in(client, db):
    from .html_helpers import parse

    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    root = parse(response.content)
    [form] = root.find_all(lambda n: n.tag == "form" and n.attrs.get("action") == reverse("certificates:verify"))
    assert form.attrs.get("method") == "get"
    assert form.find_all(lambda n: n.tag == "input" and n.attrs.get("name") == "number")
    links = {a.attrs.get("href") for a in root.find_all(lambda n: n.tag == "a")}
    assert {reverse("accounts:login"), reverse("accounts:signup"), reverse("core:guide")} <= links
    assert reverse("accounts:forgot") in links  # 忘记密码


def test_the_guide_tells_learners_the_steps_in_the_guides_words(client, db):
    page = client.get(reverse("core:guide")).content.decode()
    for words in ("注册", "登录", "我要报名", "我的证书", "学时档案",
                  "根据您的选择的报名专业，暂未找到开始报名的继续教育基地"):  # fmt: skip
        assert words in page


def test_the_login_page_leads_to_the_front_doors_certificate_check(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("core:home")}#verify"' in page


def test_a_signed_in_user_still_gets_their_home_at_the_root(client_for, base_user):
    page = client_for(base_user).get(reverse("core:home")).content.decode()
    assert "欢迎使用继续教育系统" in page and 'id="verify"' not in page


def test_base_home_counts_filings(client_for, base_user, filing):
    page = client_for(base_user).get(reverse("core:home")).content.decode()
    assert "培训前备案" in page and "正在报名的培训班" in page and "学员报名待审核" in page


def test_base_home_counts_recognitions_apart_from_filings(client_for, base, base_user, filing):
    from demo import factories as f

    recognition = f.complete_filing(base, base_user, purpose="recognition", planned_count=30)
    engine.perform(recognition, "submit", actor=base_user)
    cards = {c.title: c for c in client_for(base_user).get(reverse("core:home")).context["cards"]}
    assert (cards["培训前备案"].value, cards["学时认定"].value) == ("1", "1")
    assert cards["学时认定"].note == "其中待人社审核 1 项、审核通过 0 项"


def test_regional_hr_home_counts_recognitions_waiting(client_for, base, base_user, hr_region_user):
    from demo import factories as f

    engine.perform(f.complete_filing(base, base_user, purpose="recognition", planned_count=30), "submit",
                   actor=base_user)  # fmt: skip
    cards = {c.title: c.value for c in client_for(hr_region_user).get(reverse("core:home")).context["cards"]}
    assert cards["学时认定待审核"] == "1" and cards["培训前备案待审核"] == "0"


def test_the_side_menu_marks_the_page_shown_and_groups_its_entries(client_for, learner_user):
    page = client_for(learner_user).get(reverse("certificates:mine")).content.decode()
    menu = page[page.index('<nav id="sidemenu"') :]
    menu = menu[: menu.index("</nav>")]
    current = f'<a href="{reverse("certificates:mine")}" class="active" aria-current="page">我的证书</a>'
    assert f'<li><span class="group">电子证书</span><ul><li>{current}' in menu
    assert menu.count('aria-current="page"') == 1
    assert f'<a href="{reverse("core:home")}">我的主页</a>' in menu
