"""What portal records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class PortalAction(models.TextChoices):
    VERIFY_AUDIT = "verify_audit", gettext_lazy("校验审计日志")
    EXPORT_AUDIT = "export_audit", gettext_lazy("导出审计日志")
    CHANGE_RULE = "change_rule_setting", gettext_lazy("修改规则设置")
