"""What completions records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class CompletionAction(models.TextChoices):
    CREATE = "create_completion", "新增培训后备案"
    SAVE = "save_completion", "保存培训后备案"
    CHANGE_SCORE = "change_score", "修改学员成绩"
    EXPORT_SCORE_TEMPLATE = "export_score_template", "导出成绩模板"
    IMPORT_SCORES = "import_scores", "导入学员成绩"
