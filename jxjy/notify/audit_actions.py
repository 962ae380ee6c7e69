"""What notify records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class NotifyAction(models.TextChoices):
    CHANGE_PREFERENCES = "change_notification_settings", gettext_lazy("修改消息设置")
