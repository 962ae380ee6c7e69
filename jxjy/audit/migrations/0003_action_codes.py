"""Audit entries store codes, not words: each row's action becomes the code its words were declared under
(a review move's by its document's model, states and button label, as 通过 is several moves), and the chain is
re-hashed over the codes — provided it verifies as it was, so that it never launders tampering (rechain.py).
A chain that does not verify keeps its words, as does a row whose words are not below: both still show what
they store. The words are frozen here, as they were when the codes came in.
"""

from django.db import migrations, transaction
from django.utils import timezone

from jxjy.audit import checkpoints
from jxjy.audit.digest import entry_digest
from jxjy.audit.rechain import BATCH, RechainRefused, rehash
from jxjy.core import clock

# (model, state before, state after, the move's label) -> the move's code.
MOVES = {
    ("accounts.identityappeal", "submitted", "approved", "通过"): "approve",
    ("accounts.identityappeal", "submitted", "rejected", "驳回"): "reject",
    ("completions.completionfiling", "draft", "hr_review", "提交"): "submit",
    ("completions.completionfiling", "hr_review", "approved", "通过"): "approve",
    ("completions.completionfiling", "hr_review", "returned", "退回"): "return",
    ("completions.completionfiling", "returned", "hr_review", "提交"): "submit",
    ("filings.prefiling", "dept_approved", "hr_review", "提交"): "forward",
    ("filings.prefiling", "dept_review", "dept_approved", "通过"): "dept_approve",
    ("filings.prefiling", "dept_review", "returned", "退回"): "dept_return",
    ("filings.prefiling", "draft", "dept_review", "提交"): "submit",
    ("filings.prefiling", "draft", "hr_review", "提交"): "submit",
    ("filings.prefiling", "hr_review", "approved", "通过"): "hr_approve",
    ("filings.prefiling", "hr_review", "returned", "退回"): "hr_return",
    ("filings.prefiling", "returned", "dept_review", "提交"): "submit",
    ("filings.prefiling", "returned", "hr_review", "提交"): "submit",
    ("trainings.registration", "draft", "submitted", "提交"): "submit",
    ("trainings.registration", "draft", "waiting", "加入候补"): "wait",
    ("trainings.registration", "returned", "submitted", "提交"): "submit",
    ("trainings.registration", "returned", "withdrawn", "撤回"): "withdraw",
    ("trainings.registration", "submitted", "approved", "通过"): "approve",
    ("trainings.registration", "submitted", "returned", "退回"): "return",
    ("trainings.registration", "submitted", "withdrawn", "撤回"): "withdraw",
    ("trainings.registration", "waiting", "submitted", "候补递补"): "promote",
    ("trainings.registration", "waiting", "withdrawn", "撤回"): "leave_waiting",
    ("trainings.trainingclass", "approved", "change_requested", "申请变更报名时间"): "request_change",
    ("trainings.trainingclass", "change_requested", "approved", "不同意变更"): "refuse_change",
    ("trainings.trainingclass", "change_requested", "changing", "同意变更"): "agree_change",
    ("trainings.trainingclass", "changing", "hr_review", "提交"): "submit",
    ("trainings.trainingclass", "draft", "hr_review", "提交"): "submit",
    ("trainings.trainingclass", "hr_review", "approved", "审核通过"): "approve",
    ("trainings.trainingclass", "hr_review", "returned", "退回"): "return",
    ("trainings.trainingclass", "returned", "hr_review", "提交"): "submit",
}
# An app's action, by its words -> its code.
WORDS = {
    "CSRF校验失败": "csrf_failed",
    "上传附件": "upload_attachment",
    "下载导出文件": "download_export",
    "下载表格": "download_form",
    "下载证书": "download_certificate",
    "下载附件": "download_attachment",
    "临时保存": "save_filing_draft",
    "二次验证": "two_factor",
    "二次验证失败": "two_factor_failed",
    "保存": "save_filing",
    "保存培训信息": "save_class",
    "保存培训后备案": "save_completion",
    "保存报名": "save_registration",
    "修改学员成绩": "change_score",
    "修改安全策略": "change_security_policy",
    "修改密码": "change_password",
    "修改报名": "change_registration",
    "修改消息设置": "change_notification_settings",
    "修改规则设置": "change_rule_setting",
    "停用账号": "disable_account",
    "关闭报名": "close_registration",
    "创建接口令牌": "create_api_token",
    "删除备案": "delete_filing",
    "删除报名": "delete_registration",
    "删除附件": "delete_attachment",
    "发送设置密码链接": "send_password_link",
    "变更角色": "change_role",
    "启用账号": "enable_account",
    "在线学习平台导入学时": "platform_import_hours",
    "学员注册": "learner_register",
    "审核操作被拒绝": "move_refused",
    "审计记录限流": "refusals_limited",
    "导入学员成绩": "import_scores",
    "导出审计日志": "export_audit",
    "导出成绩模板": "export_score_template",
    "导出统计": "export_stats",
    "开启报名": "open_registration",
    "待入账公需课记录入账": "post_pending_hours",
    "打印学时证明": "print_hours_certificate",
    "批准双人审批申请": "approve_admin_request",
    "批量下载证书": "download_certificates_zip",
    "找回密码": "recover_password",
    "拒绝访问": "forbidden",
    "换发证书": "reissue_certificate",
    "接口查询学时": "api_query_hours",
    "接口认证失败": "api_auth_failed",
    "提交身份申诉": "submit_appeal",
    "提出双人审批申请": "ask_second_admin",
    "撤销接口令牌": "revoke_api_token",
    "撤销证书": "revoke_certificate",
    "操作被拒绝": "refused",
    "操作被拒绝（状态冲突）": "conflict",
    "新增培训信息": "create_class",
    "新增培训后备案": "create_completion",
    "新增备案": "create_filing",
    "新建账号": "create_account",
    "查看完整个人信息": "reveal_personal_data",
    "校验审计日志": "verify_audit",
    "清理审计日志": "purge_audit",
    "生成表格": "generate_form",
    "申诉移交账号": "appeal_transfer_account",
    "登录": "login",
    "登录失败": "login_failed",
    "绑定身份验证器": "bind_authenticator",
    "解锁账号": "unlock_account",
    "设置密码": "set_password",
    "访问不存在或无权访问的对象": "not_found",
    "请求过于频繁": "too_many_requests",
    "账号锁定": "account_locked",
    "退出登录": "logout",
    "重复身份证号注册": "duplicate_id_number",
    "重建审计哈希链": "rechain_audit",
    "重置密码": "reset_password",
    "重置身份验证器": "reset_authenticator",
    "颁发电子证书": "issue_certificates",
    "驳回双人审批申请": "reject_admin_request",
}


