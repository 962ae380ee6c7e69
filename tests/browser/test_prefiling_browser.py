"""培训前备案 in Chromium, as the operation guide walks it (§一 登录, §二.1 培训前备案).

jd_sl, the demo's 自治区级 base, files a class: 新增备案, every field of the 申报表, the 培训范围
cascade, the three tables, the three required attachments, 保存, 提交. Then: what typed input
survives (autosave across an expired login), and what a refused 保存 shows.
"""

import datetime as dt
import json
import re
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from demo.factories import PDF
from jxjy.core.models import FormDraft
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S

from ..prefiling_helpers import snapshot
from .conftest import click_and_accept, login, screenshot

pytestmark = pytest.mark.browser

CLASS_NAME = "2026年水利（水电）行业专业技术人员继续教育培训班"
NOT_EDITABLE = "该备案已提交，数据提交后将不可修改。"


# ---- finding things the way a user does: by the label on the 申报表 ----


def field(page, label: str):
    """The input next to a label of the 申报表 ("* 培训班名称")."""
    return page.get_by_label(re.compile(rf"^\*\s*{re.escape(label)}$"))


def counter(page, name: str):
    """The live "n/50" counter next to a field."""
    return page.locator(f'[data-field="{name}"] .counter')


def table(page, prefix: str):
    return page.locator(f'[data-rows="{prefix}"]')


def visible_rows(page, prefix: str):
    return table(page, prefix).locator("tbody tr.row:visible")


def add_row(page, prefix: str, **cells: str):
    """添加 a row to one of the tables and type into its cells (labelled by the column headers)."""
    section = table(page, prefix)
    before = visible_rows(page, prefix).count()
    section.get_by_role("button", name="添加", exact=True).click()
    row = visible_rows(page, prefix).nth(before)
    for header, value in cells.items():
        row.get_by_label(header, exact=True).fill(value)
    return row


def sequence(page, prefix: str):
    """The 序号 cells of a table's visible rows (expect them `to_have_text(["1", "2"])`)."""
    return visible_rows(page, prefix).locator("td.seq")


def pick_scope(page, series: str, specialty: str, *levels: str) -> None:
    """培训范围: 系列 > then 专业 > then tick the 级别, as in the guide's picture."""
    picker = page.locator("[data-scope-picker]")
    picker.get_by_role("button", name=f"{series} >", exact=True).click()
    picker.get_by_role("button", name=f"{specialty} >", exact=True).click()
    panel = picker.locator("[data-specialty-panel]:visible")
    for level in levels:
        panel.get_by_label(level, exact=True).check()


def scope_tags(page):
    """The chosen 培训范围 as tags ("工程系列 > 水利专业 > 工程师 ×"): expect them `to_have_text(tags(...))`."""
    return page.locator("[data-scope-selected] .tag")


def tags(*scopes: str) -> list[re.Pattern]:
    return [re.compile(rf"^{re.escape(scope)}\s*×$") for scope in scopes]


def attach(page, kind_label: str, file_name: str) -> None:
    page.get_by_label(kind_label, exact=True).set_input_files(
        files=[{"name": file_name, "mimeType": "application/pdf", "buffer": PDF}]
    )


def first_message(page):
    return page.locator(".messages .msg").first


def class_dates() -> tuple[dt.date, dt.date]:
    """A class that starts just after the filing lead time (15 days), as the rule allows."""
    start = timezone.localdate() + dt.timedelta(days=settings.JXJY_FILING_LEAD_DAYS + 5)
    return start, start + dt.timedelta(days=4)


def form_ready(page) -> None:
    """The 申报表 with its script at work: the 培训范围 box says what is chosen (or that nothing is yet).

    Until then 添加, the 培训范围 cascade and autosave do nothing.
    """
    expect(page.get_by_role("heading", name="自治区专业技术人员继续教育培训开班申报表")).to_be_visible()
    expect(page.locator("[data-scope-selected]")).not_to_be_empty()


def open_new_form(page) -> None:
    """The guide's way in: the left menu's ***基地培训前备案, then 新增备案."""
    page.get_by_role("navigation", name="功能菜单").get_by_role("link", name="自治区级基地培训前备案").click()
    expect(page.get_by_role("heading", name="自治区级基地培训前备案")).to_be_visible()
    page.get_by_role("link", name="新增备案").click()
    expect(page).to_have_url(re.compile(r"/filings/pre/new/$"))
    form_ready(page)


