"""Nothing typed is lost (DESIGN §5): autosave keeps a draft of the open 申报表 on the server, and the
form offers it again, also after the login ran out and the user logged in anew."""

import datetime as dt
import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.core.models import FormDraft
from jxjy.filings.models import PreFiling

from .html_helpers import page
from .prefiling_helpers import NEW_URL, complete_new_form, edit_url, form_of, post_url

AUTOSAVE_URL = reverse("core:autosave")
BAD_FORMAT = {"ok": False, "error": "自动保存的数据格式不正确。"}
PAIRS = [["class_name", "水利行业培训班"], ["venue", "乌鲁木齐市南湖路1号"], ["scope", "1:1"], ["scope", "1:2"]]


def autosave(client, key: str, pairs) -> dict:
    response = client.post(AUTOSAVE_URL, json.dumps({"key": key, "pairs": pairs}), content_type="application/json")
    return {"status": response.status_code, **response.json()}


def offered_draft(response) -> dict | None:
    """The draft the form page hands to its script for restoring, if any."""
    scripts = page(response).find_all(lambda n: n.tag == "script" and n.attrs.get("id") == "draft-data")
    return json.loads(scripts[0].text()) if scripts else None


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


# ---- the endpoint ----


def test_autosave_stores_what_is_typed_for_this_user_and_form(base_client, base_user):
    answer = autosave(base_client, "prefiling:new", PAIRS)
    assert answer["status"] == 200 and answer["ok"] is True and answer["saved_at"]
    draft = FormDraft.objects.get()
    assert (draft.user, draft.key, draft.data) == (base_user, "prefiling:new", {"pairs": PAIRS})


def test_autosave_again_replaces_the_draft(base_client):
    autosave(base_client, "prefiling:new", PAIRS)
    autosave(base_client, "prefiling:new", [["class_name", "改了名字"]])
    assert FormDraft.objects.get().data == {"pairs": [["class_name", "改了名字"]]}


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '"prefiling:new"',
        json.dumps({"key": "prefiling:new"}),
        json.dumps({"pairs": PAIRS}),
        json.dumps({"key": "prefiling:abc", "pairs": PAIRS}),
        json.dumps({"key": "Prefiling:new", "pairs": PAIRS}),
        json.dumps({"key": "prefiling:new\n", "pairs": PAIRS}),
        json.dumps({"key": "prefiling:-1", "pairs": PAIRS}),
        json.dumps({"key": "prefiling:１２", "pairs": PAIRS}),
        json.dumps({"key": "../prefiling:1", "pairs": PAIRS}),
        json.dumps({"key": 12, "pairs": PAIRS}),
        json.dumps({"key": "prefiling:new", "pairs": "class_name=x"}),
        json.dumps({"key": "prefiling:new", "pairs": {"class_name": "x"}}),
        json.dumps({"key": "prefiling:new", "pairs": [["class_name"]]}),
        json.dumps({"key": "prefiling:new", "pairs": [["class_name", "x", "y"]]}),
        json.dumps({"key": "prefiling:new", "pairs": [["total_hours", 40]]}),
        json.dumps({"key": "prefiling:new", "pairs": [[None, "x"]]}),
        json.dumps({"key": "prefiling:new", "pairs": [["courses-0-content", "x"]] * 2001}),
    ],
)
def test_bad_payloads_are_refused_and_nothing_is_stored(base_client, body):
    response = base_client.post(AUTOSAVE_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == BAD_FORMAT
    assert not FormDraft.objects.exists()


def test_a_body_that_is_not_utf8_is_refused(base_client):
    response = base_client.post(AUTOSAVE_URL, b"\xff\xfe{", content_type="application/json")
    assert response.status_code == 400 and response.json() == BAD_FORMAT


def test_autosave_needs_a_post(base_client):
    assert base_client.get(AUTOSAVE_URL).status_code == 405


def test_anonymous_autosave_gets_a_json_401_so_the_page_keeps_the_input(db):
    answer = autosave(Client(), "prefiling:new", PAIRS)
    assert answer == {"status": 401, "ok": False, "error": "登录已失效，请重新登录。"}
    assert not FormDraft.objects.exists()


def test_anonymous_keepalive_gets_a_json_401(db):
    response = Client().post(reverse("core:keepalive"))
    assert response.status_code == 401 and response.json()["error"] == "登录已失效，请重新登录。"


def test_empty_pairs_discard_the_draft(base_client):
    autosave(base_client, "prefiling:new", PAIRS)
    answer = autosave(base_client, "prefiling:new", [])
    assert answer == {"status": 200, "ok": True, "saved_at": None}
    assert not FormDraft.objects.exists()


# ---- restoring ----


def test_the_form_offers_the_autosaved_draft(base_client):
    autosave(base_client, "prefiling:new", PAIRS)
    response = base_client.get(NEW_URL)
    assert offered_draft(response)["pairs"] == PAIRS
    assert "已为您恢复上次未保存的内容" in response.content.decode()
    assert page(response).find_all(
        lambda n: n.attrs.get("name") == "_draft_key" and n.attrs["value"] == "prefiling:new"
    )


def test_no_draft_no_offer(base_client):
    response = base_client.get(NEW_URL)
    assert offered_draft(response) is None
    assert "已为您恢复上次未保存的内容" not in response.content.decode()


def test_the_draft_is_offered_again_after_the_login_ran_out(client, base_user):
    client.force_login(base_user)
    autosave(client, "prefiling:new", PAIRS)
    Session.objects.all().delete()  # the idle timeout ended the login
    assert autosave(client, "prefiling:new", [*PAIRS, ["fax", "0991-1"]])["status"] == 401
    assert client.get(NEW_URL).status_code == 302
    client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD})
    assert offered_draft(client.get(NEW_URL))["pairs"] == PAIRS


