"""培训信息管理 and 学员报名 in Chromium (guide §三, §四, 学员操作)."""

import datetime as dt

from .conftest import login, screenshot
from .test_review_route_browser import accept_next_dialog, switch_user

YEAR = dt.date.today().year
FILING = f"关于举办{YEAR}年水利（水电）行业专业技术人员继续教育培训班的通知"
PLACE = "水利科技培训中心第二教学楼"


def local(delta: dt.timedelta) -> str:
    return (dt.datetime.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_class_published_and_a_learner_registered_and_passed(page):
    # The base creates a class from its approved filing and submits it.
    login(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    page.get_by_role("link", name="新增").click()
    page.wait_for_load_state()  # the form's script hides the other filings' 培训专业 once it has run
    page.select_option("#id_pre_filing", label=FILING)
    for box in page.locator("[data-scope-options] label:visible input").all():
        box.check()
    page.fill("#id_reg_start", local(-dt.timedelta(hours=1)))
    page.fill("#id_reg_end", local(dt.timedelta(days=10)))
    page.fill("#id_resubmit_deadline", local(dt.timedelta(days=12)))
    page.fill("#id_seat_limit", "30")
    page.fill("#id_report_place", "乌鲁木齐市南湖北路168号")
    page.fill("#id_class_place", PLACE)
    page.fill("#id_contact", "李敏")
    page.fill("#id_contact_phone", "0991-4561234，13899887755")
    page.get_by_role("button", name="确定").click()
    assert "保存成功" in page.inner_text(".messages")
    row = page.locator("tbody tr").filter(has_text="草稿").first
    accept_next_dialog(page)
    row.get_by_role("button", name="提交").click()
    assert page.locator("tbody tr").filter(has_text="待人社审核").count() == 1

    # 人社厅专技处 approves it.
    switch_user(page, "rst_zjc")
    page.locator('nav.sidemenu a[href="/review/training/waiting/"]').click()
    # Newest submission first: the class just submitted (the demo has another one waiting).
    page.locator("tbody tr").first.get_by_role("link", name="审核", exact=True).click()
    assert PLACE in page.inner_text("body")
    page.get_by_role("button", name="审核通过").click()

    # The base opens registration (开启).
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    row = page.locator("tbody tr").filter(has_text="0/30")
    row.get_by_role("button", name="开启").click()
    assert "已开启报名" in page.inner_text(".messages")

    # 张三 registers: 我的主页 → 继续教育报名 → 继续教育专业课 → 我要报名 → three steps.
    switch_user(page, "650102199001011239")
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    page.get_by_role("link", name="我要报名").click()
    page.select_option("#series", label="工程系列")
    page.select_option("#specialty", label="水利专业")
    page.select_option("#level", label="工程师")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("row").filter(has_text=PLACE).get_by_role("radio").check()
    page.get_by_role("button", name="下一步").click()
    assert "6501**********1239" in page.inner_text("body")  # masked, even to its owner
    page.fill("#id_current_title", "工程师")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交").click()
    assert "报名已提交" in page.inner_text(".messages")

    # The base views the registration, then passes it.
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="学员报名审核").click()
    page.get_by_role("row").filter(has_text="张三").get_by_role("link", name="查看").click()
    # The 身份证号 is masked until the base asks for it (显示完整, audited); then it shows in place.
    assert "6501**********1239" in page.inner_text("body") and "650102199001011239" not in page.inner_text("body")
    page.locator("form[data-reveal][action$='/id_number/'] button").click()
    page.get_by_text("650102199001011239", exact=True).wait_for()
    assert "138****0001" in page.inner_text("body")  # the mobile stays masked
    page.get_by_role("button", name="通过").click()

    # 张三 sees it approved.
    switch_user(page, "650102199001011239")
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    newest = page.locator("tbody tr").first.inner_text()  # newest registration first
    assert "审核通过" in newest and "新疆水利水电继续教育基地" in newest
    screenshot(page, "registration-learner-list")


def test_no_open_class_shows_the_guides_message(page):
    login(page, "650102198803150025")  # 李四
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    page.get_by_role("link", name="我要报名").click()
    page.select_option("#series", label="教师系列")
    page.select_option("#specialty", label="中小学教师")
    page.select_option("#level", index=1)
    page.get_by_role("button", name="下一步").click()
    assert "根据您的选择的报名专业，暂未找到开始报名的继续教育基地" in page.inner_text("body")
