"""学时认定 in Chromium (guide §五.3), start to end: the base 申报s a class with its 实施方案 and 提交s it to
人社厅专技处, which returns it once and then passes it; the base publishes the class, 李四 registers and
is approved; after the class (a week later, by moving the clock) the base uploads the results from the
generated template and 报送s them; 专技处 approves the 备案 and 李四 finds the recognised hours, with their
certificate, in his 学时档案."""

import datetime as dt
import re

import openpyxl
from playwright.sync_api import expect

from demo.factories import PDF

from .conftest import (
    click_and_accept,
    expect_message,
    login,
    logout,
    open_tab,
    open_waiting,
    screenshot,
    scripts_ran,
    switch_user,
)

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
    expect(page).to_have_url(re.compile(r"/filings/recognition/$"))
    return page.get_by_role("row").filter(has_text=CLASS)


def form_ready(page) -> None:
    """The 申报 form with its script at work: the 培训范围 box says what is chosen (or that nothing is yet)."""
    expect(page.get_by_role("heading", name="继续教育学时认定申报")).to_be_visible()
    expect(page.locator("[data-scope-selected]")).not_to_be_empty()


def review_recognition(page, button: str, opinion: str = "") -> None:
    open_waiting(page, "recognition", CLASS)
    main = page.locator("main")
    expect(main).to_contain_text("计划培训人数")
    expect(main).to_contain_text("继续教育培训实施方案.pdf")
    if opinion:
        page.fill("#opinion", opinion)
    page.get_by_role("button", name=button, exact=True).click()
    expect_message(page, f"已{button}")


def declare(page) -> None:
    """电子证书 → 学时认定 → 申报: the class details, the scope, the plan; then 提交."""
    open_recognitions(page)
    page.get_by_role("link", name="申报", exact=True).click()
    expect(page).to_have_url(re.compile(r"/filings/recognition/new/$"))
    form_ready(page)
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
    expect(page.locator('[data-kind-files="plan"] .staged')).to_contain_text("继续教育培训实施方案.pdf")  # uploaded
    screenshot(page, "recognition-declare")
    click_and_accept(page, page.get_by_role("button", name="提交", exact=True))
    expect_message(page, "已提交至人社厅专技处审核")


def publish_class(page) -> None:
    """审核通过 → 发布报名: the 培训信息 comes with the filing chosen; 确定, 提交, and after 专技处 开启."""
    row = open_recognitions(page)
    expect(row).to_contain_text("审核通过")
    expect(row).to_contain_text("待发布报名")
    row.get_by_role("link", name="发布报名").click()
    expect(page.locator("#id_pre_filing option:checked")).to_have_text(CLASS)
    page.fill("#id_reg_start", local(-dt.timedelta(hours=1)))
    page.fill("#id_reg_end", local(dt.timedelta(days=2)))
    page.fill("#id_resubmit_deadline", local(dt.timedelta(days=2, hours=12)))
    page.fill("#id_report_place", "乌鲁木齐市天山区水利科技大厦一楼大厅")
    page.fill("#id_class_place", PLACE)
    page.fill("#id_contact", "李敏")
    page.fill("#id_contact_phone", "0991-4561234")
    page.get_by_role("button", name="确定").click()
    expect_message(page, "保存成功")
    click_and_accept(page, page.get_by_role("row").filter(has_text=CLASS).get_by_role("button", name="提交"))
    expect_message(page, "已提交")
    switch_user(page, "rst_zjc")
    open_waiting(page, "training", CLASS)
    page.get_by_role("button", name="通过", exact=True).click()
    expect_message(page, "已通过")
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    expect(page).to_have_url(re.compile(r"/trainings/classes/$"))
    page.get_by_role("row").filter(has_text=CLASS).get_by_role("button", name="开启").click()
    expect_message(page, "已开启报名")


def register_li(page) -> None:
    switch_user(page, LI)
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    page.get_by_role("link", name="我要报名").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/$"))
    page.select_option("#series", label="工程系列")  # waits for the script to have listed the 系列
    page.select_option("#specialty", label="水利专业")
    page.select_option("#level", label="工程师")
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\?"))
    page.get_by_role("row").filter(has_text=PLACE).get_by_role("radio").check()
    scripts_ran(page)  # 下一步 goes to the chosen class's form through the page's script
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\d+/"))
    page.fill("#id_current_title", "工程师")
    page.get_by_role("button", name="保存").click()
    expect_message(page, "报名信息已保存")
    page.get_by_role("button", name="提交").click()
    expect_message(page, "报名已提交")
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="学员报名审核").click()
    expect(page).to_have_url(re.compile(r"/trainings/registrations/review/$"))
    page.get_by_role("row").filter(has_text=CLASS).filter(has_text="李四").get_by_role("link", name="查看").click()
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")
    expect(open_recognitions(page)).to_contain_text("报名中，已报名1人，审核通过1人")


