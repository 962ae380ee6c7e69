"""Signing in with the second factor and administering an account, in Chromium (CSP violations fail)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jxjy.accounts.models import Role, User

from ..account_helpers import code
from ..test_dual_control import link_mailed_to
from .conftest import DEMO_PASSWORD, click_and_accept, expect_message, login, screenshot


def test_the_secadmin_resets_a_password_and_the_holder_sets_a_new_one_by_the_link(page):
    login(page, "secadmin")  # password, then a code from the published demo secret
    page.locator("nav.sidemenu a", has_text="账号与角色").click()
    page.fill("input[name=q]", "jd_wlmq")
    page.get_by_role("button", name="查询").click()
    row = page.locator("tr", has_text="jd_wlmq")
    questions = click_and_accept(page, row.get_by_role("button", name="重置密码"))
    expect_message(page, "已重置 jd_wlmq 的密码，设置密码的链接已发送至")
    assert questions and "设置密码的链接将发送至本人邮箱" in questions[0]
    screenshot(page, "account-reset-password")
    user = User.objects.get(username="jd_wlmq")
    assert not user.has_usable_password()

    page.context.clear_cookies()
    page.goto(link_mailed_to(user))
    page.fill("#id_new_password1", "Shuili@2031x")
    page.fill("#id_new_password2", "Shuili@2031x")
    page.get_by_role("button", name="保存密码").click()
    expect_message(page, "账号 jd_wlmq 的密码已设置，请登录。")
    login(page, "jd_wlmq", "Shuili@2031x")
    expect(page.locator("nav.sidemenu")).to_contain_text("培训前备案")


def test_a_new_reviewer_enrols_with_the_qr_code(page):
    user = User.objects.get(username="wlmq_rsj")
    TOTPDevice.objects.filter(user=user).delete()  # as if the account were new
    page.goto("/accounts/login/")
    page.fill("#id_username", "wlmq_rsj")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/setup/"))
    qr = page.get_by_alt_text("身份验证器二维码")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())  # drawn
    screenshot(page, "otp-setup")
    device = TOTPDevice.objects.get(user=user)
    page.fill("#id_token", code(device))
    page.get_by_role("button", name="绑定").click()
    expect_message(page, "身份验证器绑定成功")
    assert user.role == Role.HR_PREFECTURE and TOTPDevice.objects.get(user=user).confirmed
