"""What filings records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class FilingAction(models.TextChoices):
    CREATE = "create_filing", "新增备案"
    SAVE = "save_filing", "保存"
    SAVE_DRAFT = "save_filing_draft", "临时保存"
    DELETE = "delete_filing", "删除备案"
    GENERATE_FORM = "generate_form", "生成表格"
    DOWNLOAD_FORM = "download_form", "下载表格"
