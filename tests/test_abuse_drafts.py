"""Autosave cannot be used to fill the database: a draft is kept only for a form the user may fill in, it is
bounded in size, a user keeps at most 50, and drafts nobody touched for a month are pruned."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.urls import reverse

from demo import factories as f
from jxjy.core import drafts
from jxjy.core.models import FormDraft
from jxjy.filings.models import PreFiling, Purpose

AUTOSAVE_URL = reverse("core:autosave")
TOO_LARGE = "填写的内容超过256KB，无法自动保存，请及时保存表单。"
NOT_YOURS = "该表单不能自动保存：单据不存在、已提交，或您无权修改。"
PAIRS = [["class_name", "水利行业培训班"]]


def post(client, body: str | bytes) -> tuple[int, dict]:
    response = client.post(AUTOSAVE_URL, body, content_type="application/json")
    return response.status_code, response.json()


def autosave(client, key: str, pairs=PAIRS) -> tuple[int, dict]:
    return post(client, json.dumps({"key": key, "pairs": pairs}, ensure_ascii=False))


def note_kind(user, ident) -> bool:
    """A form kind anyone may keep drafts of: lets a test fill the per-user bound without 50 filings."""
    return True


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


# ---- size ----


def test_six_drafts_of_10_mb_are_refused_and_nothing_is_stored(base_client, base, base_user):
    filings = [f.complete_filing(base, base_user, class_name=f"培训班{n}") for n in range(4)]
    keys = ["prefiling:new", "recognition:new", *(f"prefiling:{x.pk}" for x in filings)]
    big = [["class_name", "水" * (10 * 1024 * 1024 // 3)]]  # 10 MB of UTF-8
    for key in keys:
        assert autosave(base_client, key, big) == (400, {"ok": False, "error": TOO_LARGE})
    assert not FormDraft.objects.exists()


def test_a_body_beyond_the_upload_limit_gets_the_same_json_answer(base_client):
    body = json.dumps({"key": "prefiling:new", "pairs": [["venue", "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)]]})
    assert post(base_client, body) == (400, {"ok": False, "error": TOO_LARGE})
    assert not FormDraft.objects.exists()


def test_a_draft_up_to_the_bound_is_kept_one_byte_more_is_not(base_client):
    envelope = len(json.dumps({"key": "prefiling:new", "pairs": [["venue", ""]]}))
    fits = [["venue", "x" * (drafts.MAX_DRAFT_BYTES - envelope)]]
    assert autosave(base_client, "prefiling:new", fits)[0] == 200
    over = [["venue", "x" * (drafts.MAX_DRAFT_BYTES - envelope + 1)]]
    assert autosave(base_client, "prefiling:new", over) == (400, {"ok": False, "error": TOO_LARGE})
    assert FormDraft.objects.get().data == {"pairs": fits}  # the refused one changed nothing


def test_a_deeply_nested_body_is_refused_as_bad_format(base_client):
    status, answer = post(base_client, "[" * 100_000 + "]" * 100_000)
    assert (status, answer) == (400, {"ok": False, "error": "自动保存的数据格式不正确。"})


# ---- whose forms ----


def test_drafts_only_for_the_users_own_editable_filings(base_client, base, base_user, other_base_user, filing):
    recognition = f.complete_filing(base, base_user, purpose=Purpose.RECOGNITION, planned_count=40)
    submitted = f.complete_filing(base, base_user, class_name="已提交的备案")
    PreFiling.objects.filter(pk=submitted.pk).update(status="dept_review", submitted_at=filing.updated_at)
    others = f.complete_filing(other_base_user.organisation, other_base_user)
    allowed = [f"prefiling:{filing.pk}", "prefiling:new", f"recognition:{recognition.pk}", "recognition:new"]
    refused = [
        f"prefiling:{others.pk}",  # another base's
        f"prefiling:{submitted.pk}",  # no longer editable
        f"prefiling:{recognition.pk}",  # a 学时认定 under the 备案 form's kind
        f"recognition:{filing.pk}",
        "prefiling:999999999999999999",  # no such filing
        "trainingclass:1",  # no form of this kind autosaves
    ]
    for key in allowed:
        assert autosave(base_client, key)[0] == 200, key
    for key in refused:
        assert autosave(base_client, key) == (400, {"ok": False, "error": NOT_YOURS}), key
    assert sorted(FormDraft.objects.values_list("key", flat=True)) == sorted(allowed)


@pytest.mark.parametrize("who", ["learner_user", "department_user", "hr_region_user", "sysadmin_user"])
def test_accounts_that_cannot_file_keep_no_draft(request, client_for, who, filing):
    client = client_for(request.getfixturevalue(who))
    for key in ("prefiling:new", f"prefiling:{filing.pk}", "recognition:new"):
        assert autosave(client, key) == (400, {"ok": False, "error": NOT_YOURS})
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize("key", ["prefiling:99999999999999999999", "prefiling:0", "prefiling:007"])
def test_numbers_outside_what_a_key_may_hold_are_bad_format(base_client, key):
    assert autosave(base_client, key) == (400, {"ok": False, "error": "自动保存的数据格式不正确。"})


# ---- how many, how long ----


def test_a_user_keeps_at_most_50_drafts_the_oldest_going_first(base_client, base_user, other_base_user, settings):
    settings.JXJY_DRAFT_KINDS = {**settings.JXJY_DRAFT_KINDS, "note": f"{__name__}.note_kind"}
    FormDraft.objects.create(user=other_base_user, key="note:1", data={"pairs": PAIRS})
    for n in range(1, 53):
        assert autosave(base_client, f"note:{n}")[0] == 200
    mine = FormDraft.objects.filter(user=base_user)
    assert mine.count() == 50
    assert set(mine.values_list("key", flat=True)) == {f"note:{n}" for n in range(3, 53)}
    assert FormDraft.objects.filter(user=other_base_user).count() == 1  # someone else's are not counted


def test_saving_an_old_draft_again_keeps_it(base_client, base_user, settings):
    settings.JXJY_DRAFT_KINDS = {**settings.JXJY_DRAFT_KINDS, "note": f"{__name__}.note_kind"}
    for n in range(1, 51):
        autosave(base_client, f"note:{n}")
    autosave(base_client, "note:1", [["x", "again"]])  # the oldest, touched again: now the newest
    autosave(base_client, "note:51")
    keys = set(FormDraft.objects.filter(user=base_user).values_list("key", flat=True))
    assert "note:1" in keys and "note:2" not in keys and len(keys) == 50


def test_drafts_untouched_for_the_keep_days_are_pruned(client_for, base_user, clock):
    autosave(client_for(base_user), "prefiling:new")
    clock.shift(dt.timedelta(days=settings.JXJY_DRAFT_KEEP_DAYS - 1))
    autosave(client_for(base_user), "recognition:new")  # logged in anew: the first login has long ended
    assert drafts.prune_drafts() == 0
    clock.shift(dt.timedelta(days=1, minutes=1))
    assert drafts.prune_drafts() == 1
    assert list(FormDraft.objects.values_list("key", flat=True)) == ["recognition:new"]


def test_the_task_worker_runs_the_prune_sweep():
    assert ("jxjy.core.drafts.prune_drafts", 3600) in settings.JXJY_WORKER_SWEEPS
