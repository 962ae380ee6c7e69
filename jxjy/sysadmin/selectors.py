"""What the 系统管理 screens list: 单位, 账号 (found by 姓名, 账号, or the exact 身份证号 / 手机号 through their keyed
hashes — no table is decrypted to search it), the 培训范围目录 as a tree, the rules with their values in force, and
the 接口令牌."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.accounts.models import Learner, Organisation, Role, User
from jxjy.api.models import ApiToken
from jxjy.catalog.models import Level, Series, Specialty
from jxjy.core.identity import mask_id_number, mask_mobile
from jxjy.core.inputs import bounded_int
from jxjy.core.models import RuleSetting
from jxjy.core.rules import BUSINESS_RULES, Rule, rule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_ROLE = "none"  # the 角色 filter's value for accounts waiting for the 安全管理员 to grant a role
STATES = {"active": gettext_lazy("启用"), "disabled": gettext_lazy("停用")}


def _text(q: Mapping[str, Any], name: str) -> str:
    return str(q.get(name, "")).strip()[:50]


# ---- 单位 ----


def organisations(q: Mapping[str, Any]) -> QuerySet[Organisation]:
    """单位 by 单位名称 (part of it) and 单位类型, with the number of accounts of each."""
    qs = Organisation.objects.select_related("prefecture", "department").annotate(accounts=Count("users"))
    if name := _text(q, "q"):
        qs = qs.filter(name__icontains=name)
    if (kind := _text(q, "kind")) in Organisation.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name", "pk")


# ---- 账号 ----


def _people(text: str) -> QuerySet[Learner]:
    """The learners whose 身份证号 or 手机号 is exactly `text` (as typed, in any of the accepted forms)."""
    return Learner.objects.by_id_number(text) | Learner.objects.by_mobile(text)


def accounts(q: Mapping[str, Any]) -> QuerySet[User]:
    """账号 by 姓名 or 账号 (part of it), or by the exact 身份证号 or 手机号 of a learner; by 状态, 角色 and 单位."""
    qs = User.objects.select_related("organisation", "learner")
    if text := _text(q, "q"):
        match = Q(full_name__icontains=text) | Q(username__icontains=text) | Q(learner__name__icontains=text)
        qs = qs.filter(match | Q(learner__in=_people(text).values("pk")))
    if (state := _text(q, "state")) in STATES:
        qs = qs.filter(is_active=state == "active")
    if (role := _text(q, "role")) == NO_ROLE:
        qs = qs.filter(role="")
    elif role in Role.values:
        qs = qs.filter(role=role)
    if (organisation := bounded_int(q, "org", label=_("单位"))) is not None:
        qs = qs.filter(organisation_id=organisation)
    return qs.order_by("role", "organisation__name", "username", "pk")


def filtered_organisation(q: Mapping[str, Any]) -> Organisation | None:
    """The 单位 the account list is narrowed to (its 账号数 link), if any."""
    pk = bounded_int(q, "org", label=_("单位"))
    return Organisation.objects.filter(pk=pk).first() if pk is not None else None


@dataclass(frozen=True)
class AccountRow:
    """One account as the list shows it: a learner by name and masked 身份证号, never by the random user name."""

    user: User
    name: str
    login: str  # what the holder signs in with: the user name, or a learner's 身份证号 (masked)
    unit: str
    role: str
    mobile: str = ""  # a learner's, masked


def role_label(user: User) -> str:
    return str(Role(user.role).label) if user.role in Role.values else _("待授权")


def learner_of(user: User) -> Learner | None:
    try:
        return user.learner if user.is_learner else None
    except Learner.DoesNotExist:
        return None


def account_row(user: User) -> AccountRow:
    learner = learner_of(user)
    if learner is not None:
        login, mobile = mask_id_number(learner.id_number), mask_mobile(learner.mobile)
        return AccountRow(user, learner.name, login, learner.work_unit, role_label(user), mobile)
    unit = user.organisation.name if user.organisation else ""
    return AccountRow(user, user.full_name or "—", user.username, unit, role_label(user))


# ---- 培训范围目录 ----


@dataclass(frozen=True)
class SeriesNode:
    series: Series
    specialties: list[Specialty]
    levels: list[Level]


def catalogue() -> list[SeriesNode]:
    """Each 系列 with its 专业 and 级别, in their order (disabled ones too: they can be enabled again)."""
    specialties: dict[int, list[Specialty]] = {}
    levels: dict[int, list[Level]] = {}
    for s in Specialty.objects.order_by("order", "pk"):
        specialties.setdefault(s.series_id, []).append(s)
    for lv in Level.objects.order_by("order", "pk"):
        levels.setdefault(lv.series_id, []).append(lv)
    return [
        SeriesNode(s, specialties.get(s.pk, []), levels.get(s.pk, [])) for s in Series.objects.order_by("order", "pk")
    ]


# ---- 规则设置 ----

# What each rule is counted in; the rulebook has the label, the type, the range and what it is for.
UNITS = {
    "JXJY_FILING_LEAD_DAYS": gettext_lazy("天"),
    "JXJY_COMPLETION_FILING_DAYS": gettext_lazy("天"),
    "JXJY_YEARLY_HOURS": gettext_lazy("学时"),
    "JXJY_PROFESSIONAL_SHARE": gettext_lazy("比例（0～1）"),
}
# Where the system follows it.
EFFECTS = {
    "JXJY_FILING_LEAD_DAYS": gettext_lazy("基地保存、提交培训前备案时，开班开始时间不得早于“今天 + 该天数”。"),
    "JXJY_COMPLETION_FILING_DAYS": gettext_lazy("培训结束后超过该天数，基地不能再办理该培训班的培训后备案。"),
    "JXJY_YEARLY_HOURS": gettext_lazy("学员学时档案、学时证明和统计分析中“年度应完成学时”按此计算。"),
    "JXJY_PROFESSIONAL_SHARE": gettext_lazy("年度应完成学时中专业科目学时 = 每年应完成学时 × 该比例（保留一位小数）。"),
}


@dataclass(frozen=True)
class RuleRow:
    key: str
    rule: Rule
    value: object  # in force: the saved value, else the settings' default
    default: object
    unit: "StrOrPromise"
    effect: "StrOrPromise"
    setting: RuleSetting | None  # the saved value, if the 系统管理员 set one

    @property
    def range(self) -> str:
        return f"{self.rule.minimum:g} ～ {self.rule.maximum:g}"


def rule_row(key: str, saved: dict[str, RuleSetting] | None = None) -> RuleRow:
    """One rule; `saved` are the saved values already read (else this one is read)."""
    r = BUSINESS_RULES[key]
    setting = saved.get(key) if saved is not None else RuleSetting.objects.filter(key=key).first()
    return RuleRow(
        key=key, rule=r, value=rule(key), default=getattr(settings, key), unit=UNITS.get(key, ""),
        effect=EFFECTS.get(key, r.help), setting=setting,
    )  # fmt: skip


def rule_rows() -> list[RuleRow]:
    """Every business rule (the security policy is the 安全管理员's), with the value in force."""
    saved = {s.key: s for s in RuleSetting.objects.filter(key__in=BUSINESS_RULES)}
    return [rule_row(key, saved) for key in BUSINESS_RULES]


# ---- 接口令牌 ----


def api_tokens(q: Mapping[str, Any]) -> QuerySet[ApiToken]:
    """接口令牌 by 用途说明, 单位 or 令牌前缀 (part of it), newest first."""
    qs = ApiToken.objects.select_related("organisation", "created_by", "revoked_by")
    if text := _text(q, "q"):
        qs = qs.filter(Q(name__icontains=text) | Q(organisation__name__icontains=text) | Q(prefix__icontains=text))
    return qs.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Screen:
    label: str
    url_name: str
    what: str
    count: int


def screens() -> list[Screen]:
    """The five screens of 系统管理, each with what it holds."""
    return [
        Screen(
            _("单位管理"),
            "sysadmin:organisations",
            _("各级人社部门、主管部门、继续教育基地等单位：新建、修改、停用"),
            Organisation.objects.count(),
        ),
        Screen(
            _("账号管理"),
            "sysadmin:accounts",
            _("工作人员和学员账号：查询，新建、修改工作人员账号，停用、启用"),
            User.objects.count(),
        ),
        Screen(_("培训范围目录"), "sysadmin:catalog", _("系列、专业、级别：新增、修改、停用"), Series.objects.count()),
        Screen(_("规则设置"), "sysadmin:rules", _("备案期限、年度学时等业务规则的当前值与修改"), len(BUSINESS_RULES)),
        Screen(_("接口令牌"), "sysadmin:tokens", _("外部系统调用开放接口的令牌：创建、撤销"), ApiToken.objects.count()),
    ]
