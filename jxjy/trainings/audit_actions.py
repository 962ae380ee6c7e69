"""What trainings records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class TrainingAction(models.TextChoices):
    CREATE_CLASS = "create_class", gettext_lazy("新增培训信息")
    SAVE_CLASS = "save_class", gettext_lazy("保存培训信息")
    OPEN_REGISTRATION = "open_registration", gettext_lazy("开启报名")
    CLOSE_REGISTRATION = "close_registration", gettext_lazy("关闭报名")
    SAVE_REGISTRATION = "save_registration", gettext_lazy("保存报名")
    CHANGE_REGISTRATION = "change_registration", gettext_lazy("修改报名")
    DELETE_REGISTRATION = "delete_registration", gettext_lazy("删除报名")
