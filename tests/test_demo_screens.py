"""Every screen of every demo account shows realistic content: after load_demo, each entry of each
account's left menu answers 200 and shows rows, never an empty list."""

import pytest
from django.urls import reverse

from demo.accounts import BASES
from demo.factories import PDF
from demo.loader import load_demo
from demo.routes import menu_screens
from jxjy.accounts.demo_credentials import LEARNERS
from jxjy.accounts.models import Learner, User

from .demo_helpers import demo  # noqa: F401 - the fixture
from .html_helpers import parse

ACCOUNTS = ["admin", "auditor", "rst_zjc", "wlmq_rsj", "slt", *(b[0] for b in BASES), *(p[1] for p in LEARNERS)]
# Screens that are forms or summaries rather than lists: they have no rows to show.
NOT_LISTS = {
    reverse("certificates:verify"), reverse("admin:index"), reverse("stats:index"), reverse("core:home"),
    reverse("notify:settings"),
}  # fmt: skip


def _account(login: str) -> User:
    """A staff account by user name; a learner by the 身份证号 they log in with."""
    learner = Learner.objects.by_id_number(login).first() if login.isdigit() else None
    return learner.user if learner else User.objects.get(username=login)


def problems_on(html: bytes, *, is_list: bool) -> list[str]:
    """What a user would see as missing: an empty-list message, or a list screen without rows."""
    root = parse(html)
    # (A file input's "未选择文件" is not a list.)
    empty = root.find_all(lambda n: "empty" in n.classes and "file-names" not in n.classes)
    found = [f"空列表：{n.text()}" for n in empty]
    rows = root.find_all(lambda n: n.tag == "tr" and n.parent is not None and n.parent.tag == "tbody")
    if is_list and not rows:
        found.append("没有数据行")
    return found


@pytest.mark.usefixtures("demo")
def test_every_menu_screen_of_every_demo_account_has_content(client):
    assert_every_screen_has_content(client)


@pytest.mark.date_sweep("year-end", "new-year", "leap-day")  # the ordinary day: the test above
def test_the_demo_loaded_on_any_day_fills_every_screen(db, client, monkeypatch, django_capture_on_commit_callbacks):
    """`make run` on New Year's Eve or a leap day gives the same complete demo as on an ordinary day."""
    monkeypatch.setattr("jxjy.filings.application_form.render_application_form", lambda filing: PDF)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert_every_screen_has_content(client)


def assert_every_screen_has_content(client) -> None:
    problems = []
    for username in ACCOUNTS:
        user = _account(username)
        client.force_login(user)
        screens = menu_screens(user)
        if username not in ("admin", "auditor"):  # they take no part in the reviews, so get no messages
            screens.append(("站内消息", reverse("review:inbox")))
        assert len(screens) >= 3, username
        for label, url in screens:
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{username} {label} {url}: HTTP {response.status_code}")
                continue
            found = problems_on(response.content, is_list=url not in NOT_LISTS)
            problems += [f"{username} {label} {url}: {p}" for p in found]
    assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("demo")
def test_loading_the_demo_again_adds_nothing():
    from jxjy.certificates.models import Certificate
    from jxjy.completions.models import CompletionFiling
    from jxjy.filings.models import PreFiling
    from jxjy.trainings.models import Registration, TrainingClass

    models = (User, PreFiling, TrainingClass, Registration, CompletionFiling, Certificate)
    before = [m.objects.count() for m in models]
    load_demo()
    assert [m.objects.count() for m in models] == before
