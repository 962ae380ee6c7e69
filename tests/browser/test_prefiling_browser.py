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

from jxjy.core.models import FormDraft
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S

from ..factories import PDF
from ..prefiling_helpers import snapshot
from .conftest import login, screenshot

pytestmark = pytest.mark.browser

CLASS_NAME = "2026年水利（水电）行业专业技术人员继续教育培训班"
NOT_EDITABLE = "该备案已提交，数据提交后将不可修改。"


# ---- finding things the way a user does: by the label on the 申报表 ----


def field(page, label: str):
    """The input next to a label of the 申报表 ("* 培训班名称")."""
    return page.get_by_label(re.compile(rf"^\*\s*{re.escape(label)}$"))


def counter(page, name: str) -> str:
    return page.locator(f'[data-field="{name}"] .counter').inner_text()


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


def sequence(page, prefix: str) -> list[str]:
    return visible_rows(page, prefix).locator("td.seq").all_inner_texts()


def pick_scope(page, series: str, specialty: str, *levels: str) -> None:
    """培训范围: 系列 > then 专业 > then tick the 级别, as in the guide's picture."""
    picker = page.locator("[data-scope-picker]")
    picker.get_by_role("button", name=f"{series} >", exact=True).click()
    picker.get_by_role("button", name=f"{specialty} >", exact=True).click()
    panel = picker.locator("[data-specialty-panel]:visible")
    for level in levels:
        panel.get_by_label(level, exact=True).check()


def scope_tags(page) -> list[str]:
    return [t.strip(" ×") for t in page.locator("[data-scope-selected] .tag").all_inner_texts()]


def attach(page, kind_label: str, file_name: str) -> None:
    page.get_by_label(kind_label, exact=True).set_input_files(
        files=[{"name": file_name, "mimeType": "application/pdf", "buffer": PDF}]
    )


def click_and_accept(page, button_name: str) -> str:
    """Click a button that asks first (window.confirm), say yes; return the question."""
    questions: list[str] = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state()
    return questions[0] if questions else ""


def first_message(page) -> str:
    return page.locator(".messages .msg").first.inner_text()


def class_dates() -> tuple[dt.date, dt.date]:
    """A class that starts just after the filing lead time (15 days), as the rule allows."""
    start = timezone.localdate() + dt.timedelta(days=settings.JXJY_FILING_LEAD_DAYS + 5)
    return start, start + dt.timedelta(days=4)


def open_new_form(page) -> None:
    """The guide's way in: the left menu's ***基地培训前备案, then 新增备案."""
    page.get_by_role("navigation", name="功能菜单").get_by_role("link", name="自治区级基地培训前备案").click()
    page.get_by_role("heading", name="自治区级基地培训前备案").wait_for()
    page.get_by_role("link", name="新增备案").click()
    page.get_by_role("heading", name="自治区专业技术人员继续教育培训开班申报表").wait_for()


def autosave(page) -> None:
    """What the page does every 30 seconds, now."""
    page.evaluate("window.jxjyAutosave()")


# ---- the walk of the guide ----


