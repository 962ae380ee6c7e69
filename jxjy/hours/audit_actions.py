"""What hours records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class HoursAction(models.TextChoices):
    PRINT_CERTIFICATE = "print_hours_certificate", gettext_lazy("打印学时证明")
