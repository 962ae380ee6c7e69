"""The whole 培训前备案 route in Chromium, as the guide's 备案进度查询 and 主管部门 sections describe it:
a return with an opinion, 修改, resubmission, the department's pass, 生成表格/下载表格, the stamped scan
forwarded to HR, and HR's final approval — with every step in the 审核日志."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from demo.factories import PDF

from .conftest import click_and_accept, expect_message, login, open_tab, screenshot, switch_user

YEAR = dt.date.today().year


def open_filings(page) -> None:
    """The base's menu item: 自治区级基地培训前备案 / 地州级基地培训前备案."""
    page.locator("nav.sidemenu a", has_text="基地培训前备案").click()
    expect(page).to_have_url(re.compile(r"/filings/pre/$"))


def row_of(page, class_name: str):
    """The list row whose 培训班名称 cell is exactly `class_name`."""
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=class_name, exact=True))


def open_waiting(page, class_name: str) -> None:
    page.locator('nav.sidemenu a[href="/review/prefiling/waiting/"]').click()  # 培训前备案审核 → 待审核
    expect(page).to_have_url(re.compile(r"/review/prefiling/waiting/$"))
    row_of(page, class_name).get_by_role("link", name="审核").click()
    expect(page).to_have_url(re.compile(r"/filings/pre/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(class_name)


def log_rows(page) -> list[list[str]]:
    rows = open_tab(page, "审核日志").locator(".audit-log tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


@pytest.mark.parametrize(
    ("base", "hr", "hr_name", "class_name"),
    [
        (
            "jd_sl",
            "rst_zjc",
            "自治区人力资源和社会保障厅专业技术人员管理处",
            f"{YEAR}年水利（水电）行业专业技术人员继续教育培训班",
        ),
        (
            "jd_wlmq",
            "wlmq_rsj",
            "乌鲁木齐市人力资源和社会保障局",
            f"{YEAR}年乌鲁木齐市水利行业专业技术人员继续教育培训班",
        ),
    ],
)
def test_full_route_with_a_return(page, base, hr, hr_name, class_name, tmp_path):
    # 主管部门 returns the submitted filing with an opinion.
    login(page, "slt")
    open_waiting(page, class_name)
    page.fill("#opinion", "师资情况请补充讲授课程的学时安排。")
    page.get_by_role("button", name="退回").click()
    expect_message(page, "已退回")

    # The base sees the return and its opinion in 审核日志, changes the filing and submits again.
    switch_user(page, base)
    open_filings(page)
    row = row_of(page, class_name)
    expect(row).to_contain_text("已退回")
    row.get_by_role("link", name="详情").click()
    expect(page).to_have_url(re.compile(r"/filings/pre/\d+/$"))
    assert "回退，修改意见：师资情况请补充讲授课程的学时安排。" in " ".join(" ".join(row) for row in log_rows(page))
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page).to_have_url(re.compile(r"/filings/pre/\d+/edit/$"))
    page.fill("#id_venue", "乌鲁木齐市南湖北路水利科技培训中心三楼报告厅")
    page.get_by_role("button", name="保存", exact=True).click()
    expect_message(page, "保存成功")
    click_and_accept(page, page.get_by_role("button", name="提交", exact=True))
    expect_message(page, "提交成功")
    expect(row_of(page, class_name)).to_contain_text("待主管部门审核")

    # 主管部门 passes it.
    switch_user(page, "slt")
    open_waiting(page, class_name)
    expect(page.locator("main")).to_contain_text("三楼报告厅")
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")

    # The base generates and downloads the 申报表.
    switch_user(page, base)
    open_filings(page)
    row_of(page, class_name).get_by_role("link", name="详情").click()
    page.get_by_role("button", name="生成表格").click()
    expect_message(page, "表格已生成")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载表格").click()
    path = tmp_path / "form.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and "申报表" in download.value.suggested_filename

    # 主管部门 uploads the double-stamped scan and 提交 to HR (by the base's level).
    switch_user(page, "slt")
    open_waiting(page, class_name)
    scan = tmp_path / "盖章申报表扫描件.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("盖章扫描件").set_input_files(str(scan))
    asked = click_and_accept(page, page.locator("[data-panel-kind=stamped]").get_by_role("button", name="提交"))
    expect_message(page, f"已提交至{hr_name}审核")
    assert asked == ["确定将该备案提交到人社部门审核吗？"]

    # HR approves: 备案通过.
    switch_user(page, hr)
    open_waiting(page, class_name)
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")

    switch_user(page, base)
    open_filings(page)
    row = row_of(page, class_name)
    expect(row).to_contain_text("备案通过")
    row.get_by_role("link", name="详情").click()
    expect(page).to_have_url(re.compile(r"/filings/pre/\d+/$"))
    steps = [(r[4], r[6]) for r in log_rows(page)]
    assert [s[0] for s in steps] == ["提交", "退回", "提交", "通过", "提交", "通过"]
    assert "师资情况请补充讲授课程的学时安排。" in steps[1][1]
    screenshot(page, f"route-{base}-log")
