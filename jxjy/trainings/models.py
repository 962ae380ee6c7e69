"""培训信息 (a class published from an approved 培训前备案) and 学员报名 (DESIGN §4.2–4.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.identity import hours_text, validate_person_name
from jxjy.review.models import Reviewable


class ClassStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    HR_REVIEW = "hr_review", gettext_lazy("待人社审核")
    RETURNED = "returned", gettext_lazy("已退回")
    APPROVED = "approved", gettext_lazy("审核通过")
    CHANGE_REQUESTED = "change_requested", gettext_lazy("报名时间变更待审核")
    CHANGING = "changing", gettext_lazy("报名时间变更中")


class TrainingClass(Reviewable):
    """A class learners can register for, created from one approved 培训前备案."""

    base = models.ForeignKey(
        "accounts.Organisation", verbose_name=gettext_lazy("基地"), on_delete=models.PROTECT, related_name="+"
    )
    pre_filing = models.ForeignKey(
        "filings.PreFiling", verbose_name=gettext_lazy("培训前备案"), on_delete=models.PROTECT, related_name="classes"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    updated_at = clock.UpdatedAtField(gettext_lazy("更新时间"))
    # The 新增 page it was first saved from: that page sent twice makes one class (jxjy.core.form_keys).
    form_key = models.CharField(gettext_lazy("表单编号"), max_length=32, blank=True, editable=False)

    years = models.JSONField(gettext_lazy("年度范围"), default=list)
    years_start = models.PositiveSmallIntegerField(gettext_lazy("起始年度"), db_index=True)  # min(years), for filtering
    reg_start = models.DateTimeField(gettext_lazy("报名开始时间"))
    reg_end = models.DateTimeField(gettext_lazy("报名结束时间"))
    resubmit_deadline = models.DateTimeField(gettext_lazy("退回再次提交截止时间"))
    has_package = models.BooleanField(gettext_lazy("是否选择课程包"), default=False)
    seat_limit = models.PositiveIntegerField(gettext_lazy("限制报名人数(0为不限制)"), default=0)
    report_place = models.CharField(gettext_lazy("报到地点"), max_length=100)
    class_place = models.CharField(gettext_lazy("上课地点"), max_length=100)
    contact = models.CharField(gettext_lazy("联系人"), max_length=50)
    contact_phone = models.CharField(gettext_lazy("联系电话(可写多个)"), max_length=50)
    notes = models.CharField(gettext_lazy("特殊说明"), max_length=50, blank=True)
    # 开启 / 关闭: the base publishes an approved class for registration, and may close it again.
    is_published = models.BooleanField(gettext_lazy("已开启报名"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("培训信息")
        ordering = ["-created_at", "-id"]
        # Reviewers' lists show the latest submitted first: read in this order, a page needs no sort.
        indexes = [models.Index(fields=["-submitted_at", "-id"], name="class_latest_submitted")]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "form_key"], condition=~models.Q(form_key=""), name="class_once_per_form"
            )
        ]

    def __str__(self) -> str:
        return self.pre_filing.class_name

    def get_absolute_url(self) -> str:
        return reverse("trainings:class_detail", args=[self.pk])

    @property
    def class_name(self) -> str:
        return self.pre_filing.class_name

    @property
    def year(self) -> int:
        """The class's 年份: its 培训前备案's (the 年度范围 of the hours it gives may start earlier)."""
        return self.pre_filing.year

    @property
    def start_date(self):
        return self.pre_filing.start_date

    @property
    def end_date(self):
        return self.pre_filing.end_date

    @property
    def channel(self) -> str:
        """报名通道 as it is now: 未开启 (not opened by the base, or closed), 报名未开始, 报名中 or 报名已结束."""
        if not self.is_published or self.status != ClassStatus.APPROVED:
            return _("未开启")
        now = clock.now()
        if now < self.reg_start:
            return _("报名未开始")
        return _("报名中") if now <= self.reg_end else _("报名已结束")

    def is_open(self, at=None) -> bool:
        """Registration is open only while published, approved and inside the window."""
        at = at or clock.now()
        return self.is_published and self.status == ClassStatus.APPROVED and self.reg_start <= at <= self.reg_end


class ClassSpecialty(models.Model):
    """A 培训专业 of the class: one (专业, 级别) of its filing's scope."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.ForeignKey("catalog.Specialty", verbose_name=gettext_lazy("专业"), on_delete=models.PROTECT)
    level = models.ForeignKey("catalog.Level", verbose_name=gettext_lazy("级别"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["specialty__series__order", "specialty__order", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "specialty", "level"], name="unique_class_specialty")
        ]

    def __str__(self) -> str:
        return f"{self.specialty.series.shown} > {self.specialty.shown} > {self.level.shown}"


