"""The audit trail and the autosaved drafts of open forms."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from . import clock


class AuditQuerySet(models.QuerySet):
    """Rows are appended through `audit.record` only: bulk writes would go around the hash chain."""

    def update(self, **kwargs):
        raise RuntimeError("审计日志不可修改。")

    def delete(self):
        raise RuntimeError("审计日志不可删除。")

    def bulk_create(self, *args, **kwargs):
        raise RuntimeError("审计日志只能逐条写入。")

    def bulk_update(self, *args, **kwargs):
        raise RuntimeError("审计日志不可修改。")


class Outcome(models.TextChoices):
    SUCCESS = "成功", "成功"
    FAILURE = "失败", "失败"


class AuditEntry(models.Model):
    """One recorded action. Written in the same transaction as the change it records; never edited.

    Each row carries the hash of its content and of the row before it (`seq` orders the chain), so that a
    row changed or removed behind the application's back is found by `manage.py verify_audit`.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True, editable=False)
    created_at = clock.CreatedAtField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField("操作", max_length=50, db_index=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象编号", max_length=50, blank=True, db_index=True)
    state_before = models.CharField("操作前状态", max_length=30, blank=True)
    state_after = models.CharField("操作后状态", max_length=30, blank=True)
    opinion = models.TextField("意见", blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64, editable=False)
    entry_hash = models.CharField("本条哈希", max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计日志不可删除。")


class AuditChainHead(models.Model):
    """The one row writers lock to append to the chain: the last row's number and hash, and where the
    chain starts after a retention purge (the first kept row's number and the hash it points back to)."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    anchor_seq = models.PositiveBigIntegerField(default=1)
    anchor_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志链头"


class FormDraft(models.Model):
    """What a user typed into an open form, kept by autosave until the document is saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    updated_at = clock.UpdatedAtField()

    class Meta:
        verbose_name = verbose_name_plural = "自动保存草稿"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_form")]


class RuleSetting(models.Model):
    """A rule's value set by the 系统管理员; it wins over the environment's default."""

    key = models.CharField("规则", max_length=50, unique=True)
    value = models.CharField("值", max_length=20)
    updated_at = clock.UpdatedAtField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "规则设置"
        ordering = ["key"]

    def __str__(self) -> str:
        from .rules import RULES

        return RULES[self.key].label if self.key in RULES else self.key

    def clean(self):
        from .rules import RULES, parse

        if self.key not in RULES:
            raise ValidationError({"key": "不支持的规则。"})
        try:
            parse(self.key, self.value)
        except ValidationError as e:
            raise ValidationError({"value": e.messages}) from None


class KeyCanary(models.Model):
    """A known text encrypted with JXJY_PII_KEY: a process started with another key finds out before it reads or
    writes anyone's 身份证号 (jxjy/core/checks.py). One row."""

    token = models.TextField("密文")
    updated_at = clock.UpdatedAtField("写入时间")

    class Meta:
        verbose_name = verbose_name_plural = "密钥校验值"


class WorkerHeartbeat(models.Model):
    """The task worker's sign of life, written every few seconds (`manage.py task_worker`); readiness
    (jxjy/core/health.py) fails when no worker has written one lately."""

    worker_id = models.CharField("任务进程", max_length=64, unique=True)
    beat_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务进程心跳"
