"""忘记密码 end to end in Chromium: from the login page's link, by 身份证号, with the code from the SMS."""

import re

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, LOGIN_PAGE, expect_message, login, logout

ID_NUMBER = "650102199001011239"  # the demo learner 张三
MOBILE = "13899110001"
NEW_PASSWORD = "Xinmima@2026"


def sms_code(sms_sent) -> str:
    """The code of the newest SMS to 张三's mobile (the test backend fills the list once a row is delivered)."""
    texts = [m["text"] for m in sms_sent if m["mobile"] == MOBILE and "验证码" in m["text"]]
    assert texts, "no SMS code was sent"
    return re.search(r"验证码(\d{6})", texts[-1]).group(1)


def test_a_learner_resets_the_password_by_sms_and_the_older_session_ends(page, browser, demo, sms_sent):
    # An older session of the same account, in another browser.
    other = browser.new_context(base_url=demo.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    old = other.new_page()
    login(old, ID_NUMBER)
    old.goto("/accounts/password/")
    expect(old.get_by_role("heading", name="修改密码")).to_be_visible()

    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码").click()
    expect(page.get_by_role("heading", name="忘记密码")).to_be_visible()
    expect(page.get_by_text("工作人员账号请联系本单位安全管理员重置密码")).to_be_visible()
    page.get_by_label("身份证号或手机号").fill(ID_NUMBER)
    page.get_by_role("button", name="获取验证码").click()
    expect_message(page, "如果该身份证号或手机号已注册，验证码已发送至注册手机（尾号不显示）。")
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible()

    page.get_by_label("短信验证码").fill(sms_code(sms_sent))
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(LOGIN_PAGE)
    expect_message(page, "密码已重新设置，请使用新密码登录。")

    # The older session is gone: its next page is the login page.
    old.goto("/accounts/password/")
    expect(old).to_have_url(LOGIN_PAGE)
    other.close()

    # The old password no longer works; the new one does.
    page.get_by_label("账号", exact=True).fill(ID_NUMBER)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("账号或密码错误，请重新输入。")
    login(page, ID_NUMBER, NEW_PASSWORD)
    expect(page).not_to_have_url(LOGIN_PAGE)
    logout(page)
