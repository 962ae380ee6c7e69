"""What stats records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class StatsAction(models.TextChoices):
    EXPORT_STATS = "export_stats", gettext_lazy("导出统计")
