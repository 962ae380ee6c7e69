"""附件: the files attached to documents (培训前备案, 学时认定, 培训后备案), each through a generic relation."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Server-generated name: nothing the user sent reaches the file system.
    month = timezone.localtime(instance.created_at)  # the month in Ürümqi, not in UTC
    return f"attachments/{month:%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class AttachmentKind(models.TextChoices):
    PLAN = "plan", gettext_lazy("继续教育培训实施方案")
    NOTICE = "notice", gettext_lazy("继续教育培训工作通知")
    INVITATION = "invitation", gettext_lazy("继续教育培训开班邀请函")
    OTHER = "other", gettext_lazy("其他与填报内容相关的附件")
    STAMPED_FORM = "stamped_form", gettext_lazy("盖有两公章的申报表扫描件")
    GENERATED_FORM = "generated_form", gettext_lazy("系统生成的申报表")
    SIGN_IN = "sign_in", gettext_lazy("签到表")
    SCORE_SHEET = "score_sheet", gettext_lazy("成绩汇总表")
    SUMMARY = "summary", gettext_lazy("培训总结")


class Attachment(models.Model):
    """A file attached to any document; served only through a permission-checked view."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(gettext_lazy("附件类型"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(gettext_lazy("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("上传时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("附件")
        ordering = ["id"]
        db_table = "filings_attachment"  # made when the 培训前备案 was the only document with files
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


def staged_path(instance: "StagedUpload", filename: str) -> str:
    month = timezone.localtime(instance.created_at)
    return f"attachments/{month:%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StagedUpload(models.Model):
    """A file picked on a form, checked and stored at once, and held for that form (its draft key) until a save
    of the form attaches it to the document, the user removes it, or it is left untouched long enough to be
    pruned. A refused 保存 keeps it: the user never picks the same file twice."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    draft_key = models.CharField(max_length=50)
    kind = models.CharField(gettext_lazy("附件类型"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=staged_path, max_length=200)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(gettext_lazy("大小"))
    created_at = models.DateTimeField(gettext_lazy("上传时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("待保存的附件")
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "draft_key"])]

    def __str__(self) -> str:
        return self.original_name
