"""The error pages: Chinese, in the site's look, with a way back; the message the code gave is shown."""

import pytest
from django.http import Http404
from django.test import Client, override_settings
from django.urls import path, reverse

from config import urls as project_urls
from jxjy.core import error_views


def raises_http404(request):
    raise Http404("未找到该备案。")


def raises_english_http404(request):
    raise Http404("No PreFiling matches the given query.")


def raises_error(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("missing/", raises_http404),
    path("missing-en/", raises_english_http404),
    path("broken/", raises_error),
    *project_urls.urlpatterns,
]
handler404 = "jxjy.core.error_views.page_not_found"
handler500 = "django.views.defaults.server_error"


@pytest.fixture
def own_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_missing_page_says_so_in_chinese_with_a_way_back(client, db):
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/certificates/verify/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "您访问的页面不存在" in page and "Resolver404" not in page
    assert 'href="http://testserver/certificates/verify/">返回</a>' in page and ">首页</a>" in page


def test_the_message_given_by_the_code_is_shown(client, db, own_urls):
    assert "未找到该备案。" in client.get("/missing/").content.decode()


def test_djangos_english_message_is_not_shown(client, db, own_urls):
    page = client.get("/missing-en/").content.decode()
    assert "No PreFiling" not in page and "您访问的页面不存在" in page


def test_a_link_back_to_another_site_is_not_offered(client, db):
    page = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page


def test_a_refused_page_shows_its_reason(client_for, learner_user):
    response = client_for(learner_user).get(reverse("stats:index"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and "只有人社部门可以查看统计。" in page and "我的主页" in page


def test_a_form_sent_without_its_token_gets_the_sites_page_and_changes_nothing(db, learner_user):
    from jxjy.accounts.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_user)
    before = User.objects.get(pk=learner_user.pk).password
    response = client.post(reverse("accounts:password_change"), {"old_password": "x", "new_password1": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，未能提交" in page and "本次提交没有保存" in page and "Forbidden" not in page
    assert User.objects.get(pk=learner_user.pk).password == before


def test_the_server_error_page_needs_no_database_nor_context_processors(db, own_urls):
    client = Client(raise_request_exception=False)
    with override_settings(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                                       "DIRS": [error_views.__file__.rsplit("/jxjy/", 1)[0] + "/templates"],
                                       "OPTIONS": {"context_processors": []}}]):  # fmt: skip
        response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙，请稍后再试" in page and 'href="/">首页</a>' in page


def test_the_server_error_page_renders_from_the_template_alone():
    from django.template import loader

    page = loader.get_template("500.html").render()  # as Django's server_error renders it: no request
    assert "系统繁忙" in page and "/static/css/app.css" in page


def test_a_signed_in_account_that_may_not_use_the_admin_is_refused_not_sent_round(client_for, base_user):
    """It used to be sent to the login page, which sent it back to the admin: a redirect loop."""
    response = client_for(base_user).get("/admin/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) <= 1
    assert "只有系统管理员可以使用系统管理。" in response.content.decode()


def test_a_post_only_address_opened_in_the_browser_gets_a_chinese_page(client_for, base_user):
    response = client_for(base_user).get(reverse("filings:submit_new"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert int(response["Content-Length"]) == len(response.content)  # a browser reads no further
    assert "不支持的请求方式" in response.content.decode() and "Method Not Allowed" not in response.content.decode()


def test_the_api_keeps_its_json_answers(client, db):
    response = client.get("/api/v1/completions/import")  # POST only, and a token first
    assert response.status_code in (401, 405) and response["Content-Type"].startswith("application/json")
