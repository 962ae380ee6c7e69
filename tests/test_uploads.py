"""附件: jpg/png/pdf judged by content, at most 2 MB, named by kind; stored under a server name; served
only to those entitled to the filing (DESIGN §5, guide §G)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from demo import factories as f
from jxjy.attachments.models import Attachment, StagedUpload
from jxjy.completions import services as completion_services
from jxjy.core.uploads import check_upload
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine

from .html_helpers import alerts, element
from .prefiling_helpers import (
    ELF,
    INVITATION,
    JPG,
    MZ,
    NEW_URL,
    NOTICE,
    PDF,
    PLAN,
    PNG,
    edit_url,
    form_of,
    media_files,
    pdf_of_size,
    snapshot,
)

MB2 = 2 * 1024 * 1024
TYPE_REFUSED = "的类型不符合要求，只能上传jpg/png/pdf文件，且单个文件不超过2MB。"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


def post_files(client, filing, action: str = "temp", **files):
    """The filing's edit page posted back unchanged, with `files` ({"upload_plan": file, …}) added."""
    data = form_of(client.get(edit_url(filing)))
    data.update(files, action=action)
    return client.post(edit_url(filing), data)


def attachment_errors(response) -> list[str]:
    return element(response, data_field="attachments").errors()


def new_attachments(filing, before: dict) -> list[Attachment]:
    known = {row[0] for row in before["attachments"]}
    return [a for a in filing.attachments.all() if a.pk not in known]


# ---- accepted ----


@pytest.mark.parametrize(
    "field, name, content, mime",
    [
        ("upload_other", "现场照片.jpg", JPG, "image/jpeg"),
        ("upload_other", "现场照片.jpeg", JPG, "image/jpeg"),
        ("upload_other", "场地平面图.png", PNG, "image/png"),
        ("upload_other", "收费文件.pdf", PDF, "application/pdf"),
        ("upload_plan", f"{PLAN}.JPG", JPG, "image/jpeg"),
        ("upload_plan", f"{PLAN}.PDF", PDF, "application/pdf"),
        ("upload_notice", f"{NOTICE}.png", PNG, "image/png"),
        ("upload_plan", f"2026年{PLAN}（定稿）.pdf", PDF, "application/pdf"),
        ("upload_invitation", f"{INVITATION}.pdf", PDF, "application/pdf"),
        ("upload_invitation", "继续教育培训班开班邀请函.pdf", PDF, "application/pdf"),
    ],
)
def test_allowed_files_are_stored_with_their_type_from_the_content(
    base_client, filing, base_user, field, name, content, mime
):
    before = snapshot(filing)
    response = post_files(base_client, filing, **{field: upload(name, content)})
    assert response.status_code == 302
    (attachment,) = new_attachments(filing, before)
    assert attachment.kind == field.removeprefix("upload_")
    assert attachment.original_name == name
    assert attachment.mime_type == mime
    assert attachment.uploaded_by == base_user
    assert attachment.file.name in media_files()
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert attachment.size == len(data)
    if mime == "application/pdf":
        assert data == content
    else:  # images are stored re-encoded: the same picture
        assert Image.open(io.BytesIO(data)).size == Image.open(io.BytesIO(content)).size


def test_stored_file_name_is_made_by_the_server(base_client, filing):
    before = snapshot(filing)
    post_files(base_client, filing, upload_other=upload("../../张三的身份证 照片.png", PNG))
    (attachment,) = new_attachments(filing, before)
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.png", attachment.file.name), attachment.file.name
    assert "张三" not in attachment.file.name
    assert attachment.original_name == "张三的身份证 照片.png"


def test_other_kind_accepts_any_name_and_several_files(base_client, filing):
    before = snapshot(filing)
    post_files(base_client, filing, upload_other=[upload("abc.pdf", PDF), upload("附件2.png", PNG)])
    assert sorted(a.original_name for a in new_attachments(filing, before)) == ["abc.pdf", "附件2.png"]


