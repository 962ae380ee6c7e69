"""What filings records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class FilingAction(models.TextChoices):
    CREATE = "create_filing", gettext_lazy("新增备案")
    SAVE = "save_filing", gettext_lazy("保存")
    SAVE_DRAFT = "save_filing_draft", gettext_lazy("临时保存")
    DELETE = "delete_filing", gettext_lazy("删除备案")
    GENERATE_FORM = "generate_form", gettext_lazy("生成表格")
    DOWNLOAD_FORM = "download_form", gettext_lazy("下载表格")
