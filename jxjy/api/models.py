"""开放接口: the tokens that let an organisation's own systems call the API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock, pii
from jxjy.core.fields import EncryptedCharField, LookupHashField, PersonalDataModel, PersonalDataQuerySet


class Scope(models.TextChoices):
    HOURS_READ = "hours:read", gettext_lazy("hours:read 查询学员年度学时（职称评审系统）")
    COMPLETIONS_IMPORT = "completions:import", gettext_lazy("completions:import 导入公需课学习记录（在线学习平台）")
    DOCUMENTS_READ = "documents:read", gettext_lazy("documents:read 查询本基地单据及状态（基地自有系统）")


class ApiToken(models.Model):
    """One organisation's key to the API. Only a hash of the secret is kept; it is shown once, when created."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("所属单位"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(gettext_lazy("用途说明"), max_length=100)
    # The token reads jxjy_<prefix>_<secret>; the prefix finds the row, the hash checks the secret.
    prefix = models.CharField(gettext_lazy("令牌前缀"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(gettext_lazy("权限范围"), default=list)
    created_at = clock.CreatedAtField(gettext_lazy("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(gettext_lazy("有效期至"))
    revoked_at = models.DateTimeField(gettext_lazy("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(gettext_lazy("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}（{self.prefix}）"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now() and self.organisation.is_active

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return _("已撤销")
        return _("有效") if self.expires_at > clock.now() else _("已过期")


class HeldCompletion(PersonalDataModel):
    """A 公需课 record an online platform sent for someone who is not (yet) a registered learner under that 身份证号
    and name. The platform's answer is the same as for any record, so that an import tells nobody who is
    registered; the certificate is issued, and the hours credited, when that learner registers."""

    objects = PersonalDataQuerySet.as_manager()

    platform = models.ForeignKey(
        "accounts.Organisation", verbose_name=gettext_lazy("在线学习平台"), on_delete=models.PROTECT, related_name="+"
    )
    source_key = models.CharField(gettext_lazy("记录来源"), max_length=100, unique=True)  # as Certificate.source_key
    record_id = models.CharField(gettext_lazy("平台记录编号"), max_length=64)
    id_number = EncryptedCharField(gettext_lazy("身份证号"))
    id_number_hash = LookupHashField(source="id_number", purpose=pii.ID_NUMBER, db_index=True)
    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    course = models.CharField(gettext_lazy("课程名称"), max_length=100)
    hours = models.DecimalField(gettext_lazy("学时"), max_digits=6, decimal_places=1)
    completed_on = models.DateField(gettext_lazy("完成日期"))
    received_at = clock.CreatedAtField(gettext_lazy("接收时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("待入账的公需课记录")

    def __str__(self) -> str:
        return f"{self.record_id}（{self.course}）"