class PackageCourse(models.Model):
    """A course of the class's 课程包 that learners pick from."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="package_courses")
    name = models.CharField(gettext_lazy("课程名称"), max_length=100)
    hours = models.DecimalField(gettext_lazy("课时数"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return _("%(name)s（%(hours_text)s学时）") % {"name": self.name, "hours_text": hours_text(self.hours)}


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("已保存")
    SUBMITTED = "submitted", gettext_lazy("待审核")
    APPROVED = "approved", gettext_lazy("审核通过")
    RETURNED = "returned", gettext_lazy("已退回")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")
    WAITING = "waiting", gettext_lazy("候补中")


# Registrations that hold a seat of a limited class at any time; a returned one holds its seat too, until the
# class's 退回再次提交截止时间 (see seat_holding).
SEAT_HOLDING = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED)


def seat_holding(at, *, path: str = "", class_path: str = "training_class__") -> Q:
    """The registrations holding a seat at `at`: submitted, approved, or returned before the deadline.

    `path` leads from the queried model to the registration, `class_path` from there to its class
    (from a TrainingClass query: path="registrations__", class_path="").
    """
    return Q(**{f"{path}status__in": SEAT_HOLDING}) | Q(
        **{f"{path}status": RegistrationStatus.RETURNED, f"{class_path}resubmit_deadline__gte": at}
    )


class Registration(Reviewable):
    """A learner's registration for one class; reviewed by the class's base."""

    learner = models.ForeignKey("accounts.Learner", on_delete=models.PROTECT, related_name="registrations")
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="registrations")
    specialty = models.ForeignKey("catalog.Specialty", verbose_name=gettext_lazy("报名专业"), on_delete=models.PROTECT)
    level = models.ForeignKey("catalog.Level", verbose_name=gettext_lazy("级别"), on_delete=models.PROTECT)
    created_at = clock.CreatedAtField(gettext_lazy("报名时间"))
    updated_at = clock.UpdatedAtField(gettext_lazy("更新时间"))

    name = models.CharField(gettext_lazy("姓名"), max_length=50, validators=[validate_person_name])
    work_unit = models.CharField(gettext_lazy("工作单位"), max_length=100)
    current_title = models.CharField(gettext_lazy("现任职称及级别"), max_length=50)
    year = models.PositiveSmallIntegerField(gettext_lazy("参训年度"))
    package_courses = models.ManyToManyField(PackageCourse, verbose_name=gettext_lazy("选择课程"), blank=True)
    # 候补: the order of joining the class's waiting list (1, 2, 3 …, given under the class's lock). Never
    # renumbered: the place shown is the number of earlier rows still waiting + 1.
    queue_seq = models.PositiveIntegerField(gettext_lazy("候补顺序号"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员报名")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One active registration per learner per class; withdrawn ones stay as history.
            models.UniqueConstraint(
                fields=["learner", "training_class"],
                condition=~Q(status="withdrawn"),
                name="one_active_registration_per_class",
            ),
            models.UniqueConstraint(fields=["training_class", "queue_seq"], name="one_place_per_waiting_list"),
        ]
        indexes = [models.Index(fields=["training_class", "status"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.training_class}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:registration_detail", args=[self.pk])
