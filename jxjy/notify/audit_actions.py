"""What notify records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class NotifyAction(models.TextChoices):
    CHANGE_PREFERENCES = "change_notification_settings", "修改消息设置"
