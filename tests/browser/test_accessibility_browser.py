"""Every page of the role × URL matrix meets WCAG 2.1 AA as axe-core checks it, and pages print cleanly.

For each role of the demo (a visitor who is not signed in, and each demo account) the test opens the pages the
role may open: its left menu (demo/routes.py's walk, as tests/test_demo_screens.py uses it), its home, 站内消息,
修改密码 and the site's 404 page, and then every page those pages link to, one page for each URL pattern
(so a list leads to one 详情, a 详情 to its 修改, …) — the detail pages reachable from the demo's objects.
Downloads (PDF, Excel, ZIP, JSON) are not pages and are left out. On each page axe-core (npm, package.json:
`npm ci`) runs with the WCAG 2.0/2.1 A and AA rules; every violation of impact "serious" or "critical" fails the
test, listed as rule, page and element.

One browser context per role; pages are checked once loaded (no fixed waits). JXJY_A11Y_ALL=1 lists the
"moderate" and "minor" violations too (they do not fail the test).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .conftest import NAVIGATION_TIMEOUT_MS, TIMEOUT_MS, login

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
LEARNER = "650102199001011239"  # 张三
LEARNER_2 = "650102198803150025"  # 李四
# role (as tests/test_url_matrix.py names it): what the messages call it, the demo account (None: a visitor)
ROLES = {
    "anonymous": ("访客", None),
    "base": ("继续教育基地", "jd_sl"),
    "department": ("主管部门", "slt"),
    "hr_region": ("人社厅专技处", "rst_zjc"),
    "hr_prefecture": ("人社局", "wlmq_rsj"),
    "learner": ("学员张三", LEARNER),
    "learner_2": ("学员李四", LEARNER_2),
    "sysadmin": ("系统管理员", "admin"),
    "auditor": ("审计管理员", "auditor"),
    "secadmin": ("安全管理员", "secadmin"),
}
PUBLIC = ["/", "/guide/", "/api/docs/", "/certificates/verify/"]
PUBLIC += ["/accounts/login/", "/accounts/signup/", "/accounts/password/forgot/"]
MISSING = "/no-such-page/"
# URL patterns that answer with a file, JSON or a redirect rather than a page, or end the session.
NOT_PAGES = re.compile(
    r"(pdf|zip|download|template|proof|export|status|jsi18n|logout|openapi\.json|healthz|captcha|keepalive"
    r"|^api/v1/|^filings/attachments/|/attachments/<int:attachment_id>/$|^accounts/learners/)"
)
# Pages drawn by their scripts after they load: what a person waits to see before reading them.
DRAWN = {"api/docs/": ".swagger-ui .opblock"}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => ({ target: n.target.join(" "), impact: n.impact, summary: n.failureSummary || "" })),
  }));
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        reason = f"找不到 {AXE}（axe-core）：先运行 `npm ci --no-audit --no-fund`（make install 会运行它）"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE


def route_of(path: str) -> str | None:
    """The URL pattern (as the role × URL matrix names it) a path of this site resolves to."""
    from django.urls import Resolver404, resolve

    try:
        return resolve(path).route
    except Resolver404:
        return None


def start_pages(who: str | None) -> list[str]:
    """Where a role's walk starts: the public pages, or the account's menu and the pages of its top bar."""
    if who is None:
        from jxjy.certificates.models import Certificate

        cert = Certificate.objects.order_by("id").first()
        return [*PUBLIC, cert.get_verify_url(), f"/certificates/verify/?number={cert.number}&code={cert.code}", MISSING]
    from django.urls import reverse

    from demo.routes import menu_screens
    from jxjy.accounts.models import Learner, User

    user = Learner.objects.by_id_number(who).get().user if who.isdigit() else User.objects.get(username=who)
    pages = ["/", *(url for _, url in menu_screens(user)), reverse("review:inbox"), reverse("accounts:password_change")]
    if who == LEARNER:
        pages += learner_registration_steps(user)
    return [*dict.fromkeys(pages), MISSING]


def learner_registration_steps(user) -> list[str]:
    """我要报名 ② and ③: reached by the form of step ①, not by a link."""
    from jxjy.trainings.models import ClassSpecialty, Registration

    published = ClassSpecialty.objects.filter(training_class__is_published=True).order_by("id")
    first = published.first()
    taken = Registration.objects.filter(learner__user=user).exclude(status="withdrawn").values("training_class")
    free = published.exclude(training_class__in=taken).first()
    return [
        f"/trainings/register/classes/?specialty={first.specialty_id}&level={first.level_id}",
        f"/trainings/register/classes/{free.training_class_id}/?specialty={free.specialty_id}&level={free.level_id}",
    ]


def same_site_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map((a) => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and parts.path:
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def new_context(browser, demo):
    """A browser context as the `page` fixture makes one, but one that lets axe-core in."""
    context = browser.new_context(
        base_url=demo.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1360, "height": 900},
        bypass_csp=True,  # axe-core is injected as an inline script, which the site's policy rightly refuses
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context


def check_role(browser, demo, axe_script: Path, who: str | None) -> tuple[list[str], list[str], list[str]]:
    """Walk the role's pages; (pages checked, serious or critical violations, the lesser ones)."""
    context = new_context(browser, demo)
    page = context.new_page()
    try:
        if who is not None:
            login(page, who)
        queue = start_pages(who)
        seen_routes = {route_of(urlsplit(url).path) for url in queue}
        seen_urls = set(queue)
        checked, failing, lesser = [], [], []
        while queue:
            url = queue.pop(0)
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            page.wait_for_load_state("load")
            if drawn := DRAWN.get(route_of(urlsplit(url).path) or ""):
                page.locator(drawn).first.wait_for()
            checked.append(f"{url} ({response.status})")
            page.add_script_tag(path=str(axe_script))
            for v in page.evaluate(RUN_AXE, WCAG_AA):
                for node in v["targets"]:
                    impact = node["impact"] or v["impact"]
                    why = " ".join(node["summary"].split())
                    line = f"[{impact}] {v['id']}（{v['help']}）页面 {url}：{node['target']} — {why}"
                    (failing if impact in FAILING else lesser).append(line)
            for link in same_site_links(page, demo.url):
                route = route_of(urlsplit(link).path)
                if route is None or route in seen_routes or link in seen_urls or NOT_PAGES.search(route):
                    continue
                seen_routes.add(route)
                seen_urls.add(link)
                queue.append(link)
        return checked, failing, lesser
    finally:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_meets_wcag_21_aa(browser, demo, axe_script, role):
    name, who = ROLES[role]
    checked, failing, lesser = check_role(browser, demo, axe_script, who)
    assert len(checked) >= 5, f"{name}：只检查了 {len(checked)} 个页面：{checked}"
    if os.environ.get("JXJY_A11Y_ALL"):
        print(f"\n{name}：检查了 {len(checked)} 个页面\n" + "\n".join(checked + lesser + failing))
    assert not failing, f"{name}：{len(failing)} 处严重的无障碍问题（WCAG 2.1 AA，axe-core）：\n" + "\n".join(failing)