def code_of(row) -> str | None:
    """The code for a row's words, or None when they are not known (or already a code)."""
    move = MOVES.get((row.object_type, row.state_before, row.state_after, row.action))
    return move or WORDS.get(row.action)


def to_codes(entry_model) -> dict[int, str]:
    """Write each known row's code; return the words of before, by row number."""
    words, batch = {}, []
    for row in entry_model._base_manager.order_by("seq").iterator(chunk_size=2000):
        if code := code_of(row):
            words[row.seq], row.action = row.action, code
            batch.append(row)
        if len(batch) == BATCH:
            entry_model._base_manager.bulk_update(batch, ["action"])
            batch = []
    entry_model._base_manager.bulk_update(batch, ["action"])
    return words


def as_it_was(words: dict[int, str]):
    """The chain's digest over the rows as they were: with their words."""
    return lambda prev_hash, values: entry_digest(
        prev_hash, {**values, "action": words.get(values["seq"], values["action"])}
    )


def checkpoint(entry_model, head_model) -> None:
    """A 重建 checkpoint of the new head, once committed, where checkpoints are kept: the ones before saw the old
    hashes (verification.py reads them no further back than the newest 重建)."""
    if not checkpoints.configured():
        return
    head, last = head_model.objects.get(pk=1), entry_model._base_manager.order_by("-seq").first()
    cp = checkpoints.Checkpoint(
        at=timezone.localtime(clock.now()).isoformat(), reason=checkpoints.RECHAINED, seq=last.seq, id=last.pk,
        hash=last.entry_hash, anchor_seq=head.anchor_seq, anchor_hash=head.anchor_hash, ok=True, note="操作改为代码",
    )  # fmt: skip
    try:
        checkpoints.write(cp)
    except OSError as e:
        print(f"\n  审计检查点写入失败：{e}")


def convert(apps, schema_editor):
    entry, head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditChainHead")
    try:
        with transaction.atomic():
            words = to_codes(entry)
            count = rehash(entry, head, old=as_it_was(words)) if words else 0
    except RechainRefused as e:
        print(f"\n  审计日志操作未改为代码（仍按原文显示）：{e} 请调查后运行 manage.py rechain_audit --force。")
        return
    if count:
        transaction.on_commit(lambda: checkpoint(entry, head))
        print(f"\n  审计日志操作已改为代码：{len(words)}条，哈希链已重建：{count}条。")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_keyed_chain")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop, elidable=True)]
