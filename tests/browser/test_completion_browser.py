"""培训后备案 to certificate in Chromium (guide §二.3, §五): the four steps with a refused and a corrected
score file, HR's approval, 张三's certificate, and the public verification by number and by QR code."""

import re
import shutil
import subprocess

import openpyxl
from playwright.sync_api import expect

from demo.factories import PDF

from .conftest import (
    COMPLETION_CLASS,
    click_and_accept,
    expect_message,
    login,
    logout,
    open_waiting,
    screenshot,
    switch_user,
)

CLASS = COMPLETION_CLASS


def fill_scores(path, rows_changed) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        row[2].value, row[3].value = 92, "合格"
        if row[0].value in rows_changed:
            row[2].value, row[3].value = rows_changed[row[0].value]
    wb.save(path)


def test_completion_filing_to_a_verified_certificate(page, finished_class, tmp_path):
    login(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训后备案").click()
    page.get_by_role("link", name="新增备案").click()
    expect(page).to_have_url(re.compile(r"/completions/new/$"))
    # ① 选择培训信息
    page.fill("#id_name", f"{CLASS}结业备案")
    offered = page.locator("#id_training_class option[data-parent]:not([hidden])")
    expect(offered).to_have_count(0)  # the classes of the chosen 培训前备案 only: none before one is chosen
    page.select_option("#id_pre_filing", label=CLASS)
    expect(offered).to_have_count(1)
    page.select_option(
        "#id_training_class", page.locator("#id_training_class option", has_text=CLASS).get_attribute("value")
    )
    page.get_by_role("button", name="下一步").click()
    # ② 填写备案
    expect(page).to_have_url(re.compile(r"/completions/\d+/details/$"))
    page.fill("#id_summary", "培训按计划完成，学员出勤率100%。")
    page.get_by_role("button", name="下一步").click()
    # ③ 导入学员成绩: the template, a file with errors, then the corrected file.
    expect(page).to_have_url(re.compile(r"/completions/\d+/scores/$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="下载成绩模板").click()
    template = tmp_path / "成绩.xlsx"
    download.value.save_as(template)
    fill_scores(template, {"张三": (120, "合格"), "李四": (80, "良好")})
    page.get_by_label("成绩文件").set_input_files(str(template))
    page.get_by_role("button", name="导入成绩").click()
    report = page.locator(".import-errors")
    expect(report).to_contain_text("成绩应在0到100之间")
    expect(report).to_contain_text("是否合格只能填写")
    expect(page.get_by_role("alert").filter(has_text="未写入任何成绩")).to_be_visible()
    expect(page.get_by_text("尚未导入成绩")).to_have_count(2)
    screenshot(page, "completion-import-errors")
    fill_scores(template, {})
    page.get_by_label("成绩文件").set_input_files(str(template))
    page.get_by_role("button", name="导入成绩").click()
    expect_message(page, "已导入2名学员的成绩")
    page.get_by_role("link", name="下一步").click()
    # ④ 附件上传, then 提交.
    expect(page).to_have_url(re.compile(r"/completions/\d+/attachments/$"))
    for label in ("签到表", "成绩汇总表", "培训总结"):
        file = tmp_path / f"{label}.pdf"
        file.write_bytes(PDF)
        page.get_by_label(label, exact=True).set_input_files(str(file))
    page.get_by_role("button", name="上传").click()
    expect_message(page, "附件已上传")
    asked = click_and_accept(page, page.get_by_role("button", name="提交"))
    expect_message(page, "培训后备案已提交")
    assert asked == ["数据提交后将不可修改，确定提交吗？"]

    # 人社厅专技处 approves: the certificates are issued.
    switch_user(page, "rst_zjc")
    open_waiting(page, "completion", CLASS)
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")

    # 张三 finds the certificate and downloads it.
    switch_user(page, "650102199001011239")
    page.locator("nav.sidemenu").get_by_role("link", name="我的证书", exact=True).click()
    expect(page).to_have_url(re.compile(r"/certificates/mine/$"))
    row = page.get_by_role("row").filter(has_text=CLASS)
    number = row.locator("td").first.inner_text().strip()
    code = row.locator("td").nth(1).inner_text().strip()  # the 查验码 printed beside the number
    with page.expect_download() as download:
        row.get_by_role("link", name="下载").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # Anyone verifies it: by number and 查验码, and by the QR code's link.
    logout(page)
    page.goto("/certificates/verify/")
    page.fill("#number", number)
    page.fill("#code", code)
    page.get_by_role("button", name="查验").click()
    result = page.locator(".verify-result")
    expect(result).to_contain_text("证书有效")
    expect(result).to_contain_text(CLASS)
    expect(result).to_contain_text("张*")
    screenshot(page, "certificate-verified")
    if shutil.which("pdftoppm"):
        import zxingcpp
        from PIL import Image

        subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "cert")], check=True)
        link = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("cert*.png"))))[0].text
        page.goto(link)
        expect(page.locator("main")).to_contain_text("证书有效")
        expect(page.locator("main")).to_contain_text(number)
