"""Signing in with the second factor and administering an account, in Chromium (CSP violations fail)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jxjy.accounts.models import Role, User

from ..account_helpers import code
from .conftest import DEMO_PASSWORD, expect_message, login, screenshot


def test_demo_sysadmin_passes_the_second_factor_and_resets_a_password(page):
    login(page, "admin")  # password, then a code from the published demo secret
    page.locator("nav.sidemenu a", has_text="系统管理").click()
    page.get_by_role("link", name="账号", exact=True).first.click()
    page.get_by_role("link", name="jd_wlmq", exact=True).click()
    page.get_by_role("button", name="重置密码").click()
    shown = page.locator(".temporary-password")
    expect(shown).to_have_text(re.compile(r"^\S{12}$"))
    temporary = shown.inner_text()
    screenshot(page, "account-reset-password")
    assert User.objects.get(username="jd_wlmq").must_change_password

    page.context.clear_cookies()
    login(page, "jd_wlmq", temporary)
    expect(page).to_have_url(re.compile(r"/accounts/password/"))
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", "Shuili@2031x")
    page.fill("#id_new_password2", "Shuili@2031x")
    page.get_by_role("button", name="保存新密码").click()
    expect_message(page, "密码已修改。")


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