def report_results(page, tmp_path) -> None:
    """A week on: 学时认定 → 上传成绩 → the wizard, with the scores from the template → 报送."""
    row = open_recognitions(page)
    expect(row).to_contain_text("培训已结束，1名学员待上传成绩")
    row.get_by_role("link", name="上传成绩").click()
    expect(page.locator("#id_name")).to_have_value(f"{CLASS}学员成绩")
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/completions/\d+/details/$"))
    page.fill("#id_summary", "培训按计划完成，学员全部参加结业考核。")
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/completions/\d+/scores/$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="下载成绩模板").click()
    template = tmp_path / "成绩.xlsx"
    download.value.save_as(template)
    wb = openpyxl.load_workbook(template)
    rows = list(wb.active.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == ["李四"]
    rows[0][2].value, rows[0][3].value = 91, "合格"
    wb.save(template)
    scripts_ran(page)  # the picker's script names the chosen file
    page.get_by_label("成绩文件").set_input_files(str(template))
    expect(page.locator('[data-file-names="file"]')).to_have_text("成绩.xlsx")
    page.get_by_role("button", name="导入成绩").click()
    expect_message(page, "已导入1名学员的成绩")
    page.get_by_role("link", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/completions/\d+/attachments/$"))
    scripts_ran(page)  # the pickers' script names the chosen files
    for label in ("签到表", "成绩汇总表", "培训总结"):
        page.get_by_label(label, exact=True).set_input_files(files=[pdf(f"{label}.pdf")])
    expect(page.locator('[data-file-names="upload_sign_in"]')).to_have_text("签到表.pdf")
    screenshot(page, "recognition-attachments")
    page.get_by_role("button", name="上传").click()
    expect_message(page, "附件已上传")
    screenshot(page, "recognition-report")
    asked = click_and_accept(page, page.get_by_role("button", name="报送", exact=True))
    expect_message(page, "学员成绩已报送至人社厅专技处")
    assert asked == ["报送后数据将不可修改，确定报送至人社厅专技处备案吗？"]
    expect(open_recognitions(page)).to_contain_text("学员成绩已报送，待专技处备案")


def test_recognition_from_declaration_to_recognised_hours(page, tmp_path, clock):
    login(page, "jd_sl")
    declare(page)
    expect(open_recognitions(page)).to_contain_text("待人社审核")

    # 专技处 returns it with an opinion; the base changes it and submits again; 专技处 passes it.
    switch_user(page, "rst_zjc")
    review_recognition(page, "退回", "计划培训人数请按实施方案中的招生计划填写。")
    switch_user(page, "jd_sl")
    row = open_recognitions(page)
    expect(row).to_contain_text("已退回")
    row.get_by_role("link", name="详情").click()
    expect(open_tab(page, "审核日志").locator(".audit-log")).to_contain_text(
        "计划培训人数请按实施方案中的招生计划填写。"
    )
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page).to_have_url(re.compile(r"/filings/recognition/\d+/edit/$"))
    form_ready(page)
    page.fill("#id_planned_count", "60")
    click_and_accept(page, page.get_by_role("button", name="提交", exact=True))
    expect_message(page, "已提交至人社厅专技处审核")
    switch_user(page, "rst_zjc")
    review_recognition(page, "通过")

    switch_user(page, "jd_sl")
    publish_class(page)
    register_li(page)
    logout(page)

    clock.shift(dt.timedelta(days=7))  # a week later: the class ended two days ago
    login(page, "jd_sl")
    report_results(page, tmp_path)
    switch_user(page, "rst_zjc")
    # 学时认定审核 → 学时上报待审核: the reported scores wait next to the 申报s, not under 培训后备案审核.
    open_waiting(page, "recognition_scores", CLASS)
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")
    switch_user(page, "jd_sl")
    expect(open_recognitions(page)).to_contain_text("备案通过，已为1名学员认定学时")
    screenshot(page, "recognition-list")

    switch_user(page, LI)
    page.locator("nav.sidemenu").get_by_role("link", name="学时档案", exact=True).click()
    expect(page).to_have_url(re.compile(r"/hours/"))
    line = page.get_by_role("row").filter(has_text=CLASS)
    expect(line.locator("td").nth(3)).to_have_text("学时认定")
    cells = [c.strip() for c in line.locator("td").all_inner_texts()]
    assert cells[:4] == [CLASS, "专业科目", "32", "学时认定"]
    assert cells[5].startswith(str(TODAY.year))  # the certificate number
    screenshot(page, "recognition-ledger")
