"""Nothing typed is lost when the login ends under a form (static/js/autosave.js, jxjy/core/kept_posts.py).

A 培训信息 and a 培训后备案 step ② are filled in, the session ends on the server while the page stays open
(the page's timers stopped, so that neither autosave nor the idle dialog sees it first), and 确定 / 下一步 is
pressed: the POST meets the ended login. After signing in again the same form is back, every field as typed,
with a banner that says so; pressing the button again saves it.
"""

import datetime as dt
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from jxjy.completions.models import CompletionFiling
from jxjy.trainings.models import TrainingClass

from .conftest import COMPLETION_CLASS, expect_message, login

pytestmark = pytest.mark.browser

KEPT = "登录失效时您提交的内容已为您保留。请核对后点击“{}”。"


def local(delta: dt.timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def end_the_login_under_the_page(page) -> None:
    """The server forgets the session (its 30 minutes ran out) while the page, its timers stopped, stays open.
    What was typed has reached the autosave first (no request of the page is under way then)."""
    page.evaluate("window.jxjyAutosave()")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^已自动保存"))
    page.clock.pause_at(time.time() + 1)
    Session.objects.all().delete()


def sign_in_again(page, button: str) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, "jd_sl")
    expect(page.locator("#draft-banner")).to_have_text(re.compile(re.escape(KEPT.format(button))))


def test_a_training_class_posted_after_the_login_ended_is_kept(page):
    page.clock.install(time=time.time())
    login(page, "jd_sl")
    page.goto("/trainings/classes/new/")
    filing = page.locator("#id_pre_filing option:not([value=''])").first
    filing_label = filing.inner_text()
    page.select_option("#id_pre_filing", filing.get_attribute("value"))
    scope = page.locator("[data-scope-options] label.scope-option:visible input").first
    scope.check()
    typed = {
        "#id_reg_start": local(dt.timedelta(days=1)),
        "#id_reg_end": local(dt.timedelta(days=5)),
        "#id_resubmit_deadline": local(dt.timedelta(days=6)),
        "#id_seat_limit": "40",
        "#id_report_place": "乌鲁木齐市天山区水利科技大厦一楼大厅",
        "#id_class_place": "水利科技大厦三楼培训教室",
        "#id_contact": "李敏",
        "#id_contact_phone": "0991-4561234",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    page.get_by_label("否", exact=True).check()
    before = TrainingClass.objects.count()

    end_the_login_under_the_page(page)
    page.fill("#id_notes", "请携带身份证原件报到。")  # typed after the login ended: only the POST carries it
    page.get_by_role("button", name="确定").click()
    page.clock.resume()
    sign_in_again(page, "确定")

    expect(page).to_have_url(re.compile(r"/trainings/classes/new/$"))
    expect(page.locator("#id_pre_filing option:checked")).to_have_text(filing_label)
    expect(page.locator("[data-scope-options] label.scope-option:visible input").first).to_be_checked()
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_notes")).to_have_value("请携带身份证原件报到。")
    assert TrainingClass.objects.count() == before  # kept, not saved behind the user's back
    page.get_by_role("button", name="确定").click()
    expect_message(page, "保存成功")
    saved = TrainingClass.objects.latest("pk")
    assert saved.class_place == "水利科技大厦三楼培训教室" and saved.notes == "请携带身份证原件报到。"


def test_a_completion_step_posted_after_the_login_ended_is_kept(page, finished_class):
    page.clock.install(time=time.time())
    login(page, "jd_sl")
    page.goto("/completions/new/")
    page.fill("#id_name", f"{COMPLETION_CLASS}结业备案")
    page.select_option("#id_pre_filing", label=COMPLETION_CLASS)
    page.select_option(
        "#id_training_class",
        page.locator("#id_training_class option", has_text=COMPLETION_CLASS).get_attribute("value"),
    )
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/completions/\d+/details/$"))
    # A person types once the page has loaded: what was typed before autosave.js ran would count as the form's
    # untouched state, and 自动保存 would have nothing new to send.
    page.wait_for_load_state()
    completion = CompletionFiling.objects.get(name=f"{COMPLETION_CLASS}结业备案")
    page.fill("#id_actual_hours", "38")
    page.fill("#id_trained_count", "2")

    end_the_login_under_the_page(page)
    page.fill("#id_summary", "培训按计划完成，两名学员全勤，结业考试均合格。")  # only the POST carries it
    page.get_by_role("button", name="下一步").click()
    page.clock.resume()
    sign_in_again(page, "下一步")

    expect(page).to_have_url(re.compile(rf"/completions/{completion.pk}/details/$"))
    expect(page.locator("#id_actual_hours")).to_have_value("38")
    expect(page.locator("#id_trained_count")).to_have_value("2")
    expect(page.locator("#id_summary")).to_have_value("培训按计划完成，两名学员全勤，结业考试均合格。")
    completion.refresh_from_db()
    assert completion.summary != "培训按计划完成，两名学员全勤，结业考试均合格。"
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(rf"/completions/{completion.pk}/scores/$"))
    completion.refresh_from_db()
    assert completion.summary == "培训按计划完成，两名学员全勤，结业考试均合格。" and completion.trained_count == 2
