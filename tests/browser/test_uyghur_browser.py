"""ئۇيغۇرچە in Chromium: a learner and a base choose Uyghur with the switch on the login page, sign in, and walk
我要报名 and the 申报表. Each page is right to left (<html dir="rtl">), its menu, headings and buttons are in
Uyghur, and it fits the window, on a phone (390 px) and on a desktop. Screenshots of each page in both
languages go to var/screenshots/ (uyghur-*), side by side, to look at."""

import re

from django.utils import translation
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, screenshot, scripts_ran

LEARNER = "650102199001011239"  # 张三, with an open class to register for
BASE = "jd_sl"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 900}
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def ug(msgid: str) -> str:
    with translation.override("ug"):
        return translation.gettext(msgid)


def sign_in_in_uyghur(page, username: str) -> None:
    """The login page in Chinese, the switch to ئۇيغۇرچە, then the Uyghur login form."""
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.locator(".language-switch").get_by_role("button", name="ئۇيغۇرچە").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ug")
    page.get_by_label(ug("账号"), exact=True).fill(username)
    page.get_by_label(ug("密码"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=ug("登录"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def looks_uyghur(page, name: str, *menu: str) -> None:
    """Right to left; the menu entries, the heading and every button that sends the form in Uyghur; no sideways
    scrolling at a desktop's width or a phone's."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = page.locator("main h1").first.inner_text()
    assert ARABIC.search(heading), heading
    for label in menu:
        expect(page.locator("nav.sidemenu").get_by_role("link", name=ug(label))).to_have_count(1)
    buttons = [b for b in page.locator("main button[type=submit]:visible").all_inner_texts() if b.strip()]
    assert all(ARABIC.search(b) for b in buttons), buttons
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.wait_for_load_state("load")
        assert page.evaluate(NO_OVERFLOW), f"{page.url} is wider than {viewport['width']} px"
        screenshot(page, f"uyghur-{name}-{viewport['width']}", full_page=False)
    page.set_viewport_size(DESKTOP)


def chinese_beside(page, name: str) -> None:
    """The same page in Chinese (the switch again), for the side-by-side screenshots; then back to Uyghur."""
    page.locator(".language-switch").get_by_role("button", name="简体中文").first.click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        screenshot(page, f"chinese-{name}-{viewport['width']}", full_page=False)
    page.set_viewport_size(DESKTOP)
    page.locator(".language-switch").get_by_role("button", name="ئۇيغۇرچە").first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_learner_registers_in_uyghur(page):
    sign_in_in_uyghur(page, LEARNER)
    looks_uyghur(page, "home", "我的主页", "继续教育专业课")
    page.locator("nav.sidemenu").get_by_role("link", name=ug("继续教育专业课")).click()
    page.get_by_role("link", name=ug("我要报名")).click()
    expect(page).to_have_url(re.compile(r"/trainings/register/$"))
    looks_uyghur(page, "register-1")
    # The seeded catalogue's names in Uyghur too (a name the 系统管理员 adds is shown as entered).
    page.select_option("#series", label=ug("工程系列"))
    page.select_option("#specialty", label=ug("水利专业"))
    page.select_option("#level", label=ug("工程师"))
    page.get_by_role("button", name=ug("下一步")).click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\?"))
    looks_uyghur(page, "register-2")
    page.get_by_role("radio").first.check()
    scripts_ran(page)
    page.get_by_role("button", name=ug("下一步")).click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\d+/"))
    # The masked 身份证号 and 手机号 stay left to right inside the Uyghur page (isolated), not 1239…6501.
    for value in ("6501**********1239", "138****0001"):
        expect(page.locator("main bdi", has_text=value)).to_have_css("direction", "ltr")
    looks_uyghur(page, "register-3")
    chinese_beside(page, "register-3")


def test_a_base_opens_the_application_form_in_uyghur(page):
    sign_in_in_uyghur(page, BASE)
    looks_uyghur(page, "base-home", "培训后备案", "培训信息管理")
    page.locator('nav.sidemenu a[href="/filings/pre/"]').click()
    page.get_by_role("link", name=ug("新增备案"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/filings/pre/new/"))
    looks_uyghur(page, "filing-form")
    # A refused save answers in Uyghur, next to the field.
    page.get_by_role("button", name=ug("保存"), exact=True).click()
    expect(page.locator(".field.has-error .error").first).to_be_visible()
    errors = page.locator(".field.has-error .error").all_inner_texts()
    assert errors and all(ARABIC.search(e) for e in errors), errors
    chinese_beside(page, "filing-form")