def autosave(page) -> None:
    """What the page does every 30 seconds, now."""
    page.evaluate("window.jxjyAutosave()")


# ---- the walk of the guide ----


def test_base_files_a_pre_training_filing_and_can_no_longer_change_it(page):
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)

    # Filled in from the account, read-only.
    expect(field(page, "基地名称")).to_have_value("新疆水利水电继续教育基地")
    expect(field(page, "基地所在地")).to_have_value("乌鲁木齐市")
    expect(field(page, "主管部门")).to_have_value("自治区水利厅")
    expect(field(page, "基地名称")).not_to_be_editable()

    # The guide's live counters: "0/50" until something is typed.
    expect(counter(page, "class_name")).to_have_text("0/50")
    expect(counter(page, "venue")).to_have_text("0/100")
    expect(counter(page, "fee_basis")).to_have_text("0/300")
    field(page, "培训班名称").press_sequentially(CLASS_NAME[:4])
    expect(counter(page, "class_name")).to_have_text("4/50")
    field(page, "培训班名称").fill(CLASS_NAME)
    expect(counter(page, "class_name")).to_have_text(f"{len(CLASS_NAME)}/50")

    start, end = class_dates()
    field(page, "年份").fill(str(start.year))
    field(page, "填报日期").fill(f"{timezone.localdate():%Y-%m-%d}")
    field(page, "开班开始时间").fill(f"{start:%Y-%m-%d}")
    field(page, "开班结束时间").fill(f"{end:%Y-%m-%d}")
    venue = "乌鲁木齐市水磨沟区南湖北路水利科技培训中心"
    field(page, "开班地点").fill(venue)
    expect(counter(page, "venue")).to_have_text(f"{len(venue)}/100")

    # 培训范围 through the cascade: 工程系列 > 水利专业 > 高级工程师, 工程师; and another specialty.
    expect(scope_tags(page)).to_have_count(0)
    expect(page.locator("[data-scope-selected]")).to_have_text("尚未选择培训范围")
    pick_scope(page, "工程系列", "水利专业", "高级工程师", "工程师")
    pick_scope(page, "工程系列", "生态环境保护专业", "助理工程师")
    expect(scope_tags(page)).to_have_text(
        tags(
            "工程系列 > 生态环境保护专业 > 助理工程师",  # in the catalogue's order
            "工程系列 > 水利专业 > 高级工程师",
            "工程系列 > 水利专业 > 工程师",
        )
    )
    picker = page.locator("[data-scope-picker]")
    expect(picker.get_by_role("button", name="工程系列 >", exact=True)).to_have_class(re.compile(r"\bhas-checked\b"))
    expect(picker.get_by_role("button", name="水利专业 >", exact=True)).to_have_class(re.compile(r"\bhas-checked\b"))

    field(page, "总学时").fill("40")
    page.get_by_label("线下", exact=True).check()
    page.get_by_label("专业科目", exact=True).check()
    fee = "每人1200元（含资料费、场地费），依据自治区发展改革委收费批复文件核算。"
    field(page, "培训费用及核算依据").fill(fee)
    expect(counter(page, "fee_basis")).to_have_text(f"{len(fee)}/300")

    # The three tables start empty; 添加 numbers the rows; 删除 removes one and renumbers.
    for prefix in ("courses", "teachers", "textbooks"):
        expect(table(page, prefix).locator("tr.empty-row")).to_have_text("暂无数据")
        expect(visible_rows(page, prefix)).to_have_count(0)
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="16")
    expect(table(page, "courses").locator("tr.empty-row")).to_be_hidden()
    add_row(page, "courses", 课程内容="将被删除的课程", 学时数="8")
    add_row(page, "courses", 课程内容="水资源节约集约利用", 学时数="12")
    add_row(page, "courses", 课程内容="工程质量与安全生产", 学时数="12")
    expect(sequence(page, "courses")).to_have_text(["1", "2", "3", "4"])
    visible_rows(page, "courses").nth(1).get_by_role("button", name="删除").click()
    expect(sequence(page, "courses")).to_have_text(["1", "2", "3"])
    for i, content in enumerate(["水利工程建设与管理新规范", "水资源节约集约利用", "工程质量与安全生产"]):
        expect(visible_rows(page, "courses").nth(i).get_by_label("课程内容", exact=True)).to_have_value(content)

    add_row(page, "teachers", 姓名="赵立新", 学历="博士研究生", 专业="水利水电工程",
            **{"职称(职务)": "教授级高级工程师", "讲授课程": "水利工程建设与管理新规范"})  # fmt: skip
    add_row(page, "teachers", 姓名="马晓燕", 学历="硕士研究生", 专业="水文水资源",
            **{"职称(职务)": "高级工程师", "讲授课程": "水资源节约集约利用"})  # fmt: skip
    expect(sequence(page, "teachers")).to_have_text(["1", "2"])

    add_row(page, "textbooks", 教材名称="临时添加的一行", 选用版本="")
    visible_rows(page, "textbooks").first.get_by_role("button", name="删除").click()
    expect(table(page, "textbooks").locator("tr.empty-row")).to_be_visible()
    add_row(page, "textbooks", 教材名称="水利工程建设管理实务", 选用版本="中国水利水电出版社2024年版")
    expect(sequence(page, "textbooks")).to_have_text(["1"])

    field(page, "办公电话").fill("0991-4561234")
    field(page, "传真").fill("0991-4561235")
    field(page, "邮箱").fill("jxjy@example.cn")
    field(page, "通讯地址").fill("乌鲁木齐市南湖北路168号")
    field(page, "邮编").fill("830063")
    field(page, "负责人").fill("王建国")
    field(page, "负责人职务").fill("基地主任")
    field(page, "负责人手机号").fill("13899887766")
    expect(counter(page, "leader_mobile")).to_have_text("11/11")
    field(page, "联系人").fill("李敏")
    field(page, "联系人职务").fill("培训科科长")
    field(page, "联系人手机号").fill("+86 138 9988 7755")  # as people write it; the server keeps 11 digits
    expect(counter(page, "contact_mobile")).to_have_text("11/11")

    attach(page, "继续教育培训实施方案", "继续教育培训实施方案.pdf")
    attach(page, "继续教育培训工作通知", "继续教育培训工作通知.pdf")
    attach(page, "继续教育培训开班邀请函", "继续教育培训开班邀请函.pdf")
    # Each file is uploaded as it is picked, and listed with the form until 保存.
    expect(page.locator('[data-kind-files="invitation"] .staged')).to_contain_text("继续教育培训开班邀请函.pdf")
    # A file the server would refuse is named at once; choosing none clears the message.
    other = page.get_by_label("其他与填报内容相关的附件", exact=True)
    other.set_input_files(files=[{"name": "报名表.docx", "mimeType": "application/msword", "buffer": b"PK\x03\x04"}])
    problem = page.locator('[data-kind="other"] .error')
    expect(problem).to_have_text("文件「报名表.docx」不符合要求：只能上传jpg/png/pdf文件，且单个文件不超过2MB。")
    other.set_input_files(files=[])
    expect(problem).to_be_hidden()
    expect(page.locator('[data-file-names="upload_other"]')).to_have_text("未选择文件")
    screenshot(page, "prefiling-form-filled")

    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/filings/pre/\d+/edit/$"))
    expect(first_message(page)).to_have_text("保存成功。")
    pk = int(re.search(r"/pre/(\d+)/edit/", page.url)[1])
    filing = PreFiling.objects.get(pk=pk)
    assert filing.status == S.DRAFT
    assert filing.class_name == CLASS_NAME and filing.start_date == start and filing.end_date == end
    assert filing.contact_mobile == "13899887755"
    assert [str(i) for i in filing.scope_items.all()] == [
        "工程系列 > 生态环境保护专业 > 助理工程师",  # in the catalogue's order
        "工程系列 > 水利专业 > 高级工程师",
        "工程系列 > 水利专业 > 工程师",
    ]
    assert list(filing.courses.values_list("content", "hours")) == [
        ("水利工程建设与管理新规范", Decimal(16)),
        ("水资源节约集约利用", Decimal(12)),
        ("工程质量与安全生产", Decimal(12)),
    ]
    assert filing.teachers.count() == 2 and filing.textbooks.count() == 1
    assert sorted(filing.attachments.values_list("original_name", flat=True)) == sorted(
        ["继续教育培训实施方案.pdf", "继续教育培训工作通知.pdf", "继续教育培训开班邀请函.pdf"]
    )
    # The saved page shows what was saved, files as links.
    form_ready(page)
    expect(field(page, "培训班名称")).to_have_value(CLASS_NAME)
    expect(sequence(page, "courses")).to_have_text(["1", "2", "3"])
    expect(page.get_by_role("link", name="继续教育培训实施方案.pdf")).to_be_visible()

    asked = click_and_accept(page, page.get_by_role("button", name="提交", exact=True))
    expect(page).to_have_url(re.compile(r"/filings/pre/$"))
    expect(first_message(page)).to_have_text("提交成功。")
    assert asked == ["数据提交后将不可修改，确定提交吗？"]
    row = page.locator(f'tr[data-filing="{pk}"]')
    expect(row).to_contain_text(CLASS_NAME)
    expect(row.locator(".status")).to_have_text("待主管部门审核")
    expect(row).to_contain_text("自治区水利厅")
    expect(row.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    screenshot(page, "prefiling-list")

    # 数据提交后将不可修改: the edit page sends the user to 详情 with the reason.
    page.goto(f"/filings/pre/{pk}/edit/")
    expect(page).to_have_url(re.compile(rf"/filings/pre/{pk}/$"))
    expect(first_message(page)).to_have_text(NOT_EDITABLE)
    expect(page.locator(".page-head .status")).to_have_text("待主管部门审核")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    screenshot(page, "prefiling-detail")

    # A crafted 保存 of the submitted filing is refused and changes nothing.
    before = snapshot(filing)
    status, text = page.evaluate(
        """async (url) => {
            const body = new FormData();
            body.append("action", "save");
            body.append("class_name", "被篡改的培训班名称");
            body.append("total_hours", "99");
            const r = await fetch(url, {method: "POST", body, credentials: "same-origin",
                                        headers: {"X-CSRFToken": window.jxjyCsrf()}});
            return [r.status, await r.text()];
        }""",
        f"/filings/pre/{pk}/edit/",
    )
    assert status == 409 and NOT_EDITABLE in text
    assert snapshot(filing) == before


def test_typed_input_survives_an_expired_login(page):
    # The page's timers (autosave on leaving a field, the idle check) are the test's to stop; the page's
    # clock starts at the suite's (the server's) time.
    page.clock.install(time=time.time())
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)

    field(page, "培训班名称").fill(CLASS_NAME)
    field(page, "开班地点").fill("水利科技培训中心")
    pick_scope(page, "工程系列", "水利专业", "工程师")
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="16")
    autosave(page)
    status = page.locator("#autosave-status")
    expect(status).to_have_text(re.compile(r"^已自动保存"))
    draft = FormDraft.objects.get(user__username="jd_sl", key="prefiling:new")
    assert ["class_name", CLASS_NAME] in draft.data["pairs"]

    # The login ends on the server (30 minutes without a request) while the page stays open;
    # the user goes on typing before the page notices.
    page.clock.pause_at(time.time() + 1)
    Session.objects.all().delete()
    field(page, "培训费用及核算依据").fill("每人1200元，依据收费批复文件核算。")
    pick_scope(page, "经济系列", "人力资源管理", "经济师")
    add_row(page, "courses", 课程内容="水资源节约集约利用", 学时数="24")
    add_row(page, "teachers", 姓名="赵立新", 学历="博士研究生", 专业="水利水电工程",
            **{"职称(职务)": "教授级高级工程师", "讲授课程": "水资源节约集约利用"})  # fmt: skip
    autosave(page)
    page.clock.resume()

    dialog = page.locator("#idle-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("登录已失效")
    expect(dialog).to_contain_text("您填写的内容已保存在本机，重新登录后将自动恢复")
    screenshot(page, "prefiling-session-expired", full_page=False)
    expect(status).to_contain_text("重新登录后将自动恢复")
    kept = json.loads(page.evaluate("localStorage.getItem('jxjy-draft:jd_sl:prefiling:new')"))
    assert ["fee_basis", "每人1200元，依据收费批复文件核算。"] in kept["pairs"]
    # The server kept only what it had before the login ended.
    draft.refresh_from_db()
    assert not any(name == "fee_basis" and value for name, value in draft.data["pairs"])

    dialog.get_by_role("button", name="重新登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, "jd_sl")
    expect(page).to_have_url(re.compile(r"/filings/pre/new/$"))
    form_ready(page)

    # The copy kept in this browser, not the older draft on the server, is what the form shows.
    expect(page.locator("#draft-banner")).to_contain_text("已为您恢复未能保存到服务器的内容")
    screenshot(page, "prefiling-restored", full_page=False)
    expect(field(page, "培训班名称")).to_have_value(CLASS_NAME)
    expect(counter(page, "class_name")).to_have_text(f"{len(CLASS_NAME)}/50")
    expect(field(page, "开班地点")).to_have_value("水利科技培训中心")
    expect(field(page, "培训费用及核算依据")).to_have_value("每人1200元，依据收费批复文件核算。")
    expect(scope_tags(page)).to_have_text(tags("工程系列 > 水利专业 > 工程师", "经济系列 > 人力资源管理 > 经济师"))
    expect(sequence(page, "courses")).to_have_text(["1", "2"])
    courses = visible_rows(page, "courses")
    expect(courses.nth(0).get_by_label("课程内容", exact=True)).to_have_value("水利工程建设与管理新规范")
    expect(courses.nth(1).get_by_label("学时数", exact=True)).to_have_value("24")
    expect(visible_rows(page, "teachers").first.get_by_label("姓名", exact=True)).to_have_value("赵立新")
    expect(table(page, "textbooks").locator("tr.empty-row")).to_be_visible()

    # What was kept in the browser goes to the server at once, and leaves the browser.
    expect(status).to_contain_text("已自动保存")
    assert page.evaluate("localStorage.getItem('jxjy-draft:jd_sl:prefiling:new')") is None
    draft.refresh_from_db()
    assert ["fee_basis", "每人1200元，依据收费批复文件核算。"] in draft.data["pairs"]


def test_refused_save_shows_chinese_messages_next_to_the_fields_and_keeps_the_input(page):
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)

    field(page, "开班地点").fill("水利科技培训中心（旧）")
    autosave(page)  # an older draft on the server must not overwrite what is posted
    field(page, "开班地点").fill("水利科技培训中心")
    too_soon = timezone.localdate() + dt.timedelta(days=3)
    field(page, "开班开始时间").fill(f"{too_soon:%Y-%m-%d}")
    pick_scope(page, "工程系列", "水利专业", "工程师")
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="16")
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.locator("#error-summary p")).to_have_text("备案信息不完整或有误，请按各项下方的提示修改。")
    form_ready(page)
    assert not PreFiling.objects.filter(venue="水利科技培训中心").exists()

    def errors(name: str):
        return page.locator(f'[data-field="{name}"] .error')

    expect(errors("class_name")).to_have_text(["培训班名称不能为空"])
    expect(errors("total_hours")).to_have_text(["总学时不能为空"])
    earliest = timezone.localdate() + dt.timedelta(days=settings.JXJY_FILING_LEAD_DAYS)
    expect(errors("start_date")).to_have_text([f"须在开班前15日提交备案，开班开始时间不能早于{earliest:%Y-%m-%d}"])
    expect(errors("attachments").filter(has_text=re.compile(r"^请上传附件：继续教育培训实施方案$"))).to_have_count(1)
    expect(table(page, "teachers").locator(".error")).to_have_text(["请至少添加一条师资情况"])
    screenshot(page, "prefiling-form-errors")
    expect(page.locator('[data-field="class_name"]')).to_have_attribute("class", "field has-error")

    # Nothing typed is lost.
    expect(field(page, "开班地点")).to_have_value("水利科技培训中心")
    expect(counter(page, "venue")).to_have_text("8/100")
    expect(field(page, "开班开始时间")).to_have_value(f"{too_soon:%Y-%m-%d}")
    expect(scope_tags(page)).to_have_text(tags("工程系列 > 水利专业 > 工程师"))
    expect(sequence(page, "courses")).to_have_text(["1"])
    row = visible_rows(page, "courses").first
    expect(row.get_by_label("课程内容", exact=True)).to_have_value("水利工程建设与管理新规范")
    expect(page.locator("#draft-banner")).to_have_count(0)


