"""Choosing the interface language: 简体中文 or ئۇيغۇرچە.

A switch on every page (before login too) sets a cookie and, for a signed-in user, the account, so the
choice follows the person to another browser; a first visit gets the browser's Accept-Language; the API
answers in the language its request asks for. <html> carries lang and dir (rtl in Uyghur)."""

import re

import pytest
from django.test import Client
from django.utils import translation

from jxjy.accounts.models import Prefecture
from jxjy.catalog.models import Series

SWITCH = "/accounts/language/"
COOKIE = "jxjy_language"


def ug(msgid: str) -> str:
    with translation.override("ug"):
        return translation.gettext(msgid)


def html_tag(response) -> str:
    return re.search(r"<html [^>]*>", response.content.decode()).group(0)


@pytest.mark.django_db
def test_a_first_visit_gets_the_browsers_language():
    chinese = Client().get("/accounts/login/")
    assert html_tag(chinese) == '<html lang="zh-Hans" dir="ltr">' and "证书查验" in chinese.content.decode()
    uyghur = Client(headers={"accept-language": "ug,zh;q=0.5"}).get("/accounts/login/")
    page = uyghur.content.decode()
    assert html_tag(uyghur) == '<html lang="ug" dir="rtl">'
    assert ug("证书查验") in page and ug("登录") in page and ug("证书查验") != "证书查验"
    assert "bootstrap-reboot.rtl.min.css" in page and "/static/jsi18n/ug/djangojs.js" in page


@pytest.mark.django_db
def test_the_switch_is_on_the_login_page_and_sets_a_cookie_that_wins_over_the_browser():
    client = Client(headers={"accept-language": "zh-CN"})
    page = client.get("/accounts/login/").content.decode()
    assert f'action="{SWITCH}"' in page and 'value="ug"' in page and "ئۇيغۇرچە" in page
    response = client.post(SWITCH, {"language": "ug", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.cookies[COOKIE].value == "ug"
    assert html_tag(client.get("/accounts/login/")) == '<html lang="ug" dir="rtl">'


@pytest.mark.django_db
def test_an_unknown_language_or_a_foreign_next_changes_nothing():
    client = Client()
    client.post(SWITCH, {"language": "xx", "next": "/"})
    assert COOKIE not in client.cookies
    response = client.post(SWITCH, {"language": "ug", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_switch_is_a_post_only(client, db):
    assert client.get(SWITCH).status_code == 405


def test_a_signed_in_choice_is_kept_on_the_account_and_follows_to_another_browser(client_for, learner_user):
    client = client_for(learner_user)
    client.post(SWITCH, {"language": "ug", "next": "/"})
    learner_user.refresh_from_db()
    assert learner_user.language == "ug"
    elsewhere = Client(headers={"accept-language": "zh-CN"})
    elsewhere.force_login(learner_user)
    response = elsewhere.get("/")
    page = response.content.decode()
    assert html_tag(response) == '<html lang="ug" dir="rtl">' and ug("我的主页") in page
    assert elsewhere.cookies[COOKIE].value == "ug"  # the browser learns it too
    elsewhere.post(SWITCH, {"language": "zh-hans", "next": "/"})
    learner_user.refresh_from_db()
    assert learner_user.language == "zh-hans" and html_tag(elsewhere.get("/")) == '<html lang="zh-Hans" dir="ltr">'


def test_every_signed_in_page_has_the_switch_and_the_menu_in_uyghur(client_for, base_user):
    base_user.language = "ug"
    base_user.save(update_fields=["language"])
    page = client_for(base_user).get("/filings/").content.decode()
    assert f'action="{SWITCH}"' in page and 'value="zh-hans"' in page
    for msgid in ("培训前备案", "站内消息", "修改密码", "退出"):
        assert ug(msgid) in page, msgid


def test_the_api_answers_in_the_language_asked_for(client, db):
    url = "/api/v1/certificates/verify/file"
    chinese = client.post(url, headers={"accept-language": "zh-CN"})
    uyghur = client.post(url, headers={"accept-language": "ug"})
    assert chinese.status_code == uyghur.status_code == 400
    assert chinese.json()["message"] == "请选择要查验的 PDF 文件。"
    assert uyghur.json() == {"code": "no_file", "message": ug("请选择要查验的 PDF 文件。")}


def test_a_signed_in_api_request_that_names_its_language_gets_it(client_for, learner_user):
    learner_user.language = "ug"
    learner_user.save(update_fields=["language"])
    response = client_for(learner_user).post("/api/v1/certificates/verify/file", headers={"accept-language": "zh"})
    assert response.json()["message"] == "请选择要查验的 PDF 文件。"


def test_the_seeded_catalogue_and_prefectures_are_shown_in_the_pages_language(db):
    """Stored in Chinese, shown in the page's language; a name the 系统管理员 adds is shown as entered."""
    series = Series.objects.get(name="工程系列")
    specialty = series.specialties.get(name="水利专业")
    prefecture = Prefecture.objects.get(name="乌鲁木齐市")
    assert (str(series), str(specialty), str(prefecture)) == ("工程系列", "工程系列 > 水利专业", "乌鲁木齐市")
    with translation.override("ug"):
        assert str(series) == ug("工程系列") != "工程系列"
        assert str(specialty) == f"{ug('工程系列')} > {ug('水利专业')}"
        assert prefecture.shown == ug("乌鲁木齐市") != "乌鲁木齐市"
        assert Series(name="新设系列").shown == "新设系列"