def test_a_fields_error_is_told_with_its_field(browser, demo, axe_script):
    """修改密码 sent empty: each field says it is wrong (aria-invalid) and names its message (aria-describedby)."""
    context = new_context(browser, demo)
    try:
        check_field_errors(context.new_page(), axe_script)
    finally:
        context.close()


def check_field_errors(page, axe_script: Path) -> None:
    login(page, LEARNER)
    page.goto("/accounts/password/")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".has-error").first).to_be_visible()
    fields = page.locator("input[aria-invalid='true']")
    expect(fields.first).to_be_visible()
    for field in fields.all():
        described = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"[id='{i}']") for i in described if i.endswith("_error")]
        assert messages, f"{field.get_attribute('name')}：出错时没有以 aria-describedby 关联错误提示"
        expect(messages[0]).to_have_text(re.compile(r"\S"))
    page.add_script_tag(path=str(axe_script))
    serious = [v["id"] for v in page.evaluate(RUN_AXE, WCAG_AA) if v["impact"] in FAILING]
    assert not serious, serious


# ---- Print ----

PRINT_PDFS = os.environ.get("JXJY_PRINT_PDFS")  # a directory: the printed pages go there as PDF, to look at


def base_filing(status: str) -> str:
    from jxjy.filings.models import PreFiling

    return str(PreFiling.objects.filter(base__users__username="jd_sl", status=status).order_by("id").first().pk)


def printed(page, name: str) -> None:
    if PRINT_PDFS:
        Path(PRINT_PDFS).mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(Path(PRINT_PDFS) / f"{name}.pdf"), format="A4", print_background=True)


def test_a_detail_page_and_the_application_form_print_without_menu_or_buttons(page):
    login(page, "jd_sl")
    page.goto(f"/filings/pre/{base_filing('approved')}/")
    expect(page.locator("main h1")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".topbar", "#sidemenu", ".skip-link", ".tab-bar", "main .btn"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".sheet-view").first).to_be_visible()
    wide = page.evaluate("() => document.querySelector('main').getBoundingClientRect().width / window.innerWidth")
    assert wide > 0.95, f"打印时正文只占页面宽度的 {wide:.0%}"
    printed(page, "备案详情")
    page.emulate_media(media="screen")
    page.goto(f"/filings/pre/{base_filing('draft')}/edit/")  # a saved 申报表, its tables filled in
    expect(page.locator("main h1")).to_have_text("自治区专业技术人员继续教育培训开班申报表")
    page.emulate_media(media="print")
    expect(page.locator(".form-actions")).to_be_hidden()
    expect(page.locator("#sidemenu")).to_be_hidden()
    printed(page, "申报表")