def fill_complete_form(page, name: str, start: dt.date, end: dt.date) -> None:
    """Every field of the 申报表, its scope and its three tables, right."""
    field(page, "培训班名称").fill(name)
    field(page, "开班开始时间").fill(f"{start:%Y-%m-%d}")
    field(page, "开班结束时间").fill(f"{end:%Y-%m-%d}")
    field(page, "开班地点").fill("水利科技培训中心")
    field(page, "总学时").fill("40")
    page.get_by_label("线下", exact=True).check()
    page.get_by_label("专业科目", exact=True).check()
    field(page, "培训费用及核算依据").fill("每人1200元，依据收费批复文件核算。")
    pick_scope(page, "工程系列", "水利专业", "工程师")
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="24")
    add_row(page, "courses", 课程内容="水资源节约集约利用", 学时数="16")
    add_row(page, "teachers", 姓名="赵立新", 学历="博士研究生", 专业="水利水电工程",
            **{"职称(职务)": "教授级高级工程师", "讲授课程": "水资源节约集约利用"})  # fmt: skip
    add_row(page, "textbooks", 教材名称="水利工程建设管理实务", 选用版本="2024年版")
    for label, value in [("办公电话", "0991-4561234"), ("传真", "0991-4561235"), ("邮箱", "jxjy@example.cn"),
                         ("通讯地址", "乌鲁木齐市南湖北路168号"), ("邮编", "830063"), ("负责人", "王建国"),
                         ("负责人职务", "基地主任"), ("负责人手机号", "13899887766"), ("联系人", "李敏"),
                         ("联系人职务", "培训科科长"), ("联系人手机号", "13899887755")]:  # fmt: skip
        field(page, label).fill(value)


