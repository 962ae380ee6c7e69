"""审计日志: the 审计管理员 reads, filters and exports the trail and can change nothing; the
系统管理员 administers and cannot read it; neither can do the other's job."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from jxjy.audit.models import AuditEntry
from jxjy.review import engine

from .job_helpers import job_file


@pytest.fixture
def moves(filing, base_user, department_user):
    engine.perform(filing, "submit", actor=base_user)
    engine.perform(filing, "dept_return", actor=department_user, opinion='=HYPERLINK("http://x")')
    return filing


def test_auditor_reads_and_filters_the_trail(client_for, auditor_user, moves):
    client = client_for(auditor_user)
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "退回" in page and "提交" in page and "自治区水利厅" in page
    page = client.get(reverse("core:audit_log"), {"action": "退回"}).content.decode()
    assert "待主管部门审核 → 已退回" in page and "草稿 → 待主管部门审核" not in page
    page = client.get(reverse("core:audit_log"), {"person": "slt"}).content.decode()
    assert "待主管部门审核 → 已退回" in page and "草稿 → 待主管部门审核" not in page
    page = client.get(reverse("core:audit_log"), {"object": f"prefiling:{moves.pk}"}).content.decode()
    assert "草稿 → 待主管部门审核" in page


def test_export_is_formula_safe_and_itself_recorded(client_for, auditor_user, moves):
    client = client_for(auditor_user)
    response = client.post(reverse("core:audit_export") + "?action=退回")
    ws = openpyxl.load_workbook(io.BytesIO(job_file(client, response))).active
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 1
    opinion = rows[0][11]
    assert opinion.value.startswith("=") and opinion.data_type == "s"
    assert AuditEntry.objects.filter(action="export_audit", actor=auditor_user).exists()


@pytest.mark.parametrize("who", ["sysadmin_user", "base_user", "department_user", "learner_user"])
def test_only_the_auditor_reads_the_trail(db, request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.post(reverse("core:audit_export")).status_code == 403


def test_auditor_cannot_administer(client_for, auditor_user):
    response = client_for(auditor_user).get("/admin/accounts/user/")
    assert response.status_code == 403 and "只有系统管理员可以使用系统管理。" in response.content.decode()


def test_sysadmin_administers_accounts(client_for, sysadmin_user):
    assert client_for(sysadmin_user).get("/admin/accounts/user/").status_code == 200


def test_audit_entries_cannot_be_changed_or_deleted(moves):
    entry = AuditEntry.objects.first()
    entry.opinion = "改过"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_the_auditor_verifies_and_sees_the_checkpoints(client_for, auditor_user, moves, settings, tmp_path):
    settings.JXJY_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    client = client_for(auditor_user)
    assert "尚无校验记录" in client.get(reverse("core:audit_log")).content.decode()
    page = client.post(reverse("core:audit_log"), follow=True).content.decode()
    assert "审计日志校验通过：共2条" in page and "尚无检查点：本次校验写入第一个检查点" in page
    assert "最近一次校验：" in page and "<strong>通过</strong>（链尾第2条）" in page
    assert "<td>校验</td><td>第2条" in page
    entry = AuditEntry.objects.get(action="verify_audit")
    assert entry.actor == auditor_user and entry.outcome == "成功"


def test_the_auditor_sees_a_forged_checkpoint_and_the_failed_verification(
    client_for, auditor_user, moves, settings, tmp_path
):
    path = tmp_path / "checkpoints.jsonl"
    settings.JXJY_AUDIT_CHECKPOINT_FILE = str(path)
    client = client_for(auditor_user)
    client.post(reverse("core:audit_log"))
    changed = {**json.loads(path.read_text()), "seq": 9}  # a copy of the line, changed: its MAC no longer fits
    with path.open("a") as f:
        f.write(json.dumps(changed, ensure_ascii=False) + "\n")
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "该行校验码不符：检查点被改动或伪造" in page
    page = client.post(reverse("core:audit_log"), follow=True).content.decode()
    assert "审计日志校验失败" in page and "检查点文件第2行：不是有效的检查点" in page
    assert AuditEntry.objects.filter(action="verify_audit").last().outcome == "失败"


def test_without_a_checkpoint_file_the_page_says_so(client_for, auditor_user, moves):
    page = client_for(auditor_user).get(reverse("core:audit_log")).content.decode()
    assert "未配置检查点文件（JXJY_AUDIT_CHECKPOINT_FILE）" in page and "暂无检查点" in page


@pytest.mark.parametrize("who", ["sysadmin_user", "base_user"])
def test_only_the_auditor_verifies(db, request, client_for, who):
    assert client_for(request.getfixturevalue(who)).post(reverse("core:audit_log")).status_code == 403
    assert not AuditEntry.objects.filter(action="verify_audit").exists()
