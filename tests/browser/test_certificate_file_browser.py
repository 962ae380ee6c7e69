"""证书查验 by file in Chromium: 张三 downloads a certificate from 我的证书; a visitor on a phone uploads it and
is told it is genuine; once HR has revoked it, the same file is told revoked, with the date and the reason."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from .conftest import login, logout

# Where the result page's screenshots go (at phone and desktop width), to be looked at.
SHOTS = Path(os.environ.get("JXJY_VERIFY_SHOTS", "/tmp/verify-shots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def download_a_certificate(page, tmp_path) -> tuple[str, Path]:
    """张三's first valid certificate from 我的证书: its number and the file saved."""
    login(page, "650102199001011239")
    page.locator("nav.sidemenu").get_by_role("link", name="我的证书", exact=True).click()
    expect(page).to_have_url(re.compile(r"/certificates/mine/$"))
    row = page.get_by_role("row").filter(has=page.locator(".status-approved")).first
    number = row.locator("td").first.inner_text().strip()
    with page.expect_download() as download:
        row.get_by_role("link", name="下载").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and number in path.name
    return number, path


def upload(page, file: Path):
    """证书查验 of `file`: picked (its name shows next to the picker) and sent; returns the result block."""
    page.get_by_label("证书文件").set_input_files(str(file))
    expect(page.locator("[data-file-names=file]")).to_have_text(file.name)
    page.get_by_role("button", name="验证文件").click()
    result = page.locator(".verify-result")
    expect(result).to_be_visible()
    return result


def shoot(page, name: str) -> None:
    """The page at phone and at desktop width, whole; it fits the phone's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        assert page.evaluate(NO_OVERFLOW), f"{name} is wider than {size['width']} px"
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_a_visitor_checks_a_downloaded_certificate_file(page, tmp_path):
    from jxjy.accounts.models import Role, User
    from jxjy.certificates.models import Certificate
    from jxjy.certificates.services import revoke

    number, file = download_a_certificate(page, tmp_path)
    logout(page)

    page.set_viewport_size(PHONE)
    page.goto("/certificates/verify/")
    expect(page.get_by_role("heading", name="证书查验")).to_be_visible()
    assert page.evaluate(NO_OVERFLOW), "the empty 证书查验 page is wider than the phone"
    result = upload(page, file)
    expect(result.get_by_role("heading")).to_have_text("✔ 证书真实有效")
    expect(result).to_contain_text(number)
    expect(result).to_contain_text("张*")
    expect(result).to_contain_text("签章时间")
    assert page.evaluate(NO_OVERFLOW), "the result is wider than the phone"
    shoot(page, "verify-file-valid")

    # The issuing HR office revokes the certificate; the very same file is now told revoked.
    cert = Certificate.objects.get(number=number)
    hr = User.objects.filter(organisation=cert.issuer, role__in=[Role.HR_REGION, Role.HR_PREFECTURE]).first()
    revoke(cert, actor=hr, reason="培训记录有误")
    result = upload(page, file)
    expect(result.get_by_role("heading")).to_contain_text("✘ 证书已撤销（")
    expect(result.get_by_role("heading")).to_contain_text("原因：培训记录有误")
    expect(result).to_contain_text(number)
    assert "证书真实有效" not in result.inner_text()
    assert page.evaluate(NO_OVERFLOW), "the revoked result is wider than the phone"
    shoot(page, "verify-file-revoked")

    # A file that is not a PDF: a plain message in the page, nothing else.
    text = tmp_path / "证书.pdf.txt"
    text.write_text("这不是PDF文件")
    page.get_by_label("证书文件").set_input_files(str(text))
    page.get_by_role("button", name="验证文件").click()
    expect(page.get_by_role("alert")).to_have_text("该文件不是 PDF 文件，请上传本平台下载的 PDF 文件。")
    assert page.evaluate(NO_OVERFLOW)
