"""A form's POST that meets an ended login is kept and offered back after the next login (jxjy/core/kept_posts.py),
and a POST that was taken ends the form's draft."""

from urllib.parse import parse_qs, urlparse

from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.core.drafts import draft_for, save_draft
from jxjy.core.kept_posts import KEPT
from jxjy.core.models import FormDraft

from .html_helpers import page
from .prefiling_helpers import NEW_URL, form_of

LOGIN_URL = reverse("accounts:login")


def expired_post(client: Client, data: dict, url: str = NEW_URL, referer: str | None = None):
    return client.post(url, {**data, "_draft_key": "prefiling:new"}, HTTP_REFERER=referer or f"http://testserver{url}")


def sign_in(client: Client, user):
    return client.post(LOGIN_URL, {"username": user.username, "password": f.PASSWORD})


def test_a_post_after_the_login_ended_is_kept_and_offered_back(client, base_user):
    response = expired_post(client, {"class_name": "水利培训班", "venue": "南湖路1号", "csrfmiddlewaretoken": "x"})
    assert response.status_code == 302 and urlparse(response["Location"]).path == LOGIN_URL
    assert client.session[KEPT] == {"prefiling:new": [["class_name", "水利培训班"], ["venue", "南湖路1号"]]}
    sign_in(client, base_user)
    draft = draft_for(base_user, "prefiling:new")
    assert draft["kept"] and draft["pairs"] == [["class_name", "水利培训班"], ["venue", "南湖路1号"]]
    assert KEPT not in client.session
    form = client.get(NEW_URL)
    assert "登录失效时您提交的内容已为您保留。请核对后点击“保存”。" in page(form).text()


def test_the_login_leads_back_to_the_form_not_to_the_url_posted_to(client, db):
    submit = reverse("filings:submit_new")  # POST only: a GET after the login would be refused
    response = expired_post(client, {"class_name": "水利培训班"}, url=submit, referer=f"http://testserver{NEW_URL}")
    assert parse_qs(urlparse(response["Location"]).query)["next"] == [NEW_URL]


def test_a_referer_from_elsewhere_is_not_followed(client, db):
    response = expired_post(
        client, {"class_name": "x"}, url=reverse("filings:submit_new"), referer="https://evil.example/x"
    )
    assert parse_qs(urlparse(response["Location"]).query)["next"] == [reverse("filings:submit_new")]


def test_passwords_are_never_kept(client, db):
    expired_post(client, {"class_name": "x", "password": "secret", "new_password1": "secret"})
    assert client.session[KEPT] == {"prefiling:new": [["class_name", "x"]]}


def test_only_a_user_who_may_fill_in_the_form_gets_it(client, learner_user):
    expired_post(client, {"class_name": "水利培训班"})
    client.post(LOGIN_URL, {"username": learner_user.username, "password": f.PASSWORD})
    assert not FormDraft.objects.exists()


def test_a_post_that_is_not_a_marked_form_is_not_kept(client, db):
    client.post(NEW_URL, {"class_name": "x"})
    assert KEPT not in client.session


def test_a_taken_post_ends_the_draft(client_for, base_user):
    client = client_for(base_user)
    save_draft(base_user, "prefiling:new", [["class_name", "草稿"]])
    data = form_of(client.get(NEW_URL))
    data.update(class_name="临时保存的培训班", action="temp")
    response = client.post(NEW_URL, data)
    assert response.status_code == 302
    assert not FormDraft.objects.filter(user=base_user, key="prefiling:new").exists()


def test_a_refused_post_keeps_the_draft(client_for, base_user):
    client = client_for(base_user)
    save_draft(base_user, "prefiling:new", [["class_name", "草稿"]])
    data = form_of(client.get(NEW_URL))
    data["action"] = "save"  # incomplete: refused, the page again
    assert client.post(NEW_URL, data).status_code == 200
    assert FormDraft.objects.filter(user=base_user, key="prefiling:new").exists()
