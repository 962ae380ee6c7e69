"""Every page a learner or a visitor sees works on a phone; the staff pages hold at 1024 px.

At 390×844 each page of PAGES (one table: add a page with one line) must fit the width (no horizontal
scrolling), keep its menu folded behind 菜单 (which opens it, every entry reachable), offer tap targets of at
least 44 px in its main area, and break no heading, label, button or table cell one character per line. The
width check runs again at 360 and 414. At 1024×768 every menu page of each staff role of the demo must not be
wider than the window (a wide table scrolls inside its own box).

Screenshots of each page (390 and 1366 wide) go to JXJY_LAYOUT_SHOTS (default /tmp/phone-layout), to look at.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, enter_code

SHOTS = Path(os.environ.get("JXJY_LAYOUT_SHOTS", "/tmp/phone-layout"))
PHONE = {"width": 390, "height": 844}
PHONE_WIDTHS = (360, 414)
DESKTOP = {"width": 1366, "height": 900}
STAFF_DESKTOP = {"width": 1024, "height": 768}
LEARNER = "650102199001011239"  # 张三: certificates and hours, registrations approved and waiting for review
LEARNER_2 = "650102198803150025"  # 李四: a registration returned to him, one saved and not submitted
STAFF = ["rst_zjc", "wlmq_rsj", "slt", "jd_sl", "jd_wlmq", "admin", "auditor", "secadmin"]

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"

# Tap targets of the page's main area lower than 44 px. A link inside a sentence (a <p>) is exempt, as WCAG
# 2.5.8 exempts inline links; a radio button, a check box or a file input is measured by its label.
SMALL_TARGETS = """() => {
  const out = [];
  // A link inside running text: its block holds more text than the link, and lays it out as text.
  const inSentence = (el) => { const block = el.parentElement.closest("p, li, td, div");
      return block && !["flex", "inline-flex", "grid"].includes(getComputedStyle(block).display)
        && block.innerText.trim().length > el.innerText.trim().length + 2; };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
      && getComputedStyle(el).visibility !== "hidden"; };
  for (const el of document.querySelectorAll("main a[href], main button, main input, main select, main textarea")) {
    if (el.type === "hidden" || el.closest("[hidden], .dialog-backdrop")) continue;
    let target = el;
    if (["radio", "checkbox", "file"].includes(el.type)) {
      target = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    } else if (el.tagName === "A" && inSentence(el)) continue;
    if (!visible(target)) continue;
    const h = target.getBoundingClientRect().height;
    const what = (el.innerText || el.value || el.name || el.type || "").trim().slice(0, 20);
    if (h < 43.5) out.push(`${el.tagName.toLowerCase()} «${what}» ${Math.round(h)}px`);
  }
  return out;
}"""

# Headings, labels, buttons, links and table cells whose text is laid out at fewer than 3 characters a line
# over two lines or more ("修/改/密/码"): the lines are counted from the text's own line boxes.
SQUEEZED_TEXT = """() => {
  const out = [];
  const sel = "h1, h2, h3, label, button, .btn, th, td, .sidemenu a, .topbar a, .status, .steps li, dt, dd";
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const text = (el.innerText || "").replace(/\\s+/g, "");
    if (text.length < 2) continue;
    // The text's line boxes: rectangles whose middles fall inside one another's height share a line.
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) if (rect.width > 0) rects.push(rect);
    }
    const lines = [];
    for (const rect of rects) {
      const mid = (rect.top + rect.bottom) / 2;
      const line = lines.find((l) => mid >= l.top && mid <= l.bottom);
      if (line) { line.top = Math.min(line.top, rect.top); line.bottom = Math.max(line.bottom, rect.bottom); }
      else lines.push({ top: rect.top, bottom: rect.bottom });
    }
    const lineCount = lines.length;
    if (lineCount >= 2 && text.length / lineCount < 3) {
      out.push(`${el.tagName.toLowerCase()} «${text.slice(0, 20)}» ${lineCount} 行`);
    }
  }
  return out;
}"""


# ---- the pages ----


def _registration(status: str, who: str = LEARNER_2) -> str:
    from jxjy.trainings.models import Registration

    reg = Registration.objects.filter(learner__in=_learner_ids(who), status=status).order_by("id").first()
    return f"/trainings/registrations/{reg.pk}/"


def _learner_ids(who: str = LEARNER) -> list[int]:
    from jxjy.accounts.models import Learner

    return [Learner.objects.by_id_number(who).get().pk]


def _step2() -> str:
    from jxjy.trainings.models import ClassSpecialty

    cs = ClassSpecialty.objects.filter(training_class__is_published=True).order_by("id").first()
    return f"/trainings/register/classes/?specialty={cs.specialty_id}&level={cs.level_id}"


def _step3() -> str:
    from jxjy.trainings.models import ClassSpecialty, Registration

    taken = Registration.objects.filter(learner__in=_learner_ids()).exclude(status="withdrawn")
    cs = (
        ClassSpecialty.objects.filter(training_class__is_published=True)
        .exclude(training_class__in=taken.values("training_class"))
        .order_by("id")
        .first()
    )
    return f"/trainings/register/classes/{cs.training_class_id}/?specialty={cs.specialty_id}&level={cs.level_id}"


def _certificate_result() -> str:
    from jxjy.certificates.models import Certificate

    return Certificate.objects.order_by("id").first().get_verify_url()


def _number_result() -> str:
    from jxjy.certificates.models import Certificate

    cert = Certificate.objects.order_by("id").first()
    return f"/certificates/verify/?number={cert.number}&code={cert.code}"


@dataclass
class Page:
    name: str
    who: str | None  # None: a visitor who is not signed in
    url: str | Callable[[], str]
    heading: str  # what the page says in its <h1>
    status: int = 200


PAGES = [
    Page("首页（公开）", None, "/", "继续教育系统"),
    Page("操作指南", None, "/guide/", "操作指南"),
    Page("登录", None, "/accounts/login/", "登录"),
    Page("注册", None, "/accounts/signup/", "学员注册"),
    Page("忘记密码", None, "/accounts/password/forgot/", "忘记密码"),
    Page("证书查验", None, "/certificates/verify/", "证书查验"),
    Page("证书查验结果（编号）", None, _number_result, "证书查验"),
    Page("证书查验结果（二维码）", None, _certificate_result, "证书"),
    Page("404（访客）", None, "/no-such-page/", "页面不存在", 404),
    Page("我的主页", LEARNER, "/", "我的主页"),
    Page("继续教育专业课", LEARNER, "/trainings/my/", "继续教育专业课"),
    Page("我要报名 ① 选择报名专业", LEARNER, "/trainings/register/", "我要报名"),
    Page("我要报名 ② 选择培训机构", LEARNER, _step2, "我要报名"),
    Page("我要报名 ③ 填写报名信息", LEARNER, _step3, "我要报名"),
    Page("报名详情（审核通过）", LEARNER, lambda: _registration("approved", LEARNER), ""),
    Page("我的证书", LEARNER, "/certificates/mine/", "我的证书"),
    Page("学时档案", LEARNER, "/hours/", "学时档案"),
    Page("站内消息", LEARNER, "/review/messages/", "站内消息"),
    Page("修改密码", LEARNER, "/accounts/password/", "修改密码"),
    Page("消息设置", LEARNER, "/notify/settings/", "消息设置"),
    Page("404（学员）", LEARNER, "/trainings/registrations/999999/", "页面不存在", 404),
    Page("403（学员）", LEARNER, "/stats/", "无权访问", 403),
    Page("我的主页（有退回的报名）", LEARNER_2, "/", "我的主页"),
    Page("报名详情（已退回）", LEARNER_2, lambda: _registration("returned"), ""),
    Page("报名详情（已保存）", LEARNER_2, lambda: _registration("draft"), ""),
    Page("修改报名信息", LEARNER_2, lambda: _registration("returned") + "edit/", "修改报名信息"),
]


def sign_in(page, who: str | None) -> None:
    """As `who` (None: signed out), through the login page."""
    page.context.clear_cookies()
    if who is None:
        return
    page.goto("/accounts/login/")
    page.get_by_label("账号", exact=True).fill(who)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if "/accounts/otp/verify/" in page.url:
        enter_code(page, who)


def visit(page, p: Page):
    url = p.url() if callable(p.url) else p.url
    response = page.goto(url)
    assert response.status == p.status, f"{p.name} {url}: HTTP {response.status}"
    expect(page.locator("main h1").first).to_contain_text(p.heading)
    return url


def layout_problems(page, name: str, *, targets: bool = True, text: bool = True) -> list[str]:
    # Measured as a person sees the page: once its style sheets are in (a busy server may still be sending
    # them when the heading is already there).
    page.wait_for_load_state("load")
    problems = []
    width = page.viewport_size["width"]
    if not page.evaluate(NO_OVERFLOW):
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        problems.append(f"{name} @{width}: 页面宽 {wide}px，出现横向滚动")
    if text:
        problems += [f"{name} @{width}: 文字被挤成一字一行：{t}" for t in page.evaluate(SQUEEZED_TEXT)]
    if targets:
        problems += [f"{name} @{width}: 点击区域不足 44px：{t}" for t in page.evaluate(SMALL_TARGETS)]
    return problems


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", name)
    page.screenshot(path=str(SHOTS / f"{stem}-{page.viewport_size['width']}.png"), full_page=True)


def check_menu(page, name: str) -> list[str]:
    """The menu is folded behind 菜单; the button opens it and every entry is then on the screen."""
    menu = page.locator("#sidemenu")
    if not menu.count():
        return []
    button = page.get_by_role("button", name=re.compile("^菜单"))
    problems = []
    if menu.is_visible():
        problems.append(f"{name}: 菜单未折叠")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    for entry in menu.locator("a, button").all():
        box = entry.bounding_box()
        if not entry.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"] + 0.5:
            problems.append(f"{name}: 菜单项「{entry.inner_text()}」看不到")
        elif box["height"] < 43.5:
            problems.append(f"{name}: 菜单项「{entry.inner_text()}」点击区域不足 44px")
    if not page.evaluate(NO_OVERFLOW):
        problems.append(f"{name}: 菜单展开后出现横向滚动")
    button.click()
    expect(menu).to_be_hidden()
    return problems


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_every_learner_and_public_page_fits_a_phone(phone):
    page, problems, who = phone, [], "nobody yet"
    for p in PAGES:
        if p.who != who:
            page.set_viewport_size(DESKTOP)
            sign_in(page, p.who)
            page.set_viewport_size(PHONE)
            who = p.who
        visit(page, p)
        problems += layout_problems(page, p.name)
        shoot(page, p.name)
        problems += check_menu(page, p.name)
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            if not page.evaluate(NO_OVERFLOW):
                problems.append(f"{p.name} @{width}: 出现横向滚动")
        page.set_viewport_size(DESKTOP)
        shoot(page, p.name)
        page.set_viewport_size(PHONE)
    assert not problems, "\n".join(problems)


def test_a_learners_menu_holds_every_entry_of_the_menu(phone):
    """Every screen of the learner's left menu, and the top bar's links, are in the folded menu."""
    from django.urls import reverse

    from demo.routes import menu_screens
    from jxjy.accounts.models import Learner

    sign_in(phone, LEARNER)
    phone.goto("/")
    user = Learner.objects.by_id_number(LEARNER).get().user
    wanted = {url for _, url in menu_screens(user)}
    wanted |= {reverse("review:inbox"), reverse("accounts:password_change")}
    phone.get_by_role("button", name=re.compile("^菜单")).click()
    menu = phone.locator("#sidemenu")
    shown = {a.get_attribute("href") for a in menu.locator("a").all() if a.is_visible()}
    assert wanted <= shown, wanted - shown
    expect(menu.get_by_role("button", name="退出")).to_be_visible()
    menu.get_by_role("link", name="我的证书", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/certificates/mine/$"))
    expect(phone.locator("#sidemenu")).to_be_hidden()  # folded again on the new page


def test_the_refused_form_page_fits_a_phone(phone):
    """A form sent without its security token (a page left open too long) gets the site's page, in Chinese."""
    phone.goto("/accounts/login/")
    phone.context.clear_cookies()
    phone.get_by_label("账号", exact=True).fill(LEARNER)
    phone.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="登录", exact=True).click()
    expect(phone.locator("main h1")).to_have_text("页面已过期，未能提交")
    expect(phone.get_by_role("link", name="首页")).to_be_visible()
    problems = layout_problems(phone, "CSRF")
    shoot(phone, "CSRF")
    assert not problems, "\n".join(problems)


