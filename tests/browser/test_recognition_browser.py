"""学时认定 in Chromium (guide §五.3), start to end: the base 申报s a class with its 实施方案 and 提交s it to
人社厅专技处, which returns it once and then passes it; the base publishes the class, 李四 registers and
is approved; after the class (a week later, by moving the clock) the base uploads the results from the
generated template and 报送s them; 专技处 approves the 备案 and 李四 finds the recognised hours, with their
certificate, in his 学时档案."""

import datetime as dt

import openpyxl

from ..factories import PDF
from .conftest import login, screenshot
from .test_review_route_browser import accept_next_dialog, switch_user

CLASS = "水利工程建设监理学时认定培训班"
PLACE = "水利科技大厦第三培训室"
LI = "650102198803150025"
TODAY = dt.date.today()


def local(delta: dt.timedelta) -> str:
    return (dt.datetime.now() + delta).strftime("%Y-%m-%dT%H:%M")


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def open_recognitions(page):
    page.locator("nav.sidemenu").get_by_role("link", name="学时认定", exact=True).click()
    return page.get_by_role("row").filter(has_text=CLASS)


def review_recognition(page, button: str, opinion: str = "") -> None:
    page.locator('nav.sidemenu a[href="/review/recognition/waiting/"]').click()
    page.get_by_role("row").filter(has_text=CLASS).get_by_role("link", name="审核", exact=True).click()
    assert "计划培训人数" in page.inner_text("body") and "继续教育培训实施方案.pdf" in page.inner_text("body")
    if opinion:
        page.fill("#opinion", opinion)
    page.get_by_role("button", name=button, exact=True).click()


def declare(page) -> None:
    """电子证书 → 学时认定 → 申报: the class details, the scope, the plan; then 提交."""
    open_recognitions(page)
    page.get_by_role("link", name="申报", exact=True).click()
    page.fill("#id_class_name", CLASS)
    page.fill("#id_start_date", (TODAY + dt.timedelta(days=3)).isoformat())
    page.fill("#id_end_date", (TODAY + dt.timedelta(days=5)).isoformat())
    page.fill("#id_venue", f"乌鲁木齐市天山区{PLACE}")
    picker = page.locator("[data-scope-picker]")
    picker.get_by_role("button", name="工程系列 >", exact=True).click()
    picker.get_by_role("button", name="水利专业 >", exact=True).click()
    picker.locator("[data-specialty-panel]:visible").get_by_label("工程师", exact=True).check()
    page.fill("#id_total_hours", "32")
    page.get_by_label("专业科目", exact=True).check()
    page.fill("#id_planned_count", "50")
    page.get_by_label("继续教育培训实施方案", exact=True).set_input_files(files=[pdf("继续教育培训实施方案.pdf")])
    screenshot(page, "recognition-declare")
    accept_next_dialog(page)
    page.get_by_role("button", name="提交", exact=True).click()
    assert "已提交至人社厅专技处审核" in page.inner_text(".messages")


def publish_class(page) -> None:
    """审核通过 → 发布报名: the 培训信息 comes with the filing chosen; 确定, 提交, and after 专技处 开启."""
    row = open_recognitions(page)
    assert "审核通过" in row.inner_text() and "待发布报名" in row.inner_text()
    row.get_by_role("link", name="发布报名").click()
    assert page.locator("#id_pre_filing option:checked").inner_text() == CLASS
    page.fill("#id_reg_start", local(-dt.timedelta(hours=1)))
    page.fill("#id_reg_end", local(dt.timedelta(days=2)))
    page.fill("#id_resubmit_deadline", local(dt.timedelta(days=2, hours=12)))
    page.fill("#id_report_place", "乌鲁木齐市天山区水利科技大厦一楼大厅")
    page.fill("#id_class_place", PLACE)
    page.fill("#id_contact", "李敏")
    page.fill("#id_contact_phone", "0991-4561234")
    page.get_by_role("button", name="确定").click()
    assert "保存成功" in page.inner_text(".messages")
    accept_next_dialog(page)
    page.get_by_role("row").filter(has_text=CLASS).get_by_role("button", name="提交").click()
    switch_user(page, "rst_zjc")
    page.locator('nav.sidemenu a[href="/review/training/waiting/"]').click()
    page.get_by_role("row").filter(has_text=CLASS).get_by_role("link", name="审核", exact=True).click()
    page.get_by_role("button", name="审核通过").click()
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    page.get_by_role("row").filter(has_text=CLASS).get_by_role("button", name="开启").click()
    assert "已开启报名" in page.inner_text(".messages")