ONE_ROUND = "2026年水利工程建设管理专题培训班"


def test_one_save_says_everything_wrong_and_keeps_the_files(page):
    """One error of each kind — a format, an empty field, a business rule, a file's content, a file's name —
    all said by one 保存, each next to its field; the good file stays; fixed, the filing is 提交ed."""
    start, end = class_dates()
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)
    fill_complete_form(page, ONE_ROUND, start, end)
    field(page, "负责人手机号").fill("1389988")  # a format
    field(page, "开班地点").fill("")  # completeness
    field(page, "总学时").fill("48")  # the courses add up to 40
    page.get_by_label("继续教育培训实施方案", exact=True).set_input_files(
        files=[{"name": "继续教育培训实施方案.pdf", "mimeType": "application/pdf", "buffer": b"\x7fELF" + b"\0" * 64}]
    )  # the content
    attach(page, "继续教育培训工作通知", "通知.pdf")  # the name
    attach(page, "继续教育培训开班邀请函", "继续教育培训开班邀请函.pdf")
    plan_error = page.locator('[data-kind="plan"] .error')
    expect(plan_error).to_contain_text("的类型不符合要求")  # said when picked, before any 保存
    expect(page.locator('[data-kind-files="invitation"] .staged')).to_contain_text("继续教育培训开班邀请函.pdf")

    page.get_by_role("button", name="保存", exact=True).click()
    form_ready(page)

    def errors(name: str):
        return page.locator(f'[data-field="{name}"] .error')

    expect(errors("leader_mobile")).to_have_text(["请输入正确的11位手机号码。"])
    expect(errors("venue")).to_have_text(["开班地点不能为空"])
    expect(errors("total_hours")).to_have_text(["总学时（48）应等于教学课程学时数之和（40）"])
    files = errors("attachments")
    expect(files.filter(has_text="文件「继续教育培训实施方案.pdf」的类型不符合要求")).to_have_count(1)
    expect(files.filter(has_text="文件「通知.pdf」的名称应与内容相符")).to_have_count(1)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    for anchor in ("leader_mobile", "venue", "total_hours", "attachments"):
        expect(summary.locator(f'a[href="#field-{anchor}"]').first).to_be_visible()
    # The good file is still there, and so is everything typed.
    expect(page.locator('[data-kind-files="invitation"] .staged')).to_contain_text("继续教育培训开班邀请函.pdf")
    expect(field(page, "培训班名称")).to_have_value(ONE_ROUND)
    expect(sequence(page, "courses")).to_have_text(["1", "2"])
    screenshot(page, "prefiling-one-round")
    assert not PreFiling.objects.filter(class_name=ONE_ROUND).exists()

    summary.locator('a[href="#field-venue"]').click()
    expect(page).to_have_url(re.compile(r"#field-venue$"))
    field(page, "负责人手机号").fill("13899887766")
    field(page, "开班地点").fill("水利科技培训中心")
    field(page, "总学时").fill("40")
    attach(page, "继续教育培训实施方案", "继续教育培训实施方案.pdf")
    attach(page, "继续教育培训工作通知", "继续教育培训工作通知.pdf")
    expect(page.locator(".attached.staged")).to_have_count(3)
    asked = click_and_accept(page, page.get_by_role("button", name="提交", exact=True))
    assert asked == ["数据提交后将不可修改，确定提交吗？"]
    expect(first_message(page)).to_have_text("提交成功。")
    filing = PreFiling.objects.get(class_name=ONE_ROUND)
    assert filing.status == S.DEPT_REVIEW and filing.venue == "水利科技培训中心"
    assert sorted(filing.attachments.values_list("original_name", flat=True)) == sorted(
        ["继续教育培训实施方案.pdf", "继续教育培训工作通知.pdf", "继续教育培训开班邀请函.pdf"]
    )


