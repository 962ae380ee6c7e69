"""The 系统管理员's changes on the 系统管理 screens, each audited in the same transaction.

Accounts are opened (no usable password: the holder sets it through a link e-mailed to them) and disabled and
enabled by the accounts' own services (through 双人审批 for the three administrators'
accounts, jxjy/accounts/dual_control.py), 接口令牌 by jxjy/api/tokens.py; what had no service of its own before
(单位, 培训范围目录, 规则设置, changed in the Django admin) has one here.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from jxjy.accounts import dual_control
from jxjy.accounts import services as accounts
from jxjy.accounts.models import ROLE_ORG_KIND, AdminRequest, Organisation, Role, User
from jxjy.audit import trail as audit
from jxjy.catalog.models import Level, Series, Specialty
from jxjy.core.errors import DomainError
from jxjy.core.models import RuleSetting
from jxjy.core.rules import BUSINESS_RULES, parse, rule

from .audit_actions import SysadminAction

# The code the Django admin's 规则设置 has always written (jxjy.portal.audit_actions.PortalAction.CHANGE_RULE,
# declared above this app, which may not import it): one action in the trail, whichever screen changed the rule.
CHANGE_RULE = "change_rule_setting"

CatalogEntry = Series | Specialty | Level
NOT_SYSADMIN = gettext_lazy("只有系统管理员可以使用系统管理。")


def _check_actor(actor: User) -> None:
    if actor.role != Role.SYSADMIN or not actor.is_active:
        raise DomainError(NOT_SYSADMIN)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return "" if value is None else str(value)


def _changes(obj: Model, before: dict[str, Any], fields: list[str]) -> dict[str, str]:
    """{field's label: new value} of the `fields` (attribute names: prefecture_id) that differ from `before`."""
    changed = {}
    for attname in fields:
        if before.get(attname) != getattr(obj, attname):
            field = obj._meta.get_field(attname)
            changed[str(getattr(field, "verbose_name", attname))] = _shown(getattr(obj, field.name))
    return changed


def _before(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The saved values of `fields` (none for an object not saved yet)."""
    if obj.pk is None:
        return {}
    return dict(type(obj)._default_manager.filter(pk=obj.pk).values(*fields).get())


# ---- 单位 ----

ORGANISATION_FIELDS = ["name", "kind", "level", "prefecture_id", "department_id", "is_active"]


def _state(active: bool) -> str:
    """The state the audit entry records (in Chinese, as every record)."""
    return gettext_noop("启用") if active else gettext_noop("停用")


@transaction.atomic
def save_organisation(organisation: Organisation, *, actor: User) -> Organisation:
    """新建单位 or 修改单位 (the form has checked its fields); the trail records what changed."""
    _check_actor(actor)
    creating = organisation.pk is None
    before = _before(organisation, ORGANISATION_FIELDS)
    organisation.save()
    changed = _changes(organisation, before, ORGANISATION_FIELDS)
    action = SysadminAction.CREATE_ORGANISATION if creating else SysadminAction.CHANGE_ORGANISATION
    now = _state(organisation.is_active)
    was = "" if creating else _state(bool(before["is_active"]))
    audit.record(
        actor=actor, action=action, obj=organisation, detail={"单位": organisation.name, **changed},
        state_before=was if was != now else "", state_after=now if was != now else "",
    )  # fmt: skip
    return organisation


# ---- 账号 ----


ACCOUNT_FIELDS = ["username", "full_name", "email", "organisation_id"]
K = Organisation.Kind
# What the 系统管理员 may open: a 基地工作人员, or an account waiting for the 安全管理员 to grant its role.
OPENABLE_ROLES = {Role.BASE: gettext_lazy("基地工作人员"), "": gettext_lazy("待授权")}
NOT_OPENABLE = gettext_lazy("系统管理员只能开设基地工作人员账号或待授权账号；审核和管理角色由安全管理员授予。")


def account_editable(user: User) -> bool:
    """The 系统管理员 keeps staff accounts' 账号, 姓名, 邮箱 and 单位; not a learner's (theirs) and not the three
    administrators' (双人审批 only)."""
    return not user.is_learner and not accounts.needs_second_person(user)


def _role_fits(role: str, organisation: Organisation | None, *, field: str) -> dict[str, list[str]]:
    """The role for the organisation's kind (ROLE_ORG_KIND), said next to `field`."""
    if organisation is None:
        return {"organisation": [gettext("请选择所属单位。")]}
    if role == "" and organisation.kind == K.BASE:
        return {field: [gettext("继续教育基地的账号请选择“基地工作人员”。")]}
    if role == "" and organisation.kind not in ROLE_ORG_KIND.values():
        return {
            "organisation": [
                (
                    gettext("%(get_kind_display)s不开设工作人员账号。")
                    % {"get_kind_display": organisation.get_kind_display()}
                )
            ]
        }
    if role and organisation.kind != ROLE_ORG_KIND.get(role):
        kind = K(ROLE_ORG_KIND[role]).label if role in ROLE_ORG_KIND else gettext("工作人员所在单位")
        unit = gettext("“%(name)s”是%(get_kind_display)s") % {
            "name": organisation.name,
            "get_kind_display": organisation.get_kind_display(),
        }
        return {
            field: [
                (
                    gettext("“%(role)s”须属于%(kind)s，%(unit)s。")
                    % {"role": Role(role).label, "kind": kind, "unit": unit}
                )
            ]
        }
    return {}


def _check_account(user: User, *, creating: bool, before: dict[str, Any]) -> None:
    """One staff account's 账号 (unique, whatever its case), 姓名, 邮箱 and 单位 (active, of the role's kind);
    every refusal next to its field."""
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        errors["username"] = [(gettext("账号“%(username)s”已存在，请换一个。") % {"username": user.username})]
    if not user.full_name.strip():
        errors["full_name"] = [gettext("请填写姓名。")]
    if not user.email:
        errors["email"] = [gettext("请填写本人的电子邮箱：设置密码的链接发送到此邮箱。")]
    organisation = user.organisation
    moved = creating or before.get("organisation_id") != user.organisation_id
    if organisation is not None and moved and not organisation.is_active:
        errors["organisation"] = [(gettext("“%(name)s”已停用，请选择启用中的单位。") % {"name": organisation.name})]
    else:
        errors.update(_role_fits(user.role, organisation, field="role" if creating else "organisation"))
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)


@transaction.atomic
def open_account(user: User, *, actor: User) -> str:
    """新建账号: a 基地工作人员, or a 主管部门's, 人社部门's or 运维单位's account waiting for the 安全管理员 to grant
    its role (三员分立). No password is chosen or shown: the accounts' open_account e-mails the holder a one-time
    link and audits 新建账号. Returns the masked address the link went to."""
    _check_actor(actor)
    if user.pk is not None:
        raise DomainError(gettext("该账号已开设。"))
    if user.role not in OPENABLE_ROLES:
        raise DomainError(NOT_OPENABLE, field="role")
    _check_account(user, creating=True, before={})
    user.is_staff = user.is_superuser = False
    return accounts.open_account(user, actor=actor)


@transaction.atomic
def change_account(user: User, *, actor: User) -> User:
    """修改账号: 账号, 姓名, 邮箱 and 单位 of a staff account (the role stays: the 安全管理员's); moved to another
    unit, its sessions end (what it may see changes at once). The trail records what changed."""
    _check_actor(actor)
    saved = User.objects.filter(pk=user.pk).first() if user.pk is not None else None
    if saved is None:
        raise DomainError(gettext("未找到该账号。"))
    if not account_editable(saved):
        raise DomainError(gettext("学员账号的资料由本人维护；三员账号的资料不能在此修改。"))
    user.role = saved.role
    before = _before(user, ACCOUNT_FIELDS)
    _check_account(user, creating=False, before=before)
    user.save(update_fields=["username", "full_name", "email", "organisation"])
    changed = _changes(user, before, ACCOUNT_FIELDS)
    if before["organisation_id"] != user.organisation_id:
        accounts.end_sessions(user)
    audit.record(
        actor=actor, action=SysadminAction.CHANGE_ACCOUNT, obj=user, detail={"账号": user.username, **changed}
    )  # fmt: skip
    return user


def set_account_active(target: User, *, active: bool, actor: User) -> str:
    """停用 or 启用 an account through the accounts' services; for the three administrators' accounts a 双人审批
    request instead. Returns what to tell the 系统管理员; a refusal raises DomainError."""
    _check_actor(actor)
    if target.is_active == active:
        raise DomainError(gettext("该账号已启用。") if active else gettext("该账号已停用。"))
    kind = AdminRequest.Kind.ENABLE if active else AdminRequest.Kind.DISABLE

    def do() -> str:
        if active:
            accounts.enable_account(target, actor=actor)
            return gettext("账号 %(display_name)s 已启用。") % {"display_name": target.display_name}
        accounts.disable_account(target, actor=actor)
        return gettext("账号 %(display_name)s 已停用，其登录会话已结束。") % {"display_name": target.display_name}

    return dual_control.ask_or_do(kind, target, actor=actor, do=do)


# ---- 培训范围目录 ----


@transaction.atomic
def save_catalog_entry(entry: CatalogEntry, *, actor: User) -> CatalogEntry:
    """新增 or 修改 a 系列, 专业 or 级别 of the 培训范围目录."""
    _check_actor(actor)
    creating = entry.pk is None
    fields = ["name", "order"] if isinstance(entry, Series) else ["series_id", "name", "order"]
    before = _before(entry, fields)
    entry.save()
    action = SysadminAction.CREATE_CATALOG_ENTRY if creating else SysadminAction.CHANGE_CATALOG_ENTRY
    detail = {"类别": str(entry._meta.verbose_name), "名称": str(entry), **_changes(entry, before, fields)}
    audit.record(actor=actor, action=action, obj=entry, detail=detail)
    return entry


@transaction.atomic
def set_catalog_entry_active(entry: CatalogEntry, *, active: bool, actor: User) -> CatalogEntry:
    """停用 (no longer offered in new filings and registrations; what used it keeps it) or 启用 again."""
    _check_actor(actor)
    if entry.is_active == active:
        raise DomainError(catalog_state(entry, active))
    type(entry)._default_manager.filter(pk=entry.pk).update(is_active=active)
    entry.is_active = active
    action = SysadminAction.ENABLE_CATALOG_ENTRY if active else SysadminAction.DISABLE_CATALOG_ENTRY
    audit.record(
        actor=actor, action=action, obj=entry, detail={"类别": str(entry._meta.verbose_name), "名称": str(entry)},
        state_before=_state(not active), state_after=_state(active),
    )  # fmt: skip
    return entry


# ---- 规则设置 ----


def _business_rule(key: str) -> None:
    if key not in BUSINESS_RULES:
        raise DomainError(gettext("不支持的规则（安全策略由安全管理员设置）。"), field="value")


@transaction.atomic
def set_rule(key: str, text: str, *, actor: User) -> RuleSetting:
    """修改规则设置: `text` must be of the rule's type and within its range, or nothing changes (DomainError
    next to the value). Audited as the admin's 规则设置 always was, with the value before and after."""
    _check_actor(actor)
    _business_rule(key)
    try:
        value = parse(key, text)
    except ValidationError as e:
        raise DomainError(e.messages[0], field="value") from None
    before = rule(key)
    setting, _ = RuleSetting.objects.update_or_create(key=key, defaults={"value": str(value)})
    audit.record(
        actor=actor, action=CHANGE_RULE, obj=setting, detail={"规则": key, "值": setting.value},
        state_before=str(before), state_after=setting.value,
    )  # fmt: skip
    return setting


@transaction.atomic
def restore_rule_default(key: str, *, actor: User) -> None:
    """恢复默认: the saved value goes (as deleting the row in the admin did) and the settings' default applies."""
    _check_actor(actor)
    _business_rule(key)
    setting = RuleSetting.objects.select_for_update().filter(key=key).first()
    if setting is None:
        raise DomainError(gettext("该规则已是默认值。"))
    default = str(getattr(settings, key))
    audit.record(
        actor=actor, action=CHANGE_RULE, obj=setting, detail={"规则": key, "值": default, "恢复默认": gettext("是")},
        state_before=setting.value, state_after=default,
    )  # fmt: skip
    setting.delete()


def catalog_state(entry: models.Model, active: bool) -> str:
    """“…”已启用。 or “…”已停用。 — also what the screen says once it is done."""
    done = gettext("“%(entry)s”已启用。") if active else gettext("“%(entry)s”已停用。")
    return done % {"entry": entry}