def test_a_file_of_exactly_two_megabytes_is_accepted(base_client, filing):
    before = snapshot(filing)
    response = post_files(base_client, filing, upload_plan=upload(f"{PLAN}.pdf", pdf_of_size(MB2)))
    assert response.status_code == 302
    (attachment,) = new_attachments(filing, before)
    assert attachment.size == MB2


def test_a_new_filing_stores_its_files_with_the_first_temp_save(base_client, base):
    data = form_of(base_client.get(NEW_URL))
    data.update(class_name="水利培训班", action="temp", upload_plan=upload(f"{PLAN}.pdf", PDF))
    base_client.post(NEW_URL, data)
    filing = PreFiling.objects.get()
    assert list(filing.attachments.values_list("original_name", flat=True)) == [f"{PLAN}.pdf"]


# ---- refused, and nothing is written ----


@pytest.mark.parametrize(
    "name, content",
    [
        (f"{PLAN}.pdf", ELF),  # a Linux program renamed
        (f"{PLAN}.pdf", MZ),  # a Windows program renamed
        (f"{PLAN}.pdf", PNG),  # extension and content disagree
        (f"{PLAN}.png", PDF),
        (f"{PLAN}.png", JPG),
        (f"{PLAN}.jpg", PNG),
        (f"{PLAN}.pdf", "继续教育培训实施方案".encode()),
        (f"{PLAN}.jpg", b"<html><script>alert(1)</script></html>"),
        (f"{PLAN}.exe", PDF),
        (f"{PLAN}.gif", b"GIF89a" + b"\x00" * 40),
        (PLAN, PDF),  # no extension
    ],
)
@pytest.mark.parametrize("action", ["temp", "save"])
def test_files_not_jpg_png_pdf_by_content_and_name_are_refused(base_client, filing, name, content, action):
    before = snapshot(filing)
    response = post_files(base_client, filing, action=action, upload_plan=upload(name, content))
    assert response.status_code == 200
    assert f"文件「{name}」{TYPE_REFUSED}" in attachment_errors(response)
    assert snapshot(filing) == before


def test_a_file_one_byte_over_two_megabytes_is_refused(base_client, filing):
    before = snapshot(filing)
    response = post_files(base_client, filing, upload_plan=upload(f"{PLAN}.pdf", pdf_of_size(MB2 + 1)))
    assert f"文件「{PLAN}.pdf」超过2MB，只能上传jpg/png/pdf文件，且单个文件不超过2MB。" in attachment_errors(response)
    assert snapshot(filing) == before


def test_an_empty_file_is_refused(base_client, filing):
    before = snapshot(filing)
    response = post_files(base_client, filing, upload_other=upload("附件1.pdf", b""))
    assert "文件「附件1.pdf」是空文件。" in attachment_errors(response)
    assert snapshot(filing) == before


@pytest.mark.parametrize(
    "field, kind",
    [("upload_plan", PLAN), ("upload_notice", NOTICE), ("upload_invitation", INVITATION)],
)
def test_a_required_file_must_be_named_for_its_kind(base_client, filing, field, kind):
    before = snapshot(filing)
    response = post_files(base_client, filing, **{field: upload("abc.pdf", PDF)})
    assert f"文件「abc.pdf」的名称应与内容相符，须包含「{kind}」，如「{kind}.pdf」。" in attachment_errors(response)
    assert snapshot(filing) == before


def test_a_file_named_for_another_kind_is_refused(base_client, filing):
    before = snapshot(filing)
    response = post_files(base_client, filing, upload_plan=upload(f"{NOTICE}.pdf", PDF))
    assert any(f"须包含「{PLAN}」" in e for e in attachment_errors(response))
    assert snapshot(filing) == before


