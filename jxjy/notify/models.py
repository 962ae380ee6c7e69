"""站内消息 (Notification), and the outbox: every SMS and e-mail a move sends, written in the move's own transaction.

A row is delivered by the task worker after the commit (`delivery.deliver_due`), with retries; a process
that dies after the commit loses nothing, because the row is already there and the sweep finds it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.fields import EncryptedCharField

from .inbox import NotificationQuerySet


class Channel(models.TextChoices):
    SMS = "sms", gettext_lazy("短信")
    EMAIL = "email", gettext_lazy("电子邮件")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待发送")
    SENT = "sent", gettext_lazy("已发送")
    FAILED = "failed", gettext_lazy("发送失败")


class Outbox(models.Model):
    channel = models.CharField(gettext_lazy("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("接收人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    address = EncryptedCharField(gettext_lazy("手机号或邮箱"))  # a mobile or an e-mail address is personal data
    subject = models.CharField(gettext_lazy("标题"), max_length=200, blank=True)
    body = models.TextField(gettext_lazy("内容"))
    event = models.CharField(gettext_lazy("事件"), max_length=40)
    # The SMS template's parameters, in order (events.EXTERNAL): a provider sends a template, not free text.
    params = models.JSONField(gettext_lazy("模板参数"), default=list, blank=True)
    status = models.CharField(
        gettext_lazy("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(gettext_lazy("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(gettext_lazy("下次尝试时间"), default=clock.now)
    sent_at = models.DateTimeField(gettext_lazy("发送时间"), null=True, blank=True)
    last_error = models.CharField(gettext_lazy("失败原因"), max_length=200, blank=True)
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("待发消息")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.event}"


class Preference(models.Model):
    """How a person wants to hear of what happens to them besides 站内消息 (消息设置).

    Without a row a learner gets SMS (their mobile is required at sign-up, and review outcomes go out by
    SMS by default on government platforms) and no e-mail (there is no address until they give one).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("用户"),
        on_delete=models.CASCADE,
        related_name="notify_preference",
    )
    sms = models.BooleanField(gettext_lazy("短信通知"), default=True)
    email = models.BooleanField(gettext_lazy("邮件通知"), default=False)
    email_address = EncryptedCharField(gettext_lazy("电子邮箱"), blank=True)  # personal data, like the mobile
    updated_at = clock.UpdatedAtField(gettext_lazy("修改时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("消息设置")

    def __str__(self) -> str:
        return _("消息设置 · %(user_id)s") % {"user_id": self.user_id}


class SweepPlan(models.Model):
    """One row: when the next deferred sweep of the outbox is planned, so that retries keep one chain of
    tasks however many commits enqueued a delivery."""

    run_after = models.DateTimeField(gettext_lazy("计划时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("待发消息补发计划")

    def __str__(self) -> str:
        return _("补发计划 · %(run_after)s") % {"run_after": self.run_after}


class Notification(models.Model):
    """A message in a user's inbox: something waits for them, or an outcome they should know."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = clock.CreatedAtField(gettext_lazy("时间"))
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    body = models.TextField(gettext_lazy("内容"), blank=True)
    url = models.CharField(gettext_lazy("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(gettext_lazy("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()  # keeps the cached unread numbers right (inbox.py)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("站内消息")
        ordering = ["-created_at", "-id"]
        db_table = "review_notification"  # made by the review app, which sent the first ones
        indexes = [models.Index(fields=["recipient", "read_at"])]
