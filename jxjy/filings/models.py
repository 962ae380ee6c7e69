"""培训前备案 (DESIGN §4.1): the guide's 申报表 with its three tables and attachments."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.catalog.models import SubjectKind
from jxjy.core import clock
from jxjy.core.identity import validate_person_name
from jxjy.review.models import Reviewable


class PreFilingStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    DEPT_REVIEW = "dept_review", gettext_lazy("待主管部门审核")
    RETURNED = "returned", gettext_lazy("已退回")
    DEPT_APPROVED = "dept_approved", gettext_lazy("主管部门审核通过")
    HR_REVIEW = "hr_review", gettext_lazy("待人社审核")
    APPROVED = "approved", gettext_lazy("备案通过")


class RecognitionStatus(models.TextChoices):
    """The states of a 学时认定 申报, a subset of the 培训前备案's: 专技处 审核通过 it; the 备案 comes later, with
    the results (guide §五.3)."""

    DRAFT = "draft", gettext_lazy("草稿")
    HR_REVIEW = "hr_review", gettext_lazy("待人社审核")
    RETURNED = "returned", gettext_lazy("已退回")
    APPROVED = "approved", gettext_lazy("审核通过")


class Purpose(models.TextChoices):
    FILING = "filing", gettext_lazy("培训前备案")
    RECOGNITION = "recognition", gettext_lazy("学时认定")  # guide §五.3: reviewed by 专技处 alone


class TrainingForm(models.TextChoices):
    OFFLINE = "offline", gettext_lazy("线下")
    ONLINE = "online", gettext_lazy("线上")
    MIXED = "mixed", gettext_lazy("线上线下结合")


class PreFiling(Reviewable):
    """One base's application to run a class. Every field may be empty while it is a draft."""

    base = models.ForeignKey(
        "accounts.Organisation", verbose_name=gettext_lazy("基地"), on_delete=models.PROTECT, related_name="pre_filings"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    # The 新增 page this filing was first saved from: the same page sent twice (a double click, a replay)
    # saves one filing (services.save_pre_filing).
    form_key = models.CharField(gettext_lazy("表单编号"), max_length=32, blank=True, editable=False)
    updated_at = clock.UpdatedAtField(gettext_lazy("更新时间"))

    purpose = models.CharField(gettext_lazy("业务类型"), max_length=20, choices=Purpose.choices, default=Purpose.FILING)
    planned_count = models.PositiveIntegerField(gettext_lazy("计划培训人数"), null=True, blank=True)

    year = models.PositiveSmallIntegerField(gettext_lazy("年份"), null=True, blank=True)
    fill_date = models.DateField(gettext_lazy("填报日期"), null=True, blank=True)
    # Copied from the account when the filing is created, so the submitted form never changes later.
    base_name = models.CharField(gettext_lazy("基地名称"), max_length=50, blank=True)
    base_location = models.CharField(gettext_lazy("基地所在地"), max_length=50, blank=True)
    department_name = models.CharField(gettext_lazy("主管部门"), max_length=50, blank=True)

    class_name = models.CharField(gettext_lazy("培训班名称"), max_length=50, blank=True)
    start_date = models.DateField(gettext_lazy("开班开始时间"), null=True, blank=True)
    end_date = models.DateField(gettext_lazy("开班结束时间"), null=True, blank=True)
    venue = models.CharField(gettext_lazy("开班地点"), max_length=100, blank=True)
    total_hours = models.DecimalField(gettext_lazy("总学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    training_form = models.CharField(gettext_lazy("培训形式"), max_length=20, choices=TrainingForm.choices, blank=True)
    subject_kind = models.CharField(gettext_lazy("科目类别"), max_length=20, choices=SubjectKind.choices, blank=True)
    fee_basis = models.CharField(gettext_lazy("培训费用及核算依据"), max_length=300, blank=True)

    office_phone = models.CharField(gettext_lazy("办公电话"), max_length=20, blank=True)
    fax = models.CharField(gettext_lazy("传真"), max_length=20, blank=True)
    email = models.CharField(gettext_lazy("邮箱"), max_length=50, blank=True)
    address = models.CharField(gettext_lazy("通讯地址"), max_length=100, blank=True)
    postcode = models.CharField(gettext_lazy("邮编"), max_length=6, blank=True)
    leader_name = models.CharField(gettext_lazy("负责人"), max_length=50, blank=True)
    leader_title = models.CharField(gettext_lazy("负责人职务"), max_length=50, blank=True)
    leader_mobile = models.CharField(gettext_lazy("负责人手机号"), max_length=11, blank=True)
    contact_name = models.CharField(gettext_lazy("联系人"), max_length=50, blank=True)
    contact_title = models.CharField(gettext_lazy("联系人职务"), max_length=50, blank=True)
    contact_mobile = models.CharField(gettext_lazy("联系人手机号"), max_length=11, blank=True)

    attachments = GenericRelation("attachments.Attachment")

    # The fields the base types into the 申报表, in the guide's order (all required by 保存).
    FORM_FIELDS = [
        "year", "fill_date", "class_name", "start_date", "end_date", "venue", "total_hours", "training_form",
        "subject_kind", "fee_basis", "office_phone", "fax", "email", "address", "postcode", "leader_name",
        "leader_title", "leader_mobile", "contact_name", "contact_title", "contact_mobile",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("培训前备案")
        ordering = ["-created_at", "-id"]
        # Reviewers' lists show the latest submitted first: read in this order, a page needs no sort.
        indexes = [models.Index(fields=["-submitted_at", "-id"], name="prefiling_latest_submitted")]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "form_key"], condition=~models.Q(form_key=""), name="prefiling_once_per_form"
            )
        ]

    def __str__(self) -> str:
        return self.class_name or (_("未命名备案#%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("filings:detail", args=[self.pk])


class ScopeItem(models.Model):
    """One (系列, 专业, 级别) triple of a filing's 培训范围; the series is the specialty's."""

    filing = models.ForeignKey(PreFiling, on_delete=models.CASCADE, related_name="scope_items")
    specialty = models.ForeignKey("catalog.Specialty", verbose_name=gettext_lazy("专业"), on_delete=models.PROTECT)
    level = models.ForeignKey("catalog.Level", verbose_name=gettext_lazy("级别"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["specialty__series__order", "specialty__order", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "specialty", "level"], name="unique_scope_item"),
        ]

    def __str__(self) -> str:
        return f"{self.specialty.series.shown} > {self.specialty.shown} > {self.level.shown}"


# Table rows may be half-filled in a draft (临时保存); 保存 requires every cell.
class Course(models.Model):
    filing = models.ForeignKey(PreFiling, on_delete=models.CASCADE, related_name="courses")
    content = models.CharField(gettext_lazy("课程内容"), max_length=100, blank=True)
    hours = models.DecimalField(gettext_lazy("学时数"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Teacher(models.Model):
    filing = models.ForeignKey(PreFiling, on_delete=models.CASCADE, related_name="teachers")
    name = models.CharField(gettext_lazy("姓名"), max_length=50, blank=True, validators=[validate_person_name])
    education = models.CharField(gettext_lazy("学历"), max_length=50, blank=True)
    major = models.CharField(gettext_lazy("专业"), max_length=50, blank=True)
    title = models.CharField(gettext_lazy("职称(职务)"), max_length=50, blank=True)
    course = models.CharField(gettext_lazy("讲授课程"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]


class Textbook(models.Model):
    filing = models.ForeignKey(PreFiling, on_delete=models.CASCADE, related_name="textbooks")
    name = models.CharField(gettext_lazy("教材名称"), max_length=100, blank=True)
    edition = models.CharField(gettext_lazy("选用版本"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
