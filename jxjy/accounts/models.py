"""Organisations, staff accounts with one role each, and learners (DESIGN §2)."""

import contextlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from jxjy.core import clock, pii
from jxjy.core.fields import EncryptedCharField, LookupHashField, PersonalDataModel, PersonalDataQuerySet
from jxjy.core.identity import normalize_id_number, normalize_mobile


class Prefecture(models.Model):
    """One of the region's 14 prefectures (地州)."""

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "地州"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HR_REGION = "hr_region", "人社厅"
        HR_PREFECTURE = "hr_prefecture", "地州人社局"
        DEPARTMENT = "department", "主管部门"
        BASE = "base", "继续教育基地"
        ADMIN = "admin", "平台运维单位"
        PLATFORM = "platform", "在线学习平台"  # imports 公需课 completions through the API

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        REGIONAL = "regional", "自治区级"
        PREFECTURE = "prefecture", "地州级"

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices)
    level = models.CharField("基地级别", max_length=20, choices=Level.choices, blank=True)
    prefecture = models.ForeignKey(Prefecture, verbose_name="所在地州", null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey(
        "self",
        verbose_name="主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bases",
        limit_choices_to={"kind": Kind.DEPARTMENT},
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="base_has_level_prefecture_department",
                condition=~models.Q(kind="base")
                | (models.Q(level__in=["national", "regional", "prefecture"]) & models.Q(prefecture__isnull=False))
                & models.Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="prefecture_bureau_has_prefecture",
                condition=~models.Q(kind="hr_prefecture") | models.Q(prefecture__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location(self) -> str:
        return self.prefecture.name if self.prefecture_id else ""


class Role(models.TextChoices):
    BASE = "base", "基地工作人员"
    DEPARTMENT = "department", "主管部门审核员"
    HR_REGION = "hr_region", "人社厅专技处审核员"
    HR_PREFECTURE = "hr_prefecture", "地州人社局审核员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"
    LEARNER = "learner", "学员"


# The organisation kind each staff role belongs to.
ROLE_ORG_KIND = {
    Role.BASE: Organisation.Kind.BASE,
    Role.DEPARTMENT: Organisation.Kind.DEPARTMENT,
    Role.HR_REGION: Organisation.Kind.HR_REGION,
    Role.HR_PREFECTURE: Organisation.Kind.HR_PREFECTURE,
    Role.SYSADMIN: Organisation.Kind.ADMIN,
    Role.SECADMIN: Organisation.Kind.ADMIN,
    Role.AUDITOR: Organisation.Kind.ADMIN,
}


# Roles that pass a second factor (TOTP) after the password: the three administrators and the HR reviewers.
SECOND_FACTOR_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.HR_REGION, Role.HR_PREFECTURE}
# Roles only the 安全管理员 grants (三员分立).
ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


class User(AbstractUser):
    """A staff member of one organisation with one role, or a learner (no organisation)."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField("姓名", max_length=50, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Set by a password reset: the temporary password works once, to choose a new one.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_learner(self) -> bool:
        return self.role == Role.LEARNER

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES


class PasswordHistory(models.Model):
    """A password's hash, kept so that the last few cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    created_at = clock.CreatedAtField("设置时间")

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]


def _lookup_hashes(purpose: str, value: str, normalize) -> list[str]:
    # Not a valid number: hashed as typed, so it finds nothing, or what was stored as such.
    with contextlib.suppress(ValidationError):
        value = normalize(value)
    return pii.lookup_hashes(purpose, value)


class LearnerQuerySet(PersonalDataQuerySet):
    def by_id_number(self, value: str) -> "LearnerQuerySet":
        """The learner with this 身份证号 (any case of the X, half- or full-width), by its keyed hash."""
        return self.filter(id_number_hash__in=_lookup_hashes(pii.ID_NUMBER, value, normalize_id_number))

    def by_mobile(self, value: str) -> "LearnerQuerySet":
        """The learner with this 手机号 (spaces, hyphens, +86 allowed), by its keyed hash."""
        return self.filter(mobile_hash__in=_lookup_hashes(pii.MOBILE, value, normalize_mobile))


class Learner(PersonalDataModel):
    """A professional and technical person who registers for training.

    身份证号 and 手机号 are stored encrypted; each has a keyed hash that is unique and is what lookups use.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="learner")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedCharField("身份证号")
    id_number_hash = LookupHashField(source="id_number", purpose=pii.ID_NUMBER, unique=True)
    mobile = EncryptedCharField("手机号")
    mobile_hash = LookupHashField(source="mobile", purpose=pii.MOBILE, unique=True)
    gender = models.CharField("性别", max_length=1, choices=[("男", "男"), ("女", "女")])
    work_unit = models.CharField("工作单位", max_length=100)
    created_at = clock.CreatedAtField("注册时间")

    objects = LearnerQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "学员"

    def __str__(self) -> str:
        return self.name
