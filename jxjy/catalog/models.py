"""The training-scope catalogue: 系列 → 专业 → 级别 (DESIGN §3). Edited by the administrator."""

from django.db import models
from django.utils.translation import gettext, gettext_lazy


class SubjectKind(models.TextChoices):
    """科目类别 of a class and of the hours it gives (专业科目 / 公需科目): one list for filings, hours and the API."""

    PROFESSIONAL = "professional", gettext_lazy("专业科目")
    PUBLIC = "public", gettext_lazy("公需科目")


class Series(models.Model):
    name = models.CharField(gettext_lazy("系列"), max_length=50, unique=True)
    order = models.PositiveIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("系列")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.shown

    @property
    def shown(self) -> str:
        """The name in the page's language: a seeded name has its translation (catalog/seed.py), one the
        系统管理员 added is shown as entered."""
        return gettext(self.name)


class Specialty(models.Model):
    series = models.ForeignKey(
        Series, verbose_name=gettext_lazy("系列"), on_delete=models.PROTECT, related_name="specialties"
    )
    name = models.CharField(gettext_lazy("专业"), max_length=50)
    order = models.PositiveIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("专业")
        ordering = ["series__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "name"], name="unique_specialty_in_series")]

    def __str__(self) -> str:
        return f"{self.series.shown} > {self.shown}"

    @property
    def shown(self) -> str:
        return gettext(self.name)


class Level(models.Model):
    """A title level within a series, e.g. 工程系列's 高级工程师."""

    series = models.ForeignKey(
        Series, verbose_name=gettext_lazy("系列"), on_delete=models.PROTECT, related_name="levels"
    )
    name = models.CharField(gettext_lazy("级别"), max_length=50)
    order = models.PositiveIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("级别")
        ordering = ["series__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "name"], name="unique_level_in_series")]

    def __str__(self) -> str:
        return f"{self.series.shown} > {self.shown}"

    @property
    def shown(self) -> str:
        return gettext(self.name)
