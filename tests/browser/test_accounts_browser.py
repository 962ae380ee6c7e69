"""Signing in with the second factor and administering an account, in Chromium (CSP violations fail)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from jxjy.accounts.models import Role, User

from ..account_helpers import code
from .conftest import DEMO_PASSWORD, login, screenshot


def test_demo_sysadmin_passes_the_second_factor_and_resets_a_password(page):
    login(page, "admin")  # password, then a code from the published demo secret
    page.locator("nav.sidemenu a", has_text="系统管理").click()
    page.get_by_role("link", name="账号", exact=True).first.click()
    page.get_by_role("link", name="jd_wlmq", exact=True).click()
    page.get_by_role("button", name="重置密码").click()
    temporary = page.locator(".temporary-password").inner_text()
    screenshot(page, "account-reset-password")
    assert len(temporary) == 12 and User.objects.get(username="jd_wlmq").must_change_password

    page.context.clear_cookies()
    login(page, "jd_wlmq", temporary)
    page.wait_for_url("**/accounts/password/**")
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", "Shuili@2031x")
    page.fill("#id_new_password2", "Shuili@2031x")
    page.get_by_role("button", name="保存新密码").click()
    page.get_by_text("密码已修改。").wait_for()


def test_a_new_reviewer_enrols_with_the_qr_code(page):
    user = User.objects.get(username="wlmq_rsj")
    TOTPDevice.objects.filter(user=user).delete()  # as if the account were new
    page.goto("/accounts/login/")
    page.fill("#id_username", "wlmq_rsj")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/accounts/otp/setup/**")
    qr = page.get_by_alt_text("身份验证器二维码")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "otp-setup")
    device = TOTPDevice.objects.get(user=user)
    page.fill("#id_token", code(device))
    page.get_by_role("button", name="绑定").click()
    page.get_by_text("身份验证器绑定成功").wait_for()
    assert user.role == Role.HR_PREFECTURE and TOTPDevice.objects.get(user=user).confirmed
