"""Chromium through Playwright against pytest-django's live server, with the real demo accounts.

Debian's Chromium is used (Playwright's own browser download is not available here). Every test
under tests/browser is marked `browser`; a page fails its test on any JavaScript error.

Tests wait for what a person would see — the new address, a heading, the message at the top, a
file's name next to its picker — with Playwright's `expect(...)`, never for a fixed time. How long
they may wait is set here once (TIMEOUT_MS) and is generous: on a busy machine (both cores taken by
another suite) a page can take seconds, and a test that fails should fail because the page never
showed what it should, not because it showed it late.
"""

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from such a
# thread unless told that it is safe (it is: the loop belongs to Playwright, not to Django).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "Demo@2026"
# How long an action (click, fill) or an expectation waits for its element or state, and a navigation
# for its page: the one place these are set. JXJY_BROWSER_TIMEOUT_MS=60000 for a slower machine still.
TIMEOUT_MS = int(os.environ.get("JXJY_BROWSER_TIMEOUT_MS", "30000"))
NAVIGATION_TIMEOUT_MS = 2 * TIMEOUT_MS
LOGIN_PAGE = re.compile(r"/accounts/login/")
SECOND_FACTOR_PAGE = re.compile(r"/accounts/otp/")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Before the root conftest sorts on the marker, so that these tests still run last.
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium not found at {CHROMIUM} (Debian package `chromium`); browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server, demo_snapshot_once, settings):
    """The demo (loaded once per run, tests/demo_snapshot.py) in the live server's database."""
    from tests.demo_snapshot import restore

    restore(demo_snapshot_once, Path(settings.MEDIA_ROOT))
    settings.JXJY_SITE_URL = live_server.url  # the platform's public address: QR codes lead back here
    return live_server


@pytest.fixture
def page(browser, demo):
    """A fresh browser context as a user in Ürümqi would have it; any page error fails the test."""
    context = browser.new_context(
        base_url=demo.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1360, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    # A page the Content Security Policy breaks is broken for its users too.
    page.on(
        "console",
        lambda msg: errors.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not errors, "JavaScript errors on the page:\n" + "\n".join(errors)


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login page (the one in front of the page, if a redirect put it there).

    Returns once the browser has left the login page (and the 二次验证 page, for the roles that have one).
    """
    if not LOGIN_PAGE.search(page.url):
        page.goto("/accounts/login/")
    page.get_by_label("账号", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(LOGIN_PAGE)
    if "/accounts/otp/verify/" in page.url:
        enter_code(page, username)


def enter_code(page, username: str) -> None:
    """二次验证 as the demo's authenticator app would answer: a code from the README's published secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jxjy.accounts.demo_credentials import DEMO_TOTP_KEY
    from tests.account_helpers import fresh_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    assert device.key == DEMO_TOTP_KEY
    for _ in range(3):  # as a person does when told the code was used already: wait for the next one
        page.fill("#id_token", fresh_code(device))
        with page.expect_navigation():  # the answer to the POST: the page asked for, or this one with its message
            page.get_by_role("button", name="验证", exact=True).click()
        if not SECOND_FACTOR_PAGE.search(page.url) or not page.get_by_text("验证码不正确或已使用过").is_visible():
            break
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
    expect(page).not_to_have_url(SECOND_FACTOR_PAGE)


def logout(page) -> None:
    """退出, and wait for the login page it leads to."""
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(LOGIN_PAGE)


def switch_user(page, username: str) -> None:
    """退出 (if someone is signed in), then sign in as `username`."""
    if page.get_by_role("button", name="退出").count():
        logout(page)
    login(page, username)


def open_waiting(page, kind: str, row_text: str) -> None:
    """From the menu's 待审核 list of `kind` (prefiling, training, recognition, completion, recognition_scores),
    open the row that shows `row_text` with its 审核 link."""
    page.locator(f'nav.sidemenu a[href="/review/{kind}/waiting/"]').click()
    expect(page).to_have_url(re.compile(rf"/review/{kind}/waiting/$"))
    page.get_by_role("row").filter(has_text=row_text).get_by_role("link", name="审核", exact=True).click()


def expect_message(page, text: str) -> None:
    """The message at the top of the page (保存成功, 已通过, ...) says `text`: the page a POST led to is here."""
    expect(page.locator(".messages")).to_contain_text(text)


def scripts_ran(page) -> None:
    """The page's own scripts (at the end of <body>) have run: its confirmations, tabs and file pickers work.

    These show nothing before they are used, so there is nothing visible to wait for; call this only after
    something visible of the page itself (its address, heading or message), so that it is the new page's
    DOMContentLoaded that is awaited, not the one of the page being left.
    """
    page.wait_for_load_state("domcontentloaded")


def click_and_accept(page, target) -> list[str]:
    """Click `target`, which asks first (window.confirm), and say yes.

    The question goes into the list returned, once the dialog has been shown; wait for what the click leads
    to (its message or page) before reading it. The page's scripts are awaited first: clicked before they
    ran, the button would act without asking.
    """
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    scripts_ran(page)
    page.once("dialog", answer)
    target.click()
    return questions


def open_tab(page, name: str):
    """Show one tab of a 详情 page (备案内容 / 审核日志) and return its panel once it is shown."""
    scripts_ran(page)
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.locator(f"[data-panel='{tab.get_attribute('data-tab')}']")
    expect(panel).to_be_visible()
    return panel


UNSTICK = """() => {
    for (const el of document.querySelectorAll("body *")) {
        if (getComputedStyle(el).position === "sticky") el.setAttribute("data-unstuck", el.style.position || " ");
    }
    for (const el of document.querySelectorAll("[data-unstuck]")) el.style.position = "static";
}"""
RESTICK = """() => {
    for (const el of document.querySelectorAll("[data-unstuck]")) {
        el.style.position = el.getAttribute("data-unstuck").trim();
        el.removeAttribute("data-unstuck");
    }
}"""


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """A PNG under var/screenshots/ (the path is returned, to look at or attach).

    A full-page shot would draw a sticky bar (the form's buttons) over the middle of the page,
    where the viewport ended; for the shot it is laid out where it stands in the page.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    if full_page:
        page.evaluate(UNSTICK)
    try:
        page.screenshot(path=str(path), full_page=full_page)
    finally:
        if full_page:
            page.evaluate(RESTICK)
    return path


COMPLETION_CLASS = "水利信息化应用能力培训班"


@pytest.fixture
def finished_class(demo):
    """jd_sl's class that ended yesterday, with 张三 and 李四 approved (made as of the days it happened)."""
    from demo.filings import approved_filing
    from demo.history import enrol, history_class
    from demo.timeline import days_ago
    from jxjy.accounts.models import Learner, User
    from jxjy.core import clock

    sl, slt, rst = (User.objects.get(username=u) for u in ("jd_sl", "slt", "rst_zjc"))
    learners = [Learner.objects.get(name="张三"), Learner.objects.get(name="李四")]
    today = clock.today()  # the filing dates below count from today, not from the day it was filed
    with days_ago(21):
        filing = approved_filing(sl, slt, rst, name=COMPLETION_CLASS, subject="professional", hours=40,
                                 start=today - dt.timedelta(days=5))  # fmt: skip
        c = history_class(filing, sl, rst, year=today.year)
        enrol(c, learners, sl)
    return c
