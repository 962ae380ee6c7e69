"""What completions records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class CompletionAction(models.TextChoices):
    CREATE = "create_completion", gettext_lazy("新增培训后备案")
    SAVE = "save_completion", gettext_lazy("保存培训后备案")
    CHANGE_SCORE = "change_score", gettext_lazy("修改学员成绩")
    EXPORT_SCORE_TEMPLATE = "export_score_template", gettext_lazy("导出成绩模板")
    IMPORT_SCORES = "import_scores", gettext_lazy("导入学员成绩")
