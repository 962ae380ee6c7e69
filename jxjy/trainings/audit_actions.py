"""What trainings records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class TrainingAction(models.TextChoices):
    CREATE_CLASS = "create_class", "新增培训信息"
    SAVE_CLASS = "save_class", "保存培训信息"
    OPEN_REGISTRATION = "open_registration", "开启报名"
    CLOSE_REGISTRATION = "close_registration", "关闭报名"
    SAVE_REGISTRATION = "save_registration", "保存报名"
    CHANGE_REGISTRATION = "change_registration", "修改报名"
    DELETE_REGISTRATION = "delete_registration", "删除报名"
