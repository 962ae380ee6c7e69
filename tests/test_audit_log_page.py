"""The 审计日志 in words: which document (its kind and title), its states by name, details as 名称：值; and
time filters that say what is wrong with them."""

from django.urls import reverse

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.filings import services as filings
from jxjy.review import engine
from jxjy.review.workflows import Action


def test_each_entry_says_which_document_its_states_and_details_in_words(client_for, auditor_user, filing, base_user):
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    audit.record(actor=base_user, action="download_attachment", obj=filing, detail={"附件": "方案.pdf", "页数": [1, 2]})
    page = client_for(auditor_user).get(reverse("core:audit_log")).content.decode()
    assert f"培训前备案「{filing.class_name}」" in page
    assert "草稿 → 待主管部门审核" in page
    assert "附件：方案.pdf；页数：1、2" in page
    assert "filings.prefiling" not in page and "{&#x27;" not in page


def test_an_entry_about_a_deleted_draft_says_so(client_for, auditor_user, filing, base_user):
    number = filing.pk
    filings.delete_pre_filing(filing, actor=base_user)  # a draft never submitted: recorded, then gone
    page = client_for(auditor_user).get(reverse("core:audit_log")).content.decode()
    assert f"培训前备案（编号 {number}，已删除）" in page and f"培训班名称：{filing.class_name}" in page


def test_an_end_before_the_start_is_refused_next_to_the_field(client_for, auditor_user, base_user):
    audit.record(actor=base_user, action="login")
    client = client_for(auditor_user)
    page = client.get(reverse("core:audit_log"), {"start": "2026-12-10", "end": "2026-12-01"}).content.decode()
    assert 'id="end-error">结束日期不能早于开始日期。' in page and "请修改查询条件" in page
    page = client.get(reverse("core:audit_log"), {"start": "2026-13-40"}).content.decode()
    assert "开始日期格式不正确" in page
    response = client.post(reverse("core:audit_export") + "?start=2026-12-10&end=2026-12-01", follow=True)
    assert "结束日期不能早于开始日期。" in response.content.decode()


def test_a_background_jobs_parameters_are_named_in_words(client_for, auditor_user, base_user):
    audit.record(actor=base_user, action="login", detail={"任务": 5, "class_id": 7, "year": 2026})
    page = client_for(auditor_user).get(reverse("core:audit_log")).content.decode()
    # Each 名称：值 in words (PostgreSQL's jsonb keeps no key order: the order is not asserted).
    assert all(words in page for words in ("任务：5", "培训班编号：7", "年份：2026")) and "class_id" not in page


def test_the_auditor_follows_an_entry_to_its_document_read_only(client_for, auditor_user, filing, base_user):
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    client = client_for(auditor_user)
    url = reverse("core:audit_document", args=["prefiling", filing.pk])
    assert (
        f'<a href="{url}">培训前备案「{filing.class_name}」</a>'
        in client.get(reverse("core:audit_log")).content.decode()
    )
    page = client.get(url).content.decode()
    assert filing.class_name in page and "开班地点" in page and filing.venue in page
    assert '<td class="pre">待主管部门审核</td>' in page and "草稿 → 待主管部门审核" in page  # its state, its trail
    assert "dept_review" not in page and "created by" not in page  # no codes, no column names
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # nothing to change here


def test_the_document_page_is_the_auditors_only_and_for_documents_only(client_for, auditor_user, base_user, filing):
    url = reverse("core:audit_document", args=["prefiling", filing.pk])
    assert client_for(base_user).get(url).status_code == 403
    auditor = client_for(auditor_user)
    assert auditor.get(reverse("core:audit_document", args=["nosuchkind", 1])).status_code == 404
    assert auditor.get(reverse("core:audit_document", args=["prefiling", 999999])).status_code == 404
    # A 学时认定 is not reached as a 培训前备案 (each kind holds only its own rows).
    recognition = f.complete_filing(filing.base, base_user, purpose="recognition")
    assert auditor.get(reverse("core:audit_document", args=["prefiling", recognition.pk])).status_code == 404