def test_the_draft_survives_logging_out_and_in_from_another_browser(client_for, base_user):
    first = client_for(base_user)
    autosave(first, "prefiling:new", PAIRS)
    first.post(reverse("accounts:logout"))
    second = Client()
    second.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD})
    assert offered_draft(second.get(NEW_URL))["pairs"] == PAIRS


def test_a_draft_is_offered_only_to_the_user_who_typed_it(client_for, base, base_user, other_base_user):
    autosave(client_for(base_user), "prefiling:new", PAIRS)
    colleague = f.UserFactory(username="jd_sl_2", organisation=base)
    assert offered_draft(Client().get(NEW_URL)) is None
    for user in (colleague, other_base_user):
        c = Client()
        c.force_login(user)
        assert offered_draft(c.get(NEW_URL)) is None


def test_the_draft_embedded_in_the_page_cannot_break_out_of_its_script(base_client):
    autosave(base_client, "prefiling:new", [["class_name", "</script><script>alert(1)</script>"]])
    response = base_client.get(NEW_URL)
    assert "<script>alert(1)" not in response.content.decode()
    assert offered_draft(response)["pairs"] == [["class_name", "</script><script>alert(1)</script>"]]


def test_a_filings_draft_is_offered_on_that_filing_only(base_client, filing, base, base_user):
    other = f.complete_filing(base, base_user, class_name="另一个备案")
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    assert offered_draft(base_client.get(edit_url(filing)))["pairs"] == PAIRS
    assert offered_draft(base_client.get(edit_url(other))) is None
    assert offered_draft(base_client.get(NEW_URL)) is None


def test_a_draft_older_than_the_filings_last_save_is_not_offered(base_client, filing):
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    filing.refresh_from_db()
    FormDraft.objects.update(updated_at=filing.updated_at - dt.timedelta(minutes=1))
    assert offered_draft(base_client.get(edit_url(filing))) is None
    FormDraft.objects.update(updated_at=filing.updated_at)
    assert offered_draft(base_client.get(edit_url(filing))) is None
    FormDraft.objects.update(updated_at=filing.updated_at + dt.timedelta(seconds=1))
    assert offered_draft(base_client.get(edit_url(filing)))["pairs"] == PAIRS


def test_saving_the_filing_elsewhere_outdates_the_draft(base_client, filing):
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    FormDraft.objects.update(updated_at=filing.updated_at + dt.timedelta(seconds=1))
    PreFiling.objects.filter(pk=filing.pk).update(updated_at=filing.updated_at + dt.timedelta(seconds=2))
    assert offered_draft(base_client.get(edit_url(filing))) is None


# ---- clearing ----


def test_a_successful_save_of_a_new_filing_clears_its_draft(base_client):
    autosave(base_client, "prefiling:new", PAIRS)
    data = complete_new_form(base_client)
    data["action"] = "save"
    base_client.post(NEW_URL, data)
    assert PreFiling.objects.count() == 1
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize("action", ["temp", "save", "submit"])
def test_a_successful_save_of_an_existing_filing_clears_its_draft(base_client, filing, action):
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    autosave(base_client, "prefiling:new", PAIRS)
    data = form_of(base_client.get(edit_url(filing)))
    data["action"] = action
    assert base_client.post(post_url(filing, action), data).status_code == 302
    assert list(FormDraft.objects.values_list("key", flat=True)) == ["prefiling:new"]


def test_a_refused_save_keeps_the_draft(base_client, filing):
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    data = form_of(base_client.get(edit_url(filing)))
    data.update(class_name="", action="save")
    assert base_client.post(edit_url(filing), data).status_code == 200
    assert FormDraft.objects.get().data == {"pairs": PAIRS}


def test_deleting_a_draft_filing_discards_its_drafts(base_client, filing):
    autosave(base_client, f"prefiling:{filing.pk}", PAIRS)
    autosave(base_client, "prefiling:new", PAIRS)
    base_client.post(reverse("filings:delete", args=[filing.pk]))
    assert list(FormDraft.objects.values_list("key", flat=True)) == ["prefiling:new"]
