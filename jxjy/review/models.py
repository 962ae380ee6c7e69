"""What every reviewable document has, and the in-app notifications the engine sends."""

from django.conf import settings
from django.db import models

from jxjy.core import clock

from .inbox import NotificationQuerySet


class Reviewable(models.Model):
    """Mixin for a document that travels a review route. Only `review.engine.perform` writes these fields."""

    status = models.CharField("状态", max_length=30, db_index=True)
    holder = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="当前办理单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        abstract = True

    def get_status_display(self) -> str:
        return self.workflow.states(self.status).label

    @property
    def is_editable(self) -> bool:
        """Whether the owner may still change it (a draft, or returned to them)."""
        return self.workflow.is_editable(self)


class Notification(models.Model):
    """A message in a user's inbox: something waits for them, or an outcome they should know."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = clock.CreatedAtField("时间")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()  # keeps the cached unread numbers right (review/inbox.py)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
