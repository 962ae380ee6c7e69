"""Chromium through Playwright against pytest-django's live server, with the real demo accounts.

Debian's Chromium is used (Playwright's own browser download is not available here). Every test
under tests/browser is marked `browser`; a page fails its test on any JavaScript error.
"""

import os
import re
from pathlib import Path

import pytest

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
def demo(live_server, monkeypatch):
    """The rows the data migrations made (flushed with every live-server test) and the demo accounts."""
    from django.contrib.contenttypes.models import ContentType

    from jxjy.accounts.models import Organisation, Prefecture
    from jxjy.accounts.seed import seed_organisations
    from jxjy.catalog.models import Level, Series, Specialty
    from jxjy.catalog.seed import seed_catalogue
    from jxjy.core.demo import load_demo
    from jxjy.filings.demo import SAMPLE_PDF

    # The flush between live-server tests recreates content types under new ids; forget the old ones.
    ContentType.objects.clear_cache()
    seed_organisations(Prefecture, Organisation)
    seed_catalogue(Series, Specialty, Level)
    with monkeypatch.context() as patch:
        # The demo generates a 申报表 PDF for each reviewed filing; subsetting the CJK font takes
        # seconds apiece. These tests never open those files (test_application_pdf does).
        patch.setattr("jxjy.filings.application_form.render_application_form", lambda filing: SAMPLE_PDF)
        load_demo()
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
    context.set_default_timeout(10_000)
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
    """Sign in through the login page (the one in front of the page, if a redirect put it there)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/otp/verify/" in page.url:
        enter_code(page, username)


def enter_code(page, username: str) -> None:
    """二次验证 as the demo's authenticator app would answer: a code from the README's published secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jxjy.core.demo import DEMO_TOTP_KEY
    from tests.account_helpers import fresh_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    assert device.key == DEMO_TOTP_KEY
    page.fill("#id_token", fresh_code(device))
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/otp/" not in url)


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