def test_a_double_click_saves_one_filing(page):
    """The buttons are disabled while the request runs (a replay of the same 新增 page is refused by its
    form_key: tests/test_prefiling_form.py)."""
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)
    field(page, "培训班名称").fill("双击也只保存一份")
    page.get_by_role("button", name="临时保存").dblclick()
    expect(first_message(page)).to_have_text("临时保存成功。")
    assert PreFiling.objects.filter(class_name="双击也只保存一份").count() == 1


def test_two_tabs_on_one_draft_the_later_save_is_refused_with_the_difference(page):
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)
    field(page, "培训班名称").fill("两个页面同时修改的备案")
    page.get_by_role("button", name="临时保存").click()
    expect(first_message(page)).to_have_text("临时保存成功。")
    other = page.context.new_page()
    other.goto(page.url)
    form_ready(other)

    field(page, "开班地点").fill("第一个页面填写的地点")
    page.get_by_role("button", name="临时保存").click()
    expect(first_message(page)).to_have_text("临时保存成功。")

    field(other, "开班地点").fill("第二个页面填写的地点")
    other.get_by_role("button", name="临时保存").click()
    stale = other.locator("#stale")
    expect(stale).to_contain_text("该单据在您打开本页面之后已被修改")
    expect(stale.get_by_role("row").filter(has_text="开班地点")).to_have_text(
        re.compile(r"开班地点\s*第一个页面填写的地点\s*第二个页面填写的地点")
    )
    screenshot(other, "prefiling-two-tabs")
    filing = PreFiling.objects.get(class_name="两个页面同时修改的备案")
    assert filing.venue == "第一个页面填写的地点"
    expect(field(other, "开班地点")).to_have_value("第二个页面填写的地点")  # nothing typed is lost

    # The user chooses their own: the same button again saves it over the other.
    other.get_by_role("button", name="临时保存").click()
    expect(first_message(other)).to_have_text("临时保存成功。")
    filing.refresh_from_db()
    assert filing.venue == "第二个页面填写的地点"


def test_a_double_submit_files_one_filing(page):
    start, end = class_dates()
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)
    fill_complete_form(page, "双击提交也只有一份的备案", start, end)
    attach(page, "继续教育培训实施方案", "继续教育培训实施方案.pdf")
    attach(page, "继续教育培训工作通知", "继续教育培训工作通知.pdf")
    attach(page, "继续教育培训开班邀请函", "继续教育培训开班邀请函.pdf")
    expect(page.locator(".attached.staged")).to_have_count(3)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交", exact=True).dblclick()
    expect(first_message(page)).to_have_text("提交成功。")
    assert PreFiling.objects.filter(class_name="双击提交也只有一份的备案").count() == 1
