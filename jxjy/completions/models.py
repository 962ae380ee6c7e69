"""培训后备案 (DESIGN §4.4): a base files a finished class's results, with every learner's score."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.identity import hours_text
from jxjy.filings.models import Purpose
from jxjy.review.models import Reviewable


class CompletionStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    HR_REVIEW = "hr_review", gettext_lazy("待人社审核")
    RETURNED = "returned", gettext_lazy("已退回")
    APPROVED = "approved", gettext_lazy("备案通过")


class CompletionFiling(Reviewable):
    """The four-step 培训后备案 of one class; a draft keeps each step."""

    base = models.ForeignKey(
        "accounts.Organisation", verbose_name=gettext_lazy("基地"), on_delete=models.PROTECT, related_name="+"
    )
    training_class = models.ForeignKey(
        "trainings.TrainingClass",
        verbose_name=gettext_lazy("培训信息"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    updated_at = clock.UpdatedAtField(gettext_lazy("更新时间"))
    # The 新增 page (step ①) it was made from: that page sent twice makes one (jxjy.core.form_keys).
    form_key = models.CharField(gettext_lazy("表单编号"), max_length=32, blank=True, editable=False)
    step = models.PositiveSmallIntegerField(gettext_lazy("填写到第几步"), default=1)
    # Its class's 申报's purpose, copied at 新增 (services.start): the results of a 学时认定 are their own kind,
    # reviewed under 「学时认定审核」 (completions/kinds.py, whose filters read this field).
    purpose = models.CharField(
        gettext_lazy("业务类型"), max_length=20, choices=Purpose.choices, default=Purpose.FILING, editable=False
    )

    # ① 选择培训信息
    name = models.CharField(gettext_lazy("培训后备案名称"), max_length=50)
    year = models.PositiveSmallIntegerField(gettext_lazy("备案年度"))
    # ② 填写备案
    actual_start = models.DateField(gettext_lazy("实际开始时间"), null=True, blank=True)
    actual_end = models.DateField(gettext_lazy("实际结束时间"), null=True, blank=True)
    actual_hours = models.DecimalField(gettext_lazy("实际学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    trained_count = models.PositiveIntegerField(gettext_lazy("培训人数"), null=True, blank=True)
    summary = models.TextField(gettext_lazy("培训总结"), max_length=1000, blank=True)

    attachments = GenericRelation("attachments.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("培训后备案")
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
    score = models.DecimalField(gettext_lazy("成绩"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(gettext_lazy("是否合格"))
    remark = models.CharField(gettext_lazy("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员成绩")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["completion", "registration"], name="one_score_per_learner")]

    def __str__(self) -> str:
        return f"{self.registration.name}：{hours_text(self.score)}"