def register_li(page) -> None:
    switch_user(page, LI)
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    page.get_by_role("link", name="我要报名").click()
    page.select_option("#series", label="工程系列")
    page.select_option("#specialty", label="水利专业")
    page.select_option("#level", label="工程师")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("row").filter(has_text=PLACE).get_by_role("radio").check()
    page.get_by_role("button", name="下一步").click()
    page.fill("#id_current_title", "工程师")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交").click()
    assert "报名已提交" in page.inner_text(".messages")
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="学员报名审核").click()
    page.get_by_role("row").filter(has_text=CLASS).filter(has_text="李四").get_by_role("link", name="查看").click()
    page.get_by_role("button", name="通过").click()
    row = open_recognitions(page)
    assert "报名中，已报名1人，审核通过1人" in row.inner_text()


def report_results(page, tmp_path) -> None:
    """A week on: 学时认定 → 上传成绩 → the wizard, with the scores from the template → 报送."""
    row = open_recognitions(page)
    assert "培训已结束，1名学员待上传成绩" in row.inner_text()
    row.get_by_role("link", name="上传成绩").click()
    assert page.input_value("#id_name") == f"{CLASS}学员成绩"
    page.get_by_role("button", name="下一步").click()
    page.fill("#id_summary", "培训按计划完成，学员全部参加结业考核。")
    page.get_by_role("button", name="下一步").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载成绩模板").click()
    template = tmp_path / "成绩.xlsx"
    download.value.save_as(template)
    wb = openpyxl.load_workbook(template)
    rows = list(wb.active.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == ["李四"]
    rows[0][2].value, rows[0][3].value = 91, "合格"
    wb.save(template)
    page.set_input_files("input[name=file]", str(template))
    assert page.inner_text('[data-file-names="file"]') == "成绩.xlsx"
    page.get_by_role("button", name="导入成绩").click()
    assert "已导入1名学员的成绩" in page.inner_text(".messages")
    page.get_by_role("link", name="下一步").click()
    for label in ("签到表", "成绩汇总表", "培训总结"):
        page.set_input_files(f"input[aria-label='{label}']", files=[pdf(f"{label}.pdf")])
    assert page.inner_text('[data-file-names="upload_sign_in"]') == "签到表.pdf"
    screenshot(page, "recognition-attachments")
    page.get_by_role("button", name="上传").click()
    screenshot(page, "recognition-report")
    accept_next_dialog(page)
    page.get_by_role("button", name="报送", exact=True).click()
    assert "学员成绩已报送至人社厅专技处" in page.inner_text(".messages")
    assert "学员成绩已报送，待专技处备案" in open_recognitions(page).inner_text()


def test_recognition_from_declaration_to_recognised_hours(page, tmp_path):
    from jxjy.completions.demo import as_of

    login(page, "jd_sl")
    declare(page)
    assert "待人社审核" in open_recognitions(page).inner_text()

    # 专技处 returns it with an opinion; the base changes it and submits again; 专技处 passes it.
    switch_user(page, "rst_zjc")
    review_recognition(page, "退回", "计划培训人数请按实施方案中的招生计划填写。")
    switch_user(page, "jd_sl")
    row = open_recognitions(page)
    assert "已退回" in row.inner_text()
    row.get_by_role("link", name="详情").click()
    page.get_by_role("tab", name="审核日志").click()
    assert "计划培训人数请按实施方案中的招生计划填写。" in page.inner_text(".audit-log")
    page.get_by_role("link", name="修改", exact=True).click()
    page.fill("#id_planned_count", "60")
    accept_next_dialog(page)
    page.get_by_role("button", name="提交", exact=True).click()
    switch_user(page, "rst_zjc")
    review_recognition(page, "通过")

    switch_user(page, "jd_sl")
    publish_class(page)
    register_li(page)
    page.get_by_role("button", name="退出").click()

    with as_of(-7):  # a week later: the class ended two days ago
        login(page, "jd_sl")
        report_results(page, tmp_path)
        switch_user(page, "rst_zjc")
        page.locator('nav.sidemenu a[href="/review/completion/waiting/"]').click()
        page.get_by_role("row").filter(has_text=CLASS).get_by_role("link", name="审核", exact=True).click()
        page.get_by_role("button", name="通过").click()
        switch_user(page, "jd_sl")
        assert "备案通过，已为1名学员认定学时" in open_recognitions(page).inner_text()
        screenshot(page, "recognition-list")

        switch_user(page, LI)
        page.locator("nav.sidemenu").get_by_role("link", name="学时档案", exact=True).click()
        line = page.get_by_role("row").filter(has_text=CLASS)
        cells = [c.strip() for c in line.locator("td").all_inner_texts()]
        assert cells[:4] == [CLASS, "专业科目", "32", "学时认定"]
        assert cells[5].startswith(str(TODAY.year))  # the certificate number
        screenshot(page, "recognition-ledger")
