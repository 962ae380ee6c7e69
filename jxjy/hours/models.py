"""学时档案: each learner's credited hours, one line per certificate or recognition (DESIGN §4.5)."""

from django.db import models
from django.utils.translation import gettext_lazy

from jxjy.catalog.models import SubjectKind
from jxjy.core.identity import hours_text


class Credit(models.Model):
    """Hours credited to a learner for one year; a revoked certificate voids its credit."""

    learner = models.ForeignKey("accounts.Learner", on_delete=models.PROTECT, related_name="credits")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    subject_kind = models.CharField(gettext_lazy("科目类别"), max_length=20, choices=SubjectKind.choices)
    hours = models.DecimalField(gettext_lazy("学时"), max_digits=6, decimal_places=1)
    title = models.CharField(gettext_lazy("培训项目"), max_length=100)
    source = models.CharField(gettext_lazy("来源"), max_length=100)  # 培训后备案 / 学时认定 / 在线学习平台
    certificate = models.OneToOneField(
        "certificates.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="credit"
    )
    credited_on = models.DateField(gettext_lazy("认定日期"))
    is_void = models.BooleanField(gettext_lazy("已作废"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学时记录")
        ordering = ["-year", "-credited_on", "-id"]
        indexes = [models.Index(fields=["learner", "year"])]

    def __str__(self) -> str:
        return f"{self.learner} {self.year} {hours_text(self.hours)}"