def test_base_files_a_pre_training_filing_and_can_no_longer_change_it(page):
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)

    # Filled in from the account, read-only.
    assert field(page, "基地名称").input_value() == "新疆水利水电继续教育基地"
    assert field(page, "基地所在地").input_value() == "乌鲁木齐市"
    assert field(page, "主管部门").input_value() == "自治区水利厅"
    assert field(page, "基地名称").get_attribute("readonly") is not None

    # The guide's live counters: "0/50" until something is typed.
    assert counter(page, "class_name") == "0/50"
    assert counter(page, "venue") == "0/100"
    assert counter(page, "fee_basis") == "0/300"
    field(page, "培训班名称").press_sequentially(CLASS_NAME[:4])
    assert counter(page, "class_name") == "4/50"
    field(page, "培训班名称").fill(CLASS_NAME)
    assert counter(page, "class_name") == f"{len(CLASS_NAME)}/50"

    start, end = class_dates()
    field(page, "年份").fill(str(start.year))
    field(page, "填报日期").fill(f"{timezone.localdate():%Y-%m-%d}")
    field(page, "开班开始时间").fill(f"{start:%Y-%m-%d}")
    field(page, "开班结束时间").fill(f"{end:%Y-%m-%d}")
    venue = "乌鲁木齐市水磨沟区南湖北路水利科技培训中心"
    field(page, "开班地点").fill(venue)
    assert counter(page, "venue") == f"{len(venue)}/100"

    # 培训范围 through the cascade: 工程系列 > 水利专业 > 高级工程师, 工程师; and another specialty.
    assert scope_tags(page) == []
    assert page.locator("[data-scope-selected]").inner_text() == "尚未选择培训范围"
    pick_scope(page, "工程系列", "水利专业", "高级工程师", "工程师")
    pick_scope(page, "工程系列", "生态环境保护专业", "助理工程师")
    assert scope_tags(page) == [
        "工程系列 > 生态环境保护专业 > 助理工程师",  # in the catalogue's order
        "工程系列 > 水利专业 > 高级工程师",
        "工程系列 > 水利专业 > 工程师",
    ]
    picker = page.locator("[data-scope-picker]")
    assert "has-checked" in picker.get_by_role("button", name="工程系列 >", exact=True).get_attribute("class")
    assert "has-checked" in picker.get_by_role("button", name="水利专业 >", exact=True).get_attribute("class")

    field(page, "总学时").fill("40")
    page.get_by_label("线下", exact=True).check()
    page.get_by_label("专业科目", exact=True).check()
    fee = "每人1200元（含资料费、场地费），依据自治区发展改革委收费批复文件核算。"
    field(page, "培训费用及核算依据").fill(fee)
    assert counter(page, "fee_basis") == f"{len(fee)}/300"

    # The three tables start empty; 添加 numbers the rows; 删除 removes one and renumbers.
    for prefix in ("courses", "teachers", "textbooks"):
        assert table(page, prefix).locator("tr.empty-row").inner_text() == "暂无数据"
        assert visible_rows(page, prefix).count() == 0
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="16")
    assert table(page, "courses").locator("tr.empty-row").is_hidden()
    add_row(page, "courses", 课程内容="将被删除的课程", 学时数="8")
    add_row(page, "courses", 课程内容="水资源节约集约利用", 学时数="12")
    add_row(page, "courses", 课程内容="工程质量与安全生产", 学时数="12")
    assert sequence(page, "courses") == ["1", "2", "3", "4"]
    visible_rows(page, "courses").nth(1).get_by_role("button", name="删除").click()
    assert sequence(page, "courses") == ["1", "2", "3"]
    assert visible_rows(page, "courses").locator("input[name$='-content']").evaluate_all(
        "els => els.map(e => e.value)"
    ) == ["水利工程建设与管理新规范", "水资源节约集约利用", "工程质量与安全生产"]

    add_row(page, "teachers", 姓名="赵立新", 学历="博士研究生", 专业="水利水电工程",
            **{"职称(职务)": "教授级高级工程师", "讲授课程": "水利工程建设与管理新规范"})  # fmt: skip
    add_row(page, "teachers", 姓名="马晓燕", 学历="硕士研究生", 专业="水文水资源",
            **{"职称(职务)": "高级工程师", "讲授课程": "水资源节约集约利用"})  # fmt: skip
    assert sequence(page, "teachers") == ["1", "2"]

    add_row(page, "textbooks", 教材名称="临时添加的一行", 选用版本="")
    visible_rows(page, "textbooks").first.get_by_role("button", name="删除").click()
    assert table(page, "textbooks").locator("tr.empty-row").is_visible()
    add_row(page, "textbooks", 教材名称="水利工程建设管理实务", 选用版本="中国水利水电出版社2024年版")
    assert sequence(page, "textbooks") == ["1"]

    field(page, "办公电话").fill("0991-4561234")
    field(page, "传真").fill("0991-4561235")
    field(page, "邮箱").fill("jxjy@example.cn")
    field(page, "通讯地址").fill("乌鲁木齐市南湖北路168号")
    field(page, "邮编").fill("830063")
    field(page, "负责人").fill("王建国")
    field(page, "负责人职务").fill("基地主任")
    field(page, "负责人手机号").fill("13899887766")
    assert counter(page, "leader_mobile") == "11/11"
    field(page, "联系人").fill("李敏")
    field(page, "联系人职务").fill("培训科科长")
    field(page, "联系人手机号").fill("+86 138 9988 7755")  # as people write it; the server keeps 11 digits
    assert counter(page, "contact_mobile") == "11/11"

    attach(page, "继续教育培训实施方案", "继续教育培训实施方案.pdf")
    attach(page, "继续教育培训工作通知", "继续教育培训工作通知.pdf")
    attach(page, "继续教育培训开班邀请函", "继续教育培训开班邀请函.pdf")
    assert page.locator('[data-file-names="upload_invitation"]').inner_text() == "继续教育培训开班邀请函.pdf"
    # A file the server would refuse is named at once; choosing none clears the message.
    other = page.get_by_label("其他与填报内容相关的附件", exact=True)
    other.set_input_files(files=[{"name": "报名表.docx", "mimeType": "application/msword", "buffer": b"PK\x03\x04"}])
    problem = page.locator('[data-kind="other"] .error')
    assert problem.inner_text() == "文件「报名表.docx」不符合要求：只能上传jpg/png/pdf文件，且单个文件不超过2MB。"
    other.set_input_files(files=[])
    assert problem.is_hidden()
    assert page.locator('[data-file-names="upload_other"]').inner_text() == "未选择文件"
    screenshot(page, "prefiling-form-filled")

    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/filings/pre/\d+/edit/$"))
    assert first_message(page) == "保存成功。"
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
    assert field(page, "培训班名称").input_value() == CLASS_NAME
    assert sequence(page, "courses") == ["1", "2", "3"]
    assert page.get_by_role("link", name="继续教育培训实施方案.pdf").is_visible()

    question = click_and_accept(page, "提交")
    assert question == "数据提交后将不可修改，确定提交吗？"
    page.wait_for_url(re.compile(r"/filings/pre/$"))
    assert first_message(page) == "提交成功。"
    row = page.locator(f'tr[data-filing="{pk}"]')
    assert CLASS_NAME in row.inner_text()
    assert row.locator(".status").inner_text() == "待主管部门审核"
    assert "自治区水利厅" in row.inner_text()
    assert row.get_by_role("link", name="修改", exact=True).count() == 0
    screenshot(page, "prefiling-list")

    # 数据提交后将不可修改: the edit page sends the user to 详情 with the reason.
    page.goto(f"/filings/pre/{pk}/edit/")
    page.wait_for_url(re.compile(rf"/filings/pre/{pk}/$"))
    assert first_message(page) == NOT_EDITABLE
    assert page.get_by_role("link", name="修改", exact=True).count() == 0
    assert page.locator(".page-head .status").inner_text() == "待主管部门审核"
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
    # The page's timers (autosave on leaving a field, the idle check) are the test's to run.
    page.clock.install()
    page.goto("/")
    login(page, "jd_sl")
    open_new_form(page)

    field(page, "培训班名称").fill(CLASS_NAME)
    field(page, "开班地点").fill("水利科技培训中心")
    pick_scope(page, "工程系列", "水利专业", "工程师")
    add_row(page, "courses", 课程内容="水利工程建设与管理新规范", 学时数="16")
    autosave(page)
    assert page.locator("#autosave-status").inner_text().startswith("已自动保存")
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
    assert dialog.is_visible()
    assert dialog.get_by_role("heading").inner_text() == "登录已失效"
    assert "您填写的内容已保存在本机，重新登录后将自动恢复" in dialog.inner_text()
    screenshot(page, "prefiling-session-expired", full_page=False)
    assert "重新登录后将自动恢复" in page.locator("#autosave-status").inner_text()
    kept = json.loads(page.evaluate("localStorage.getItem('jxjy-draft:jd_sl:prefiling:new')"))
    assert ["fee_basis", "每人1200元，依据收费批复文件核算。"] in kept["pairs"]
    # The server kept only what it had before the login ended.
    draft.refresh_from_db()
    assert not any(name == "fee_basis" and value for name, value in draft.data["pairs"])

    dialog.get_by_role("button", name="重新登录").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    login(page, "jd_sl")
    page.wait_for_url(re.compile(r"/filings/pre/new/$"))

    assert page.locator("#draft-banner").inner_text().startswith("已为您恢复")
    screenshot(page, "prefiling-restored", full_page=False)
    assert field(page, "培训班名称").input_value() == CLASS_NAME
    assert counter(page, "class_name") == f"{len(CLASS_NAME)}/50"
    assert field(page, "开班地点").input_value() == "水利科技培训中心"
    assert field(page, "培训费用及核算依据").input_value() == "每人1200元，依据收费批复文件核算。"
    assert scope_tags(page) == ["工程系列 > 水利专业 > 工程师", "经济系列 > 人力资源管理 > 经济师"]
    assert sequence(page, "courses") == ["1", "2"]
    courses = visible_rows(page, "courses")
    assert courses.nth(0).get_by_label("课程内容", exact=True).input_value() == "水利工程建设与管理新规范"
    assert courses.nth(1).get_by_label("学时数", exact=True).input_value() == "24"
    assert visible_rows(page, "teachers").first.get_by_label("姓名", exact=True).input_value() == "赵立新"
    assert table(page, "textbooks").locator("tr.empty-row").is_visible()

    # What was kept in the browser goes to the server at once, and leaves the browser.
    page.locator("#autosave-status").filter(has_text="已自动保存").wait_for()
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
    page.wait_for_load_state()

    assert not PreFiling.objects.filter(venue="水利科技培训中心").exists()
    assert page.locator(".msg-error").first.inner_text() == "备案信息不完整或有误，请按各项下方的提示修改。"

    def errors(name: str) -> list[str]:
        return page.locator(f'[data-field="{name}"] .error').all_inner_texts()

    assert errors("class_name") == ["培训班名称不能为空"]
    assert errors("total_hours") == ["总学时不能为空"]
    earliest = timezone.localdate() + dt.timedelta(days=settings.JXJY_FILING_LEAD_DAYS)
    assert errors("start_date") == [f"须在开班前15日提交备案，开班开始时间不能早于{earliest:%Y-%m-%d}"]
    assert "请上传附件：继续教育培训实施方案" in errors("attachments")
    assert table(page, "teachers").locator(".error").all_inner_texts() == ["请至少添加一条师资情况"]
    screenshot(page, "prefiling-form-errors")
    assert page.locator('[data-field="class_name"]').get_attribute("class") == "field has-error"

    # Nothing typed is lost.
    assert field(page, "开班地点").input_value() == "水利科技培训中心"
    assert counter(page, "venue") == "8/100"
    assert field(page, "开班开始时间").input_value() == f"{too_soon:%Y-%m-%d}"
    assert scope_tags(page) == ["工程系列 > 水利专业 > 工程师"]
    assert sequence(page, "courses") == ["1"]
    row = visible_rows(page, "courses").first
    assert row.get_by_label("课程内容", exact=True).input_value() == "水利工程建设与管理新规范"
    assert page.locator("#draft-banner").count() == 0
