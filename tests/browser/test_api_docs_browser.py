"""The API docs page (Swagger UI) works in Chromium under the site's own CSP: no inline script or style."""

from playwright.sync_api import expect

from .conftest import screenshot


def test_docs_page_lists_every_operation_and_tries_one(page):
    page.goto("/api/docs/")
    expect(page.locator(".opblock")).to_have_count(7)
    expect(page.locator(".info .title")).to_contain_text("继续教育系统开放接口")
    block = page.locator(".opblock", has_text="/api/v1/certificates/verify/{code}")
    block.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("input[placeholder='code']").fill("no-such-code")
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table")
    expect(answer.locator(".response-col_status").first).to_be_visible()
    expect(answer).to_contain_text("未查到该证书")
    screenshot(page, "api-docs")
