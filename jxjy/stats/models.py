"""The running totals the statistics page reads (jxjy/stats/totals.py keeps them in step with the facts).

Every row is changed only by an atomic increment in the transaction that changes the facts it counts, so
the totals are always those of the committed facts; `manage.py rebuild_stats` recomputes them from the
facts, and `--check` compares them with a direct count. Hours are kept in tenths (学时 have one decimal),
so sums and comparisons are exact integers on every database.

The rows name a base and a 专业 rather than a 地州, a level or a 系列: those are read from the base and the
专业 when the page is shown, so an office that corrects a base's 地州 or a 专业's 系列 sees every figure
move with it, as a direct count would.
"""

from django.db import models
from django.utils.translation import gettext_lazy


class Total(models.Model):
    """The counted facts of one (年度, base, 报名专业, 科目类别).

    `specialty` is the pk of the learner's 报名专业 for registrations, certificates and hours (0 for a
    certificate without a registration, and for filings and classes, which span several); `kind` is the
    科目类别 (public / professional) of the certificate, or of the 培训前备案 behind a filing, class or
    registration (a blank one counts as professional, as its certificates do)."""

    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    base = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    specialty = models.PositiveIntegerField(gettext_lazy("报名专业"), default=0)
    kind = models.CharField(gettext_lazy("科目类别"), max_length=20)
    filings = models.IntegerField(gettext_lazy("备案通过的培训前备案"), default=0)
    recognitions = models.IntegerField(gettext_lazy("审核通过的学时认定"), default=0)
    classes = models.IntegerField(gettext_lazy("审核通过的培训班"), default=0)
    registrations = models.IntegerField(gettext_lazy("审核通过的报名"), default=0)
    certificates = models.IntegerField(gettext_lazy("有效电子证书"), default=0)
    hours_tenths = models.BigIntegerField(gettext_lazy("认定学时（十分之一学时）"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("统计汇总")
        constraints = [
            models.UniqueConstraint(fields=["year", "base", "specialty", "kind"], name="stats_total_key"),
        ]


class LearnerYear(models.Model):
    """A learner's year: hours of the credits that count (not void), and how many such credits. What a
    change does to it (before and after) moves the learner between the rows of LearnerCount."""

    learner = models.ForeignKey("accounts.Learner", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    public_tenths = models.BigIntegerField(gettext_lazy("公需科目（十分之一学时）"), default=0)
    professional_tenths = models.BigIntegerField(gettext_lazy("专业科目（十分之一学时）"), default=0)
    credits = models.IntegerField(gettext_lazy("有效学时记录数"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员年度学时")
        constraints = [models.UniqueConstraint(fields=["learner", "year"], name="stats_learner_year_key")]


class LearnerBase(models.Model):
    """An organisation gave the learner a certificate with hours of that year (revoked later or not). For a
    base, the learner is among those its 人社部门 count in the 达标率 (the region's and the base's 地州's);
    an online platform's learners count only through a base. Rows are only ever added."""

    learner = models.ForeignKey("accounts.Learner", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    base = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员培训基地")
        constraints = [models.UniqueConstraint(fields=["learner", "year", "base"], name="stats_learner_base_key")]


class LearnerCount(models.Model):
    """How many learners of a 统计范围 have these hours (that count) in a year: the 达标率 of any rule is a sum
    over a few hundred rows. `scope` is 0 for the region (learners trained by any base) or a 地州's pk
    (learners trained by one of its bases); a learner counts once in each scope they belong to, and only
    while some of their hours of the year count.

    The scopes follow each base's 地州 as it was when the hours were credited: after correcting a base's
    地州, run `manage.py rebuild_stats` (its `--check` reports the difference)."""

    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    scope = models.PositiveIntegerField(gettext_lazy("统计范围"))
    public_tenths = models.BigIntegerField(gettext_lazy("公需科目（十分之一学时）"))
    professional_tenths = models.BigIntegerField(gettext_lazy("专业科目（十分之一学时）"))
    learners = models.IntegerField(gettext_lazy("学员数"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员学时分布")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope", "public_tenths", "professional_tenths"], name="stats_learner_count_key"
            )
        ]
