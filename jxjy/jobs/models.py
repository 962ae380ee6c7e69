"""后台任务: a long piece of work (a class's certificates as a zip, a large export) run by the task
worker, with its progress for the page that waits on it and the file it made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from jxjy.core import clock


class JobKind(models.TextChoices):
    CERTIFICATES_ZIP = "certificates_zip", gettext_lazy("电子证书打包下载")
    STATS_EXPORT = "stats_export", gettext_lazy("统计分析导出")
    AUDIT_EXPORT = "audit_export", gettext_lazy("审计日志导出")


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("排队中")
    RUNNING = "running", gettext_lazy("正在生成")
    DONE = "done", gettext_lazy("已完成")
    FAILED = "failed", gettext_lazy("生成失败")


class Job(models.Model):
    kind = models.CharField(gettext_lazy("任务类型"), max_length=30, choices=JobKind.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("创建人"), on_delete=models.CASCADE)
    title = models.CharField(gettext_lazy("名称"), max_length=150)
    params = models.JSONField(gettext_lazy("参数"), default=dict)
    done = models.PositiveIntegerField(gettext_lazy("已完成"), default=0)
    total = models.PositiveIntegerField(gettext_lazy("总数"), default=0)
    file = models.FileField(gettext_lazy("文件"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(gettext_lazy("文件名"), max_length=150, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField(gettext_lazy("失败原因"), max_length=200, blank=True)
    # While running: the worker's lease, renewed as the job makes progress (services.Progress); a job whose
    # lease ran out lost its worker and is run again (services.reclaim_expired), `attempts` times at most.
    attempts = models.PositiveSmallIntegerField(gettext_lazy("已尝试次数"), default=0)
    lease_expires_at = models.DateTimeField(gettext_lazy("租约到期"), null=True, blank=True, db_index=True)
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