def test_one_bad_file_refuses_the_save_and_the_good_ones_wait_for_the_next(base_client, filing):
    """The filing is unchanged; the two good files stay picked for the form (待保存), never picked twice."""
    before = snapshot(filing)
    response = post_files(
        base_client,
        filing,
        upload_plan=upload(f"{PLAN}.pdf", PDF),
        upload_notice=upload(f"{NOTICE}.pdf", PDF),
        upload_invitation=upload(f"{INVITATION}.pdf", ELF),
    )
    assert f"文件「{INVITATION}.pdf」{TYPE_REFUSED}" in attachment_errors(response)
    after = snapshot(filing)
    assert {k: v for k, v in after.items() if k != "files"} == {k: v for k, v in before.items() if k != "files"}
    staged = StagedUpload.objects.filter(draft_key=f"prefiling:{filing.pk}")
    assert sorted(s.original_name for s in staged) == sorted([f"{NOTICE}.pdf", f"{PLAN}.pdf"])
    assert after["files"] == before["files"] | {s.file.name for s in staged}
    assert f"{PLAN}.pdf（" in element(response, data_field="attachments").text()


def test_a_refused_file_on_a_new_filing_creates_nothing_and_keeps_the_typing(base_client, db):
    data = form_of(base_client.get(NEW_URL))
    data.update(class_name="水利培训班", action="temp", upload_plan=upload(f"{PLAN}.pdf", MZ))
    response = base_client.post(NEW_URL, data)
    assert f"文件「{PLAN}.pdf」{TYPE_REFUSED}" in attachment_errors(response)
    assert form_of(response)["class_name"] == ["水利培训班"]
    assert not PreFiling.objects.exists() and not Attachment.objects.exists()
    assert media_files() == set()


def test_a_refused_file_is_not_stored_even_when_the_rest_of_the_form_is_fine(base_client, filing):
    before = snapshot(filing)
    response = post_files(base_client, filing, action="save", upload_other=upload("附件1.png", ELF))
    assert f"文件「附件1.png」{TYPE_REFUSED}" in attachment_errors(response)
    assert snapshot(filing) == before


# ---- the check itself ----


@pytest.mark.parametrize("size, accepted", [(MB2 - 1, True), (MB2, True), (MB2 + 1, False)])
def test_check_upload_size_limit_is_inclusive(size, accepted):
    f_ = upload("附件.pdf", pdf_of_size(size))
    if accepted:
        assert check_upload(f_).size == size
    else:
        with pytest.raises(ValidationError) as e:
            check_upload(f_)
        assert e.value.code == "size"


def test_check_upload_limit_follows_the_setting(settings):
    settings.JXJY_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as e:
        check_upload(upload("附件.pdf", pdf_of_size(1024 * 1024 + 1)))
    assert "超过1MB" in e.value.messages[0]


def test_check_upload_reads_the_content_not_the_declared_type():
    # The browser's Content-Type is the sender's claim; only the bytes count.
    fake = SimpleUploadedFile(f"{PLAN}.pdf", ELF, content_type="application/pdf")
    with pytest.raises(ValidationError) as e:
        check_upload(fake, required_name=PLAN)
    assert e.value.code == "type"
    real = SimpleUploadedFile(f"{PLAN}.pdf", PDF, content_type="text/plain")
    assert check_upload(real, required_name=PLAN).mime_type == "application/pdf"


def test_check_upload_leaves_the_file_readable_from_the_start():
    f_ = upload("附件.png", PNG)
    check_upload(f_)
    assert f_.read() == PNG


# ---- download ----


@pytest.fixture
def plan(filing):
    return filing.attachments.get(kind="plan")


def download(client, attachment):
    return client.get(reverse("filings:attachment", args=[attachment.pk]))


def test_owner_base_downloads_an_attachment_as_a_file(base_client, plan):
    response = download(base_client, plan)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%BB%A7%E7%BB%AD" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_base_gets_not_found(client_for, other_base_user, plan):
    assert download(client_for(other_base_user), plan).status_code == 404


def test_another_department_gets_not_found(client_for, other_department_user, filing, plan):
    engine.perform(filing, "submit", actor=filing.created_by)
    assert download(client_for(other_department_user), plan).status_code == 404


