"""系统管理 in Chromium: the 系统管理员 signs in with the second factor, opens 系统管理 from the menu, finds a learner
by the 身份证号 and reads the rules in force (CSP violations and JavaScript errors fail)."""

import re

from playwright.sync_api import expect

from .conftest import login, screenshot

LEARNER = "650102199001011239"  # 张三 of the demo


def test_the_sysadmin_finds_a_learner_by_id_number_and_reads_the_rules(page):
    login(page, "admin")  # password, then a code from the published demo secret
    page.locator("nav.sidemenu a", has_text="系统管理").click()
    expect(page).to_have_url(re.compile(r"/sysadmin/$"))
    expect(page.get_by_role("heading", name="系统管理")).to_be_visible()
    screenshot(page, "sysadmin-index")

    page.get_by_role("link", name="账号管理", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/sysadmin/accounts/"))
    page.get_by_label("姓名、账号、身份证号或手机号").fill(LEARNER)
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table.grid tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三")
    expect(rows.first).to_contain_text("6501**********1239")  # masked, never in full
    expect(page.locator("main")).not_to_contain_text(LEARNER)
    screenshot(page, "sysadmin-account-by-id-number")

    rows.first.get_by_role("link", name="详情").click()
    expect(page.get_by_role("heading", name="账号详情")).to_be_visible()
    expect(page.locator("main")).to_contain_text("学员")

    page.locator("nav.sysadmin-nav").get_by_role("link", name="规则设置").click()
    expect(page).to_have_url(re.compile(r"/sysadmin/rules/$"))
    hours = page.locator("tr[data-rule=JXJY_YEARLY_HOURS]")
    expect(hours).to_contain_text("每年应完成学时")
    expect(hours.locator(".rule-value")).to_contain_text(re.compile(r"\d+"))
    screenshot(page, "sysadmin-rules")

    hours.get_by_role("link", name=re.compile("修改")).click()
    page.get_by_label("每年应完成学时").fill("1001")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field.has-error .error")).to_have_text("每年应完成学时应在1到1000之间。")
    screenshot(page, "sysadmin-rule-refused")
