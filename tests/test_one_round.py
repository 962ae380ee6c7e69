"""保存 and 提交 say everything that is wrong in one answer, and a picked file is never picked twice.

Formats (手机号), completeness (an empty field, a missing attachment), a file's content and its name, and the
business rules (总学时 against the courses) come back together, each next to its field. A file is uploaded the
moment it is picked (attachments:stage) and stays with the form, whatever else is wrong, until a save attaches
it or the user removes it.
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.attachments import services as attachment_services
from jxjy.attachments.models import Attachment, StagedUpload
from jxjy.filings.models import PreFiling

from .html_helpers import element, errors_next_to
from .prefiling_helpers import (
    ELF,
    INVITATION,
    NEW_URL,
    NOTICE,
    PDF,
    PLAN,
    complete_new_form,
    form_of,
    media_files,
)

STAGE_URL = reverse("attachments:stage")


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stage(client, name: str, kind: str = "plan", key: str = "prefiling:new", content: bytes = PDF):
    return client.post(STAGE_URL, {"key": key, "kind": kind, "file": upload(name, content)})


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


def one_of_each_kind(client) -> dict:
    """A complete new 申报表 with one error of every kind."""
    data = complete_new_form(client)
    data["leader_mobile"] = "1389988"  # a format
    data["venue"] = ""  # completeness
    data["total_hours"] = "48"  # a business rule: the courses add up to 40
    data["upload_plan"] = upload(f"{PLAN}.pdf", ELF)  # a file's content
    data["upload_notice"] = upload("通知.pdf")  # a file's name
    data["upload_invitation"] = upload(f"{INVITATION}.pdf")  # a good one: kept
    data["action"] = "save"
    return data


def test_one_save_says_every_kind_of_error_at_once(base_client):
    response = base_client.post(NEW_URL, one_of_each_kind(base_client))
    assert response.status_code == 200
    assert errors_next_to(response, "leader_mobile") == ["请输入正确的11位手机号码。"]
    assert errors_next_to(response, "venue") == ["开班地点不能为空"]
    assert errors_next_to(response, "total_hours") == ["总学时（48）应等于教学课程学时数之和（40）"]
    files = element(response, data_field="attachments").errors()
    assert f"文件「{PLAN}.pdf」的类型不符合要求，只能上传jpg/png/pdf文件，且单个文件不超过2MB。" in files
    assert any(m.startswith("文件「通知.pdf」的名称应与内容相符") for m in files)
    assert f"请上传附件：{PLAN}" in files and f"请上传附件：{NOTICE}" in files
    assert f"请上传附件：{INVITATION}" not in files  # it came with this save and is kept
    assert not PreFiling.objects.exists() and not Attachment.objects.exists()
    [kept] = StagedUpload.objects.all()
    assert kept.original_name == f"{INVITATION}.pdf" and kept.draft_key == "prefiling:new"
    assert f"{INVITATION}.pdf（" in element(response, data_field="attachments").text()


def test_the_summary_links_every_error_to_its_field(base_client):
    response = base_client.post(NEW_URL, one_of_each_kind(base_client))
    summary = element(response, id="error-summary")
    links = {a.attrs["href"] for a in summary.find_all(lambda n: n.tag == "a")}
    assert {"#field-leader_mobile", "#field-venue", "#field-total_hours", "#field-attachments"} <= links
    for href in links:
        assert element(response, id=href[1:])  # each link lands on its field


def test_fixed_after_one_round_the_kept_file_is_saved_with_the_filing(base_client):
    data = one_of_each_kind(base_client)
    base_client.post(NEW_URL, data)
    fixed = complete_new_form(base_client)  # the three files again, but the invitation is picked already
    del fixed["upload_invitation"]
    fixed["form_key"] = data["form_key"]
    fixed["action"] = "save"
    response = base_client.post(NEW_URL, fixed)
    filing = PreFiling.objects.get()
    assert response.status_code == 302
    assert sorted(a.original_name for a in filing.attachments.all()) == sorted(
        [f"{PLAN}.pdf", f"{NOTICE}.pdf", f"{INVITATION}.pdf"]
    )
    assert not StagedUpload.objects.exists()
    assert {a.file.name for a in filing.attachments.all()} <= media_files()


def test_a_temporary_save_with_a_refused_file_changes_nothing(base_client):
    data = form_of(base_client.get(NEW_URL))
    data.update(class_name="水利培训班", action="temp", upload_plan=upload(f"{PLAN}.pdf", ELF))
    response = base_client.post(NEW_URL, data)
    assert response.status_code == 200 and not PreFiling.objects.exists()
    assert form_of(response)["class_name"] == ["水利培训班"]


# ---- picked and uploaded at once ----


def test_a_picked_file_is_checked_and_kept_for_the_form(base_client, base_user):
    response = stage(base_client, f"{PLAN}.pdf")
    assert response.status_code == 201
    answer = response.json()["file"]
    assert answer["name"] == f"{PLAN}.pdf" and answer["kind"] == "plan"
    item = StagedUpload.objects.get(pk=answer["id"])
    assert item.owner == base_user and item.file.name in media_files()
    page = base_client.get(NEW_URL)
    assert f"{PLAN}.pdf（" in element(page, data_field="attachments").text()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (f"{PLAN}.pdf", ELF, f"文件「{PLAN}.pdf」的类型不符合要求，只能上传jpg/png/pdf文件，且单个文件不超过2MB。"),
        (
            "方案.pdf",
            PDF,
            "文件「方案.pdf」的名称应与内容相符，须包含「继续教育培训实施方案」，如「继续教育培训实施方案.pdf」。",
        ),
        (f"{PLAN}.pdf", b"", f"文件「{PLAN}.pdf」是空文件。"),
    ],
)
def test_a_refused_pick_says_why_and_stores_nothing(base_client, name, content, message):
    response = stage(base_client, name, content=content)
    assert response.status_code == 400 and response.json() == {"ok": False, "error": message}
    assert not StagedUpload.objects.exists() and media_files() == set()


def test_only_a_form_the_user_may_fill_in_takes_files(base_client, client_for, other_base_user):
    theirs = f.complete_filing(other_base_user.organisation, other_base_user)
    assert stage(base_client, f"{PLAN}.pdf", key=f"prefiling:{theirs.pk}").status_code == 403
    assert stage(client_for(other_base_user), f"{PLAN}.pdf", key="nothing:new").status_code == 403
    assert not StagedUpload.objects.exists()


def test_a_pick_without_a_login_is_answered_in_json(client, db):
    response = stage(client, f"{PLAN}.pdf")
    assert response.status_code == 401 and response.json()["error"] == "登录已失效，请重新登录。"


def test_a_bad_request_is_refused(base_client):
    response = base_client.post(STAGE_URL, {"key": "prefiling:new", "kind": "nonsense", "file": upload("a.pdf")})
    assert response.status_code == 400 and json.loads(response.content)["error"] == "上传请求不完整，请重新选择文件。"


def test_removing_takes_only_ones_own(base_client, other_base_user, django_capture_on_commit_callbacks):
    other = Client()
    other.force_login(other_base_user)
    theirs = stage(other, f"{PLAN}.pdf").json()["file"]
    mine = stage(base_client, f"{PLAN}.pdf").json()["file"]
    with django_capture_on_commit_callbacks(execute=True):
        assert base_client.post(mine["remove_url"]).status_code == 200
        base_client.post(theirs["remove_url"])
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [theirs["id"]]
    assert len(media_files()) == 1


def test_a_form_holds_a_bounded_number_of_picked_files(base_client, monkeypatch):
    monkeypatch.setattr(attachment_services, "MAX_STAGED_PER_FORM", 2)
    assert stage(base_client, f"{PLAN}.pdf").status_code == 201
    assert stage(base_client, f"{PLAN}2.pdf").status_code == 201
    refused = stage(base_client, f"{PLAN}3.pdf")
    assert refused.status_code == 400 and "最多暂存2个" in refused.json()["error"]


def test_picked_files_nobody_saved_are_pruned(base_client, settings, clock, django_capture_on_commit_callbacks):
    stage(base_client, f"{PLAN}.pdf")
    clock.shift(dt.timedelta(days=settings.JXJY_DRAFT_KEEP_DAYS - 1))
    assert attachment_services.prune_staged() == 0
    clock.shift(dt.timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert attachment_services.prune_staged() == 1
    assert not StagedUpload.objects.exists() and media_files() == set()
    assert ("jxjy.attachments.services.prune_staged", 3600) in settings.JXJY_WORKER_SWEEPS


def test_a_refused_pick_is_said_again_in_the_answer_to_save(base_client):
    """The page's own message for a refused pick is gone once 保存 answers: the answer says it again, once."""
    stage(base_client, "方案.pdf")
    stage(base_client, "通知.pdf", kind="notice")
    stage(base_client, f"{NOTICE}.pdf", kind="notice")  # picked again, right this time
    data = form_of(base_client.get(NEW_URL))
    data["action"] = "save"
    first = element(base_client.post(NEW_URL, data), data_field="attachments").errors()
    assert any(m.startswith("文件「方案.pdf」的名称应与内容相符") for m in first)
    assert not any("通知.pdf」的名称" in m for m in first)
    again = element(base_client.post(NEW_URL, data), data_field="attachments").errors()
    assert not any("方案.pdf" in m for m in again)