def test_the_department_sees_attachments_only_once_submitted(client_for, department_user, filing, plan):
    client = client_for(department_user)
    assert download(client, plan).status_code == 404
    engine.perform(filing, "submit", actor=filing.created_by)
    filing.refresh_from_db()
    assert filing.status == S.DEPT_REVIEW
    assert download(client, plan).status_code == 200


def test_anonymous_is_sent_to_login(plan):
    response = download(Client(), plan)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_missing_attachment_is_not_found(base_client, db):
    assert base_client.get(reverse("filings:attachment", args=[999999])).status_code == 404


def test_an_attachment_whose_file_is_gone_is_not_found(base_client, plan):
    plan.file.storage.delete(plan.file.name)
    assert download(base_client, plan).status_code == 404


def test_attachments_of_other_documents_are_not_served_here(base_client, base_user, plan):
    from django.contrib.contenttypes.models import ContentType

    Attachment.objects.filter(pk=plan.pk).update(
        content_type=ContentType.objects.get_for_model(base_user), object_id=base_user.pk
    )
    assert download(base_client, plan).status_code == 404


def test_the_edit_page_links_each_attachment_to_the_download(base_client, filing, plan):
    html = base_client.get(edit_url(filing)).content.decode()
    assert reverse("filings:attachment", args=[plan.pk]) in html and f"{PLAN}.pdf" in html


# ---- at most MAX_FILES files in one request ----

TOO_MANY = "一次最多上传10个文件（本次选择了11个），请分批上传。"


def pdfs(n: int, stem: str = "附件") -> list[SimpleUploadedFile]:
    return [upload(f"{stem}{i}.pdf", PDF) for i in range(n)]


def test_eleven_files_in_one_request_are_refused_and_nothing_stored(base_client, filing):
    before, files_before = snapshot(filing), media_files()
    response = post_files(base_client, filing, action="save", upload_other=pdfs(9), upload_plan=pdfs(2, PLAN))
    assert response.status_code == 200 and attachment_errors(response) == [TOO_MANY]
    assert snapshot(filing) == before and media_files() == files_before


def test_ten_files_in_one_request_are_taken(base_client, filing):
    before = snapshot(filing)
    assert post_files(base_client, filing, upload_other=pdfs(10)).status_code == 302
    assert len(new_attachments(filing, before)) == 10


def test_the_file_count_follows_the_setting(base_client, filing, settings):
    settings.JXJY_UPLOAD_MAX_FILES = 2
    before = snapshot(filing)
    response = post_files(base_client, filing, upload_other=pdfs(3))
    assert attachment_errors(response) == ["一次最多上传2个文件（本次选择了3个），请分批上传。"]
    assert snapshot(filing) == before


def test_eleven_files_on_a_new_recognition_create_nothing(client_for, prefecture_base_user):
    client = client_for(prefecture_base_user)
    data = form_of(client.get(reverse("filings:recognition_new")))
    data.update(class_name="学时认定培训班", upload_other=pdfs(11), action="save")
    response = client.post(reverse("filings:recognition_new"), data)
    assert response.status_code == 200 and TOO_MANY in attachment_errors(response)
    assert not PreFiling.objects.exists() and not Attachment.objects.exists() and media_files() == set()


def test_eleven_files_on_a_completion_are_refused(client_for, base, base_user):
    c = f.finished_class(base, base_user, learners=1)
    completion = completion_services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    url, files_before = reverse("completions:step4", args=[completion.pk]), media_files()
    response = client_for(base_user).post(url, {"upload_sign_in": pdfs(11, "签到表"), "action": "upload"}, follow=True)
    assert TOO_MANY in alerts(response) and not completion.attachments.exists() and media_files() == files_before


def test_a_request_with_very_many_files_is_refused_while_it_is_read(base_client, filing, settings):
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), {"upload_other": pdfs(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)})
    assert response.status_code == 400 and snapshot(filing) == before
