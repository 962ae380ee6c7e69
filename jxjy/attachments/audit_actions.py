"""What attachments records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class AttachmentAction(models.TextChoices):
    UPLOAD = "upload_attachment", gettext_lazy("上传附件")
    DOWNLOAD = "download_attachment", gettext_lazy("下载附件")
    DELETE = "delete_attachment", gettext_lazy("删除附件")
