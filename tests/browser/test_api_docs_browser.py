"""The API docs page (Swagger UI) works in Chromium under the site's own CSP: no inline script or style."""

from .conftest import screenshot


def test_docs_page_lists_every_operation_and_tries_one(page):
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == 6
    assert "继续教育系统开放接口" in page.locator(".info .title").inner_text()
    block = page.locator(".opblock", has_text="/api/v1/certificates/verify/{code}")
    block.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("input[placeholder='code']").fill("no-such-code")
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table")
    answer.locator(".response-col_status").first.wait_for()
    assert "未查到该证书" in answer.inner_text()
    screenshot(page, "api-docs")
