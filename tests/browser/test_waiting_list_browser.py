"""候补 and the seat a returned learner keeps, in Chromium, on the demo's small class (乌鲁木齐市水利继续教育基地,
4 seats: 张三 待审核, 王五 and 赵六 审核通过, 李四 已保存)."""

import re

from playwright.sync_api import expect

from demo import factories as f
from jxjy.trainings.models import Registration, TrainingClass

from .conftest import click_and_accept, expect_message, login, logout, switch_user
from .test_registration_browser import choose_specialty

SMALL_BASE = "乌鲁木齐市水利继续教育基地"
ZHANG, LI = "650102199001011239", "650102198803150025"


def small_class() -> TrainingClass:
    return TrainingClass.objects.get(base__name=SMALL_BASE, seat_limit=4)


def registration_of(name: str) -> Registration:
    return Registration.objects.exclude(status="withdrawn").get(training_class=small_class(), name=name)


def open_my_registration(page, reg: Registration) -> None:
    """继续教育专业课 → the registration's row → 查看."""
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    expect(page).to_have_url(re.compile(r"/trainings/my/$"))
    page.locator(f'tr[data-registration="{reg.pk}"]').get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/trainings/registrations/{reg.pk}/$"))


def li_takes_the_last_seat(page) -> None:
    switch_user(page, LI)
    open_my_registration(page, registration_of("李四"))
    page.get_by_role("button", name="提交").click()
    expect_message(page, "报名已提交")


def test_returned_learner_resubmits_before_the_deadline_and_keeps_the_seat(page):
    # The base returns 张三 for a correction.
    login(page, "jd_wlmq")
    page.locator("nav.sidemenu a", has_text="学员报名审核").click()
    expect(page).to_have_url(re.compile(r"/trainings/registrations/review/$"))
    page.locator(f'a[href="/trainings/registrations/{registration_of("张三").pk}/"]').click()
    page.fill("#opinion", "请将工作单位填写为单位全称。")
    page.get_by_role("button", name="退回").click()
    expect_message(page, "已退回")

    # 李四 takes the last seat: 张三's is still his.
    li_takes_the_last_seat(page)
    expect(page.locator(".page-head .status")).to_have_text("待审核")

    # 张三 sees the seat is kept until the deadline, corrects and resubmits: not refused for lack of seats.
    switch_user(page, ZHANG)
    open_my_registration(page, registration_of("张三"))
    expect(page.locator("main")).to_contain_text("名额为您保留至该时间")
    page.get_by_role("link", name="修改", exact=True).click()
    page.fill("#id_work_unit", "新疆水利水电勘测设计研究院（全称）")
    page.get_by_role("button", name="保存").click()
    expect_message(page, "报名信息已保存")
    page.get_by_role("button", name="提交").click()
    expect_message(page, "报名已提交")
    expect(page.locator(".page-head .status")).to_have_text("待审核")


def test_learner_joins_the_waiting_list_and_is_promoted_when_a_seat_frees(page, sms_sent):
    li_takes_the_last_seat(page)  # the class is now full
    id_number = f.learner(900).id_number  # a learner with no registration yet (password: f.PASSWORD)

    # The newcomer finds the class 已满 with 候补 at step ②, fills step ③ and joins the line.
    logout(page)
    login(page, id_number, f.PASSWORD)
    choose_specialty(page, "工程系列", "水利专业", "工程师")
    row = page.locator("tbody tr").filter(has=page.locator(f'input[value="{small_class().pk}"]'))
    expect(row).to_contain_text("已满")
    expect(row).to_contain_text("候补")
    row.get_by_role("radio").check()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\d+/"))
    expect(page.locator("main")).to_contain_text("报名人数已满")
    page.fill("#id_current_title", "助理工程师")
    page.get_by_role("button", name="加入候补").click()
    expect_message(page, "已加入候补，当前为候补第 1 位")
    expect(page.locator("[data-waiting-place]")).to_contain_text("候补第 1 位")
    waiting_url = page.url

    # 张三 withdraws his registration: the seat goes to the first in line at once.
    switch_user(page, ZHANG)
    open_my_registration(page, registration_of("张三"))
    click_and_accept(page, page.get_by_role("button", name="撤回"))
    expect_message(page, "报名已撤回")

    # The newcomer is told in 站内消息, and by SMS.
    logout(page)
    login(page, id_number, f.PASSWORD)
    page.locator("header").get_by_role("link", name=re.compile("站内消息")).first.click()
    expect(page.get_by_role("heading", name="站内消息")).to_be_visible()
    expect(page.locator("main")).to_contain_text("候补递补成功")
    page.goto(waiting_url)
    expect(page.locator(".page-head .status")).to_have_text("待审核")
    expect(page.locator("main")).to_contain_text("系统（候补递补）")
    assert any("候补递补成功" in str(m) and m.get("mobile", m.get("to", "")) != "" for m in sms_sent), sms_sent
