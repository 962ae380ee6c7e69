"""The autosaved drafts of open forms, the business rules' saved values, the key canary and the worker's heartbeat."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import clock
from .rulebook import RULES, parse


class FormDraft(models.Model):
    """What a user typed into an open form, kept by autosave until the document is saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    updated_at = clock.UpdatedAtField()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("自动保存草稿")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_form")]


class RuleSetting(models.Model):
    """A rule's value set by the 系统管理员; it wins over the environment's default."""

    key = models.CharField(gettext_lazy("规则"), max_length=50, unique=True)
    value = models.CharField(gettext_lazy("值"), max_length=20)
    updated_at = clock.UpdatedAtField(gettext_lazy("修改时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("规则设置")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(RULES[self.key].label) if self.key in RULES else self.key

    def clean(self):
        if self.key not in RULES:
            raise ValidationError({"key": _("不支持的规则。")})
        try:
            parse(self.key, self.value)
        except ValidationError as e:
            raise ValidationError({"value": e.messages}) from None


class KeyCanary(models.Model):
    """A known text encrypted with JXJY_PII_KEY: a process started with another key finds out before it reads or
    writes anyone's 身份证号 (jxjy/core/checks.py). One row."""

    token = models.TextField(gettext_lazy("密文"))
    updated_at = clock.UpdatedAtField(gettext_lazy("写入时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("密钥校验值")


class WorkerHeartbeat(models.Model):
    """The task worker's sign of life, written every few seconds (`manage.py task_worker`); readiness
    (jxjy/core/health.py) fails when no worker has written one lately."""

    worker_id = models.CharField(gettext_lazy("任务进程"), max_length=64, unique=True)
    beat_at = models.DateTimeField(gettext_lazy("最近心跳"), db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("任务进程心跳")