def check_here(page, name: str) -> list[str]:
    problems = layout_problems(page, name)
    shoot(page, name)
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        if not page.evaluate(NO_OVERFLOW):
            problems.append(f"{name} @{width}: 出现横向滚动")
    page.set_viewport_size(PHONE)
    return problems


def test_the_pages_after_an_sms_code_fit_a_phone(phone, sms_sent):
    """设置新密码 (忘记密码's second step), 注册's second step, and the 身份申诉 its SMS link opens."""
    page, problems = phone, []
    page.goto("/accounts/password/forgot/")
    page.get_by_label("身份证号或手机号").fill(LEARNER)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("main h1")).to_have_text("设置新密码")
    problems += check_here(page, "设置新密码")

    page.goto("/accounts/signup/")
    page.get_by_label("手机号").fill("13900000099")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_label("短信验证码")).to_be_visible()
    problems += check_here(page, "注册（填写信息）")
    code = re.search(r"验证码(\d{6})", sms_sent[-1]["text"]).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("身份证号").fill(LEARNER)  # already registered: the SMS offers a 身份申诉
    page.get_by_label("工作单位").fill("新疆水利厅")
    page.locator("#id_password1").fill("Zhuce@2026x")
    page.locator("#id_password2").fill("Zhuce@2026x")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.get_by_text("注册结果已通过短信发送至您的手机，请按短信提示登录。")).to_be_visible()
    [invitation] = [m["text"] for m in sms_sent if m["mobile"] == "13900000099" and "身份申诉" in m["text"]]
    link = re.search(r"https?://\S+", invitation).group(0)
    page.goto(link)
    expect(page.locator("main h1")).to_have_text("身份申诉")
    problems += check_here(page, "身份申诉")
    assert not problems, "\n".join(problems)


def staff_menu_urls(username: str) -> list[str]:
    from demo.routes import menu_screens
    from jxjy.accounts.models import User

    return [url for _, url in menu_screens(User.objects.get(username=username))]


def test_no_staff_menu_page_is_wider_than_1024(page):
    page.set_viewport_size(STAFF_DESKTOP)
    problems = []
    for username in STAFF:
        sign_in(page, username)
        for url in staff_menu_urls(username):
            if url.startswith("/admin/"):
                continue  # Django's own administration keeps its own layout
            response = page.goto(url)
            assert response.status == 200, f"{username} {url}: HTTP {response.status}"
            expect(page.locator("main")).to_be_visible()
            # Desktop-first pages: only the width is held here (their cells are not yet checked for squeezing).
            problems += layout_problems(page, f"{username} {url}", targets=False, text=False)
    assert not problems, "\n".join(problems)
