"""No lost updates (jxjy/core/stale.py): a page carries the version it was loaded with; saving a document
that changed since — in another tab, or by a colleague — is refused with what differs, and the user chooses."""

import pytest
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Role
from jxjy.core.drafts import draft_for, save_draft
from jxjy.filings.models import PreFiling

from .html_helpers import element, page
from .prefiling_helpers import edit_url, form_of, snapshot

REFUSED = "该单据在您打开本页面之后已被修改（可能是在其他页面，或由本单位其他人员修改），为避免覆盖，本次未保存。"


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


def two_tabs(client, filing) -> tuple[dict, dict]:
    first, second = form_of(client.get(edit_url(filing))), form_of(client.get(edit_url(filing)))
    assert first["_loaded"] == second["_loaded"] != [""]
    return first, second


def test_the_second_tab_is_refused_and_shown_the_difference(base_client, filing):
    first, second = two_tabs(base_client, filing)
    first.update(venue="第一个页面填写的地点", action="temp")
    assert base_client.post(edit_url(filing), first).status_code == 302
    after_first = snapshot(filing)
    second.update(venue="第二个页面填写的地点", class_name="第二个页面改的名称", action="temp")
    response = base_client.post(edit_url(filing), second)
    assert response.status_code == 200 and REFUSED in page(response).text()
    rows = element(response, id="stale").find_all(lambda n: n.tag == "tr")
    cells = [[c.text() for c in r.children if not isinstance(c, str)] for r in rows[1:]]
    assert ["开班地点", "第一个页面填写的地点", "第二个页面填写的地点"] in cells
    assert ["培训班名称", filing.class_name, "第二个页面改的名称"] in cells
    assert snapshot(filing) == after_first  # nothing of the second tab is written
    # What the second tab typed is still in its form.
    assert form_of(response)["venue"] == ["第二个页面填写的地点"]


def test_choosing_to_keep_ones_own_saves_it_over_the_other(base_client, filing):
    first, second = two_tabs(base_client, filing)
    first.update(venue="第一个页面填写的地点", action="temp")
    base_client.post(edit_url(filing), first)
    second.update(venue="第二个页面填写的地点", action="temp")
    refused = base_client.post(edit_url(filing), second)
    again = form_of(refused)  # the page now carries the document's new version
    assert again["_loaded"] != second["_loaded"]
    assert base_client.post(edit_url(filing), again).status_code == 302
    assert PreFiling.objects.get(pk=filing.pk).venue == "第二个页面填写的地点"


def test_a_colleague_of_the_same_base_is_refused_too(base_client, filing, base):
    colleague = f.UserFactory(username="jd_sl_2", role=Role.BASE, organisation=base)
    other = Client()
    other.force_login(colleague)
    mine, theirs = form_of(base_client.get(edit_url(filing))), form_of(other.get(edit_url(filing)))
    theirs.update(venue="同事填写的地点", action="temp")
    assert other.post(edit_url(filing), theirs).status_code == 302
    mine.update(venue="我填写的地点", action="temp")
    assert REFUSED in page(base_client.post(edit_url(filing), mine)).text()


def test_giving_up_ones_changes_shows_the_saved_document_and_drops_the_draft(base_client, filing, base_user):
    save_draft(base_user, f"prefiling:{filing.pk}", [["venue", "放弃的内容"]])
    response = base_client.get(edit_url(filing) + "?discard_draft=1")
    assert form_of(response)["venue"] == [filing.venue]
    assert draft_for(base_user, f"prefiling:{filing.pk}") is None


def test_a_page_loaded_before_a_review_move_is_refused(base_client, filing, client_for):
    page_before = form_of(base_client.get(edit_url(filing)))
    PreFiling.objects.filter(pk=filing.pk).update(venue="别处改过")  # no version change: update() skips it
    filing.refresh_from_db()
    filing.save()  # a change through the model: a new version
    page_before.update(action="temp")
    assert REFUSED in page(base_client.post(edit_url(filing), page_before)).text()


@pytest.mark.parametrize("url_name", ["trainings:class_edit"])
def test_the_training_class_form_is_guarded_too(client_for, base, base_user, url_name):
    filing = f.approved_filing(base, base_user)
    c = f.published_class(filing, base_user, status="draft", published=False)
    client = client_for(base_user)
    url = reverse(url_name, args=[c.pk])
    first, second = form_of(client.get(url), "class-form"), form_of(client.get(url), "class-form")
    first["class_place"] = ["第一个页面填写的上课地点"]
    assert client.post(url, first).status_code == 302
    second["class_place"] = ["第二个页面填写的上课地点"]
    response = client.post(url, second)
    assert response.status_code == 200 and REFUSED in page(response).text()
    assert "第一个页面填写的上课地点" in element(response, id="stale").text()
