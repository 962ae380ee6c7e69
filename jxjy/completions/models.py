"""培训后备案 (DESIGN §4.4): a base files a finished class's results, with every learner's score."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse

from jxjy.core import clock
from jxjy.core.identity import hours_text
from jxjy.filings.models import Purpose
from jxjy.review.models import Reviewable


class CompletionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    HR_REVIEW = "hr_review", "待人社审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "备案通过"


class CompletionFiling(Reviewable):
    """The four-step 培训后备案 of one class; a draft keeps each step."""

    base = models.ForeignKey("accounts.Organisation", verbose_name="基地", on_delete=models.PROTECT, related_name="+")
    training_class = models.ForeignKey(
        "trainings.TrainingClass", verbose_name="培训信息", on_delete=models.PROTECT, related_name="completions"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = clock.CreatedAtField("创建时间")
    updated_at = clock.UpdatedAtField("更新时间")
    # The 新增 page (step ①) it was made from: that page sent twice makes one (jxjy.core.form_keys).
    form_key = models.CharField("表单编号", max_length=32, blank=True, editable=False)
    step = models.PositiveSmallIntegerField("填写到第几步", default=1)
    # Its class's 申报's purpose, copied at 新增 (services.start): the results of a 学时认定 are their own kind,
    # reviewed under 「学时认定审核」 (completions/kinds.py, whose filters read this field).
    purpose = models.CharField(
        "业务类型", max_length=20, choices=Purpose.choices, default=Purpose.FILING, editable=False
    )

    # ① 选择培训信息
    name = models.CharField("培训后备案名称", max_length=50)
    year = models.PositiveSmallIntegerField("备案年度")
    # ② 填写备案
    actual_start = models.DateField("实际开始时间", null=True, blank=True)
    actual_end = models.DateField("实际结束时间", null=True, blank=True)
    actual_hours = models.DecimalField("实际学时", max_digits=6, decimal_places=1, null=True, blank=True)
    trained_count = models.PositiveIntegerField("培训人数", null=True, blank=True)
    summary = models.TextField("培训总结", max_length=1000, blank=True)

    attachments = GenericRelation("attachments.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = "培训后备案"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One completion filing per class (returned ones are changed and resubmitted, not replaced).
            models.UniqueConstraint(fields=["training_class"], name="one_completion_per_class"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recognition(self) -> bool:
        """The results of a 学时认定 (guide §五.3): the base 报送s them for 备案."""
        return self.training_class.pre_filing.purpose == "recognition"

    @property
    def pre_filing(self):
        return self.training_class.pre_filing

    @property
    def start_date(self):
        return self.actual_start

    @property
    def end_date(self):
        return self.actual_end

    def get_absolute_url(self) -> str:
        return reverse("completions:detail", args=[self.pk])


class Score(models.Model):
    """One approved learner's result in a completion filing."""

    completion = models.ForeignKey(CompletionFiling, on_delete=models.CASCADE, related_name="scores")
    registration = models.ForeignKey("trainings.Registration", on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    passed = models.BooleanField("是否合格")
    remark = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学员成绩"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["completion", "registration"], name="one_score_per_learner")]

    def __str__(self) -> str:
        return f"{self.registration.name}：{hours_text(self.score)}"
