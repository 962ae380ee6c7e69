"""培训信息管理 and 学员报名 in Chromium (guide §三, §四, 学员操作)."""

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import click_and_accept, expect_message, login, screenshot, scripts_ran, switch_user

YEAR = dt.date.today().year
FILING = f"关于举办{YEAR}年水利（水电）行业专业技术人员继续教育培训班的通知"
PLACE = "水利科技培训中心第二教学楼"
ZHANG = "650102199001011239"


def local(delta: dt.timedelta) -> str:
    return (dt.datetime.now() + delta).strftime("%Y-%m-%dT%H:%M")


def choose_specialty(page, series: str, specialty: str, level: str | None = None) -> None:
    """我要报名 ①: 系列, then 专业 and 级别 (the script fills them from the 系列), 下一步."""
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    page.get_by_role("link", name="我要报名").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/$"))
    page.select_option("#series", label=series)  # waits for the script to have listed the 系列
    page.select_option("#specialty", label=specialty)
    if level:
        page.select_option("#level", label=level)
    else:
        page.select_option("#level", index=1)
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\?"))


def test_class_published_and_a_learner_registered_and_passed(page):
    # The base creates a class from its approved filing and submits it.
    login(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    expect(page).to_have_url(re.compile(r"/trainings/classes/$"))
    page.get_by_role("link", name="新增").click()
    expect(page.get_by_role("heading", name="新增培训信息")).to_be_visible()
    page.select_option("#id_pre_filing", label=FILING)
    # The form's script shows the chosen filing's 培训专业 only, in place of the hint.
    expect(page.locator("[data-scope-empty]")).to_be_hidden()
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
    expect_message(page, "保存成功")
    row = page.locator("tbody tr").filter(has_text="草稿").first
    # The class's own page, by which HR finds it below: the demo has another class of this filing waiting.
    detail = row.get_by_role("link", name="详情").get_attribute("href")
    click_and_accept(page, row.get_by_role("button", name="提交"))
    expect_message(page, "已提交")
    expect(page.locator("tbody tr").filter(has_text="待人社审核")).to_have_count(1)

    # 人社厅专技处 approves it.
    switch_user(page, "rst_zjc")
    page.locator('nav.sidemenu a[href="/review/training/waiting/"]').click()
    expect(page).to_have_url(re.compile(r"/review/training/waiting/$"))
    page.get_by_role("row").filter(has=page.locator(f'a[href="{detail}"]')).get_by_role("link", name="审核").click()
    expect(page.locator("main")).to_contain_text(PLACE)
    page.get_by_role("button", name="通过", exact=True).click()
    expect_message(page, "已通过")

    # The base opens registration (开启).
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="培训信息管理").click()
    expect(page).to_have_url(re.compile(r"/trainings/classes/$"))
    row = page.locator("tbody tr").filter(has_text="0/30")
    row.get_by_role("button", name="开启").click()
    expect_message(page, "已开启报名")

    # 张三 registers: 我的主页 → 继续教育报名 → 继续教育专业课 → 我要报名 → three steps.
    switch_user(page, ZHANG)
    choose_specialty(page, "工程系列", "水利专业", "工程师")
    page.get_by_role("row").filter(has_text=PLACE).get_by_role("radio").check()
    scripts_ran(page)  # 下一步 goes to the chosen class's form through the page's script
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/trainings/register/classes/\d+/"))
    expect(page.locator("main")).to_contain_text("6501**********1239")  # masked, even to its owner
    page.fill("#id_current_title", "工程师")
    page.get_by_role("button", name="保存").click()
    expect_message(page, "报名信息已保存")
    page.get_by_role("button", name="提交").click()
    expect_message(page, "报名已提交")
    registration = re.search(r"/registrations/(\d+)/", page.url)[1]

    # The base views the registration, then passes it.
    switch_user(page, "jd_sl")
    page.locator("nav.sidemenu a", has_text="学员报名审核").click()
    expect(page).to_have_url(re.compile(r"/trainings/registrations/review/$"))
    page.get_by_role("row").filter(has_text="张三").get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(r"/trainings/registrations/\d+/$"))
    # The 身份证号 is masked until the base asks for it (显示完整, audited); then it shows in place.
    main = page.locator("main")
    expect(main).to_contain_text("6501**********1239")
    expect(main).not_to_contain_text(ZHANG)
    scripts_ran(page)  # 显示完整 asks the server from the page's script and shows the answer in place
    page.locator("form[data-reveal][action$='/id_number/'] button").click()
    expect(page.get_by_text(ZHANG, exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/trainings/registrations/\d+/$"))  # still the same page
    expect(main).to_contain_text("138****0001")  # the mobile stays masked
    page.get_by_role("button", name="通过").click()
    expect_message(page, "已通过")

    # 张三 sees it approved.
    switch_user(page, ZHANG)
    page.locator("nav.sidemenu").get_by_role("link", name="继续教育专业课").click()
    expect(page).to_have_url(re.compile(r"/trainings/my/$"))
    mine = page.locator(f'tr[data-registration="{registration}"]')
    expect(mine).to_contain_text("审核通过")
    expect(mine).to_contain_text("新疆水利水电继续教育基地")
    screenshot(page, "registration-learner-list")


def test_no_open_class_shows_the_guides_message(page):
    login(page, "650102198803150025")  # 李四
    choose_specialty(page, "教师系列", "中小学教师")
    expect(page.get_by_role("status")).to_contain_text("根据您的选择的报名专业，暂未找到开始报名的继续教育基地")
