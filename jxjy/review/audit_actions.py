"""What review records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class ReviewAction(models.TextChoices):
    MOVE_REFUSED = "move_refused", gettext_lazy("审核操作被拒绝")
