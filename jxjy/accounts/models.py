"""Organisations, staff accounts with one role each, and learners (DESIGN §2)."""

import contextlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock, pii
from jxjy.core.fields import EncryptedCharField, LookupHashField, PersonalDataModel, PersonalDataQuerySet
from jxjy.core.identity import normalize_id_number, normalize_mobile, validate_person_name
from jxjy.review.models import Reviewable


class Prefecture(models.Model):
    """One of the region's 14 prefectures (地州)."""

    code = models.CharField(gettext_lazy("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("地州")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.shown

    @property
    def shown(self) -> str:
        """The name in the page's language (the seeded names are translated: accounts/seed.py)."""
        return _(self.name)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HR_REGION = "hr_region", gettext_lazy("人社厅")
        HR_PREFECTURE = "hr_prefecture", gettext_lazy("地州人社局")
        DEPARTMENT = "department", gettext_lazy("主管部门")
        BASE = "base", gettext_lazy("继续教育基地")
        ADMIN = "admin", gettext_lazy("平台运维单位")
        PLATFORM = "platform", gettext_lazy("在线学习平台")  # imports 公需课 completions through the API

    class Level(models.TextChoices):
        NATIONAL = "national", gettext_lazy("国家级")
        REGIONAL = "regional", gettext_lazy("自治区级")
        PREFECTURE = "prefecture", gettext_lazy("地州级")

    name = models.CharField(gettext_lazy("单位名称"), max_length=100, unique=True)
    kind = models.CharField(gettext_lazy("单位类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(gettext_lazy("基地级别"), max_length=20, choices=Level.choices, blank=True)
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=gettext_lazy("所在地州"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bases",
        limit_choices_to={"kind": Kind.DEPARTMENT},
    )
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("单位")
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
    BASE = "base", gettext_lazy("基地工作人员")
    DEPARTMENT = "department", gettext_lazy("主管部门审核员")
    HR_REGION = "hr_region", gettext_lazy("人社厅专技处审核员")
    HR_PREFECTURE = "hr_prefecture", gettext_lazy("地州人社局审核员")
    SYSADMIN = "sysadmin", gettext_lazy("系统管理员")
    SECADMIN = "secadmin", gettext_lazy("安全管理员")
    AUDITOR = "auditor", gettext_lazy("审计管理员")
    LEARNER = "learner", gettext_lazy("学员")


# The organisation kind each staff role belongs to.
ROLE_ORG_KIND: dict[str, str] = {
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
# Roles of the review units (主管部门, 人社): the 待审核 and 已审核 lists of every document kind are theirs.
REVIEWER_ROLES = {Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE}
# Roles only the 安全管理员 grants (三员分立).
ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


class User(AbstractUser):
    """A staff member of one organisation with one role, or a learner (no organisation)."""

    role = models.CharField(gettext_lazy("角色"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=gettext_lazy("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(gettext_lazy("姓名"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(gettext_lazy("密码修改时间"), null=True, blank=True)
    # Set by a password reset: the temporary password works once, to choose a new one.
    must_change_password = models.BooleanField(gettext_lazy("下次登录须修改密码"), default=False)
    # The interface language the holder chose (the switch on every page); empty: the browser's.
    language = models.CharField(
        gettext_lazy("界面语言"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("账号")

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
    password = models.CharField(gettext_lazy("密码哈希"), max_length=128)
    created_at = clock.CreatedAtField(gettext_lazy("设置时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("历史密码")
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
    name = models.CharField(gettext_lazy("姓名"), max_length=50, validators=[validate_person_name])
    id_number = EncryptedCharField(gettext_lazy("身份证号"))
    id_number_hash = LookupHashField(source="id_number", purpose=pii.ID_NUMBER, unique=True)
    mobile = EncryptedCharField(gettext_lazy("手机号"))
    mobile_hash = LookupHashField(source="mobile", purpose=pii.MOBILE, unique=True)
    gender = models.CharField(
        gettext_lazy("性别"), max_length=1, choices=[("男", gettext_lazy("男")), ("女", gettext_lazy("女"))]
    )
    work_unit = models.CharField(gettext_lazy("工作单位"), max_length=100)
    created_at = clock.CreatedAtField(gettext_lazy("注册时间"))

    objects = LearnerQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("学员")

    def __str__(self) -> str:
        return self.name


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", gettext_lazy("注册")
    RESET = "reset", gettext_lazy("找回密码")
    APPEAL = "appeal", gettext_lazy("身份申诉")


class SmsCode(models.Model):
    """One request for an SMS code (注册 / 找回密码 / 身份申诉): what was asked for, from where, and what was sent.

    A row is written for every accepted request, also when nothing is sent (an unregistered 身份证号), so that
    the limits count the same either way. Numbers stand here only as keyed hashes or encrypted; the code only
    as a keyed hash.
    """

    purpose = models.CharField(gettext_lazy("用途"), max_length=10, choices=CodePurpose.choices)
    token = models.CharField(gettext_lazy("流程标识"), max_length=64, unique=True)  # kept in the visitor's session
    subject_hash = models.CharField(
        gettext_lazy("所填号码哈希"), max_length=64, db_index=True
    )  # what the visitor typed
    mobile_hash = models.CharField(
        gettext_lazy("收信手机哈希"), max_length=64, blank=True, db_index=True
    )  # blank: nothing went
    mobile = EncryptedCharField(gettext_lazy("手机号"), blank=True)
    code_hash = models.CharField(gettext_lazy("验证码哈希"), max_length=64, blank=True)  # blank: no code was sent
    user = models.ForeignKey(
        User, verbose_name=gettext_lazy("账号"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    appeal_invite = models.ForeignKey(
        "AppealInvite",
        verbose_name=gettext_lazy("申诉邀请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="codes",
    )
    ip = models.GenericIPAddressField(gettext_lazy("请求地址"), null=True, blank=True)
    sent_at = clock.CreatedAtField(gettext_lazy("发送时间"), db_index=True)
    expires_at = models.DateTimeField(gettext_lazy("失效时间"))
    tries = models.PositiveSmallIntegerField(gettext_lazy("错误次数"), default=0)
    used_at = models.DateTimeField(gettext_lazy("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("短信验证码")
        ordering = ["-sent_at", "-id"]


class AppealInvite(PersonalDataModel):
    """Who tried to register a 身份证号 that was taken, with the mobile they verified: the SMS link's one-time
    token lets them file a 申诉 (and nothing else)."""

    token_hash = models.CharField(gettext_lazy("链接令牌哈希"), max_length=64, unique=True)
    account = models.ForeignKey(
        User, verbose_name=gettext_lazy("被申诉账号"), on_delete=models.CASCADE, related_name="+"
    )
    id_number = EncryptedCharField(gettext_lazy("身份证号"))
    name = models.CharField(gettext_lazy("姓名"), max_length=50, validators=[validate_person_name])
    mobile = EncryptedCharField(gettext_lazy("手机号"))
    mobile_hash = LookupHashField(source="mobile", purpose=pii.MOBILE)
    work_unit = models.CharField(gettext_lazy("工作单位"), max_length=100)
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    expires_at = models.DateTimeField(gettext_lazy("失效时间"))
    used_at = models.DateTimeField(gettext_lazy("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("申诉邀请")


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("待人社厅审核")
    APPROVED = "approved", gettext_lazy("申诉通过")
    REJECTED = "rejected", gettext_lazy("已驳回")


class IdentityAppeal(Reviewable, PersonalDataModel):
    """身份申诉: the owner of a 身份证号 that another account holds asks for that account; the 人社厅 decides."""

    account = models.ForeignKey(
        User, verbose_name=gettext_lazy("被申诉账号"), on_delete=models.PROTECT, related_name="appeals"
    )
    id_number = EncryptedCharField(gettext_lazy("身份证号"))
    name = models.CharField(gettext_lazy("申诉人姓名"), max_length=50)
    mobile = EncryptedCharField(gettext_lazy("申诉人手机号"))
    mobile_hash = LookupHashField(source="mobile", purpose=pii.MOBILE)
    work_unit = models.CharField(gettext_lazy("申诉人工作单位"), max_length=100)
    reason = models.TextField(gettext_lazy("申诉理由"), max_length=500)
    created_at = clock.CreatedAtField(gettext_lazy("申诉时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("身份申诉")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return _("%(name)s的身份申诉") % {"name": self.name}

    def get_absolute_url(self) -> str:
        return reverse("accounts:appeal_detail", args=[self.pk])


class AdminRequest(models.Model):
    """双人审批: a change to one of the three administrators' accounts, or a grant of an administrative role,
    asked by one administrator and carried out only when another (neither the asker nor the account's holder)
    approves it."""

    class Kind(models.TextChoices):
        GRANT_ROLE = "grant_role", gettext_lazy("变更角色")
        DISABLE = "disable", gettext_lazy("停用账号")
        ENABLE = "enable", gettext_lazy("启用账号")
        RESET_PASSWORD = "reset_password", gettext_lazy("重置密码")
        RESET_SECOND_FACTOR = "reset_second_factor", gettext_lazy("重置身份验证器")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("待审批")
        APPROVED = "approved", gettext_lazy("已批准")
        REJECTED = "rejected", gettext_lazy("已驳回")

    kind = models.CharField(gettext_lazy("申请事项"), max_length=30, choices=Kind.choices)
    target = models.ForeignKey(
        User, verbose_name=gettext_lazy("账号"), on_delete=models.PROTECT, related_name="admin_requests"
    )
    role = models.CharField(gettext_lazy("申请角色"), max_length=20, choices=Role.choices, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        User, verbose_name=gettext_lazy("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = clock.CreatedAtField(gettext_lazy("申请时间"))
    decided_by = models.ForeignKey(
        User, verbose_name=gettext_lazy("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(gettext_lazy("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("双人审批")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        what = self.get_kind_display()
        if self.kind == self.Kind.GRANT_ROLE:
            what += (_("为“%(role)s”") % {"role": Role(self.role).label}) if self.role else _("为“待授权”")
        return f"{what}：{self.target.username}"
