"""The audit trail: one row per recorded action, chained by hashes (chain.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock

from . import actions


class AuditQuerySet(models.QuerySet):
    """Rows are appended through `trail.record` only: bulk writes would go around the hash chain."""

    def update(self, **kwargs):
        raise RuntimeError(_("审计日志不可修改。"))

    def delete(self):
        raise RuntimeError(_("审计日志不可删除。"))

    def bulk_create(self, *args, **kwargs):
        raise RuntimeError(_("审计日志只能逐条写入。"))

    def bulk_update(self, *args, **kwargs):
        raise RuntimeError(_("审计日志不可修改。"))


class Outcome(models.TextChoices):
    SUCCESS = "成功", gettext_lazy("成功")
    FAILURE = "失败", gettext_lazy("失败")


class AuditAction(models.TextChoices):
    """What the trail records of itself and of refused attempts (refusals.py, middleware.py)."""

    PURGE = "purge_audit", gettext_lazy("清理审计日志")
    RECHAIN = "rechain_audit", gettext_lazy("重建审计哈希链")
    REFUSALS_LIMITED = "refusals_limited", gettext_lazy("审计记录限流")
    CSRF_FAILED = "csrf_failed", gettext_lazy("CSRF校验失败")
    REFUSED = "refused", gettext_lazy("操作被拒绝")
    API_AUTH_FAILED = "api_auth_failed", gettext_lazy("接口认证失败")
    FORBIDDEN = "forbidden", gettext_lazy("拒绝访问")
    NOT_FOUND = "not_found", gettext_lazy("访问不存在或无权访问的对象")
    CONFLICT = "conflict", gettext_lazy("操作被拒绝（状态冲突）")
    TOO_MANY_REQUESTS = "too_many_requests", gettext_lazy("请求过于频繁")


class AuditEntry(models.Model):
    """One recorded action. Written in the same transaction as the change it records; never edited.

    Each row carries the hash of its content and of the row before it (`seq` orders the chain), so that a
    row changed or removed behind the application's back is found by `manage.py verify_audit`.
    """

    seq = models.PositiveBigIntegerField(gettext_lazy("序号"), unique=True, editable=False)
    created_at = clock.CreatedAtField(gettext_lazy("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=gettext_lazy("所属单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(gettext_lazy("操作"), max_length=50, db_index=True)  # a code: its words are in actions.py
    outcome = models.CharField(gettext_lazy("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(gettext_lazy("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(gettext_lazy("对象编号"), max_length=50, blank=True, db_index=True)
    state_before = models.CharField(gettext_lazy("操作前状态"), max_length=30, blank=True)
    state_after = models.CharField(gettext_lazy("操作后状态"), max_length=30, blank=True)
    opinion = models.TextField(gettext_lazy("意见"), blank=True)
    ip = models.GenericIPAddressField(gettext_lazy("IP地址"), null=True, blank=True)
    detail = models.JSONField(gettext_lazy("详情"), default=dict, blank=True)
    prev_hash = models.CharField(gettext_lazy("前一条哈希"), max_length=64, editable=False)
    entry_hash = models.CharField(gettext_lazy("本条哈希"), max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("审计日志")
        ordering = ["seq"]
        db_table = "core_auditentry"  # made when the trail was part of jxjy.core
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError(_("审计日志不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(_("审计日志不可删除。"))

    @property
    def action_label(self) -> str:
        """The action's words, as every page, export and the API show them."""
        return actions.label(self)


class AuditChainHead(models.Model):
    """The one row writers lock to append to the chain: the last row's number and hash, and where the
    chain starts after a retention purge (the first kept row's number and the hash it points back to)."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    anchor_seq = models.PositiveBigIntegerField(default=1)
    anchor_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("审计日志链头")
        db_table = "core_auditchainhead"
