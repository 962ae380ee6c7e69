"""What jobs records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class JobAction(models.TextChoices):
    DOWNLOAD_EXPORT = "download_export", gettext_lazy("下载导出文件")
