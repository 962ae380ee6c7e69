"""Creating and administering accounts: passwords, disabling, roles, unlocking. Each action is audited."""

import secrets
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.identity import gender_from_id, normalize_id_number, normalize_mobile

from . import staff_access
from .audit_actions import AccountAction
from .lockout import key_for_user
from .models import ADMIN_ROLES, ROLE_ORG_KIND, AdminRequest, Learner, Role, User


def new_learner_username() -> str:
    """A learner's user name: random, so that the user table holds no 身份证号 (they log in with it anyway)."""
    return f"xy{secrets.token_hex(8)}"


@transaction.atomic
def register_learner(*, name: str, id_number: str, mobile: str, work_unit: str, password: str) -> User:
    """注册 a learner (身份证号 and 手机号 stored encrypted); 性别 comes from the 身份证号."""
    id_number = normalize_id_number(id_number)
    mobile = normalize_mobile(mobile)
    user = User(username=new_learner_username(), role=Role.LEARNER, full_name=name)
    user.set_password(password)
    user.save()
    Learner.objects.create(
        user=user, name=name, id_number=id_number, mobile=mobile, gender=gender_from_id(id_number), work_unit=work_unit
    )
    audit.record(actor=user, action=AccountAction.LEARNER_REGISTER, obj=user)
    return user


@transaction.atomic
def change_password(user: User, *, new_password: str) -> None:
    """修改密码 by the user (validated by the form): a temporary or expired password is replaced."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    audit.record(actor=user, action=AccountAction.CHANGE_PASSWORD, obj=user)


@transaction.atomic
def disable_account(user: User, *, actor: User, approved: AdminRequest | None = None) -> None:
    """停用: the account can no longer log in and its open sessions end now."""
    if user.pk == actor.pk:
        raise DomainError(gettext("不能停用自己的账号。"))
    _second_person(user, approved=approved)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    end_sessions(user)
    audit.record(
        actor=actor,
        action=AccountAction.DISABLE_ACCOUNT,
        obj=user,
        state_before=gettext("启用"),
        state_after=gettext("停用"),
    )


@transaction.atomic
def enable_account(user: User, *, actor: User, approved: AdminRequest | None = None) -> None:
    """启用 a disabled account again."""
    _second_person(user, approved=approved)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit.record(
        actor=actor,
        action=AccountAction.ENABLE_ACCOUNT,
        obj=user,
        state_before=gettext("停用"),
        state_after=gettext("启用"),
    )


def end_sessions(user: User) -> int:
    """End every unexpired session of `user`: each is found in the database and deleted through the session
    engine, so that a copy kept in the cache (production's cached_db store) goes with it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=clock.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def check_role_change(user: User, *, role: str, actor: User) -> None:
    """Whether 变更角色 may happen at all (the role fits the account's organisation …), before anyone approves it."""
    if actor.role != Role.SECADMIN:
        raise DomainError(gettext("只有安全管理员可以变更角色。"))
    if user.pk == actor.pk:
        raise DomainError(gettext("不能变更自己的角色。"))
    if user.is_learner or role == Role.LEARNER or role not in ROLE_ORG_KIND:
        raise DomainError(gettext("学员账号与工作人员账号之间不能互换角色。"))
    if user.organisation is None or user.organisation.kind != ROLE_ORG_KIND[role]:
        raise DomainError(
            gettext("“%(role)s”须属于%(_kind_label)s，该账号属于其他类型的单位。")
            % {"role": Role(role).label, "_kind_label": _kind_label(role)}
        )


@transaction.atomic
def change_role(user: User, *, role: str, actor: User, approved: AdminRequest | None = None) -> None:
    """变更角色 (安全管理员): the role must fit the account's organisation; never one's own, never a learner's."""
    check_role_change(user, role=role, actor=actor)
    _second_person(user, role=role, approved=approved)
    with translation.override(settings.LANGUAGE_CODE):  # the trail is written in the platform's language
        before, after = user.get_role_display(), str(Role(role).label)
    User.objects.filter(pk=user.pk).update(role=role, is_staff=role == Role.SYSADMIN)
    user.role, user.is_staff = role, role == Role.SYSADMIN
    end_sessions(user)  # what the person may do changes at once, not at their next login
    audit.record(actor=actor, action=AccountAction.CHANGE_ROLE, obj=user, state_before=before, state_after=after)


def _kind_label(role: str) -> str:
    from .models import Organisation

    return str(Organisation.Kind(ROLE_ORG_KIND[role]).label)


def is_locked(user: User) -> bool:
    return bool(  # django-axes has no type hints
        AccessAttempt.objects.filter(
            username=key_for_user(user), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).exists()
    )


@transaction.atomic
def unlock_account(user: User, *, actor: User) -> None:
    """解锁 an account locked by failed logins, before its 30 minutes are over."""
    if actor.role != Role.SECADMIN:
        raise DomainError(gettext("只有安全管理员可以解锁账号。"))
    axes_reset(username=key_for_user(user))
    audit.record(actor=actor, action=AccountAction.UNLOCK_ACCOUNT, obj=user)


@transaction.atomic
def reset_password(user: User, *, actor: User, approved: AdminRequest | None = None) -> str:
    """重置密码 (安全管理员) of a staff member who forgot theirs: their sessions end and a one-time link to set a
    new one goes to their own e-mail. Returns the masked address."""
    if actor.role != Role.SECADMIN:
        raise DomainError(gettext("只有安全管理员可以重置工作人员的密码。"))
    if user.pk == actor.pk or user.is_learner:
        raise DomainError(gettext("不能重置自己或学员的密码。"))
    _second_person(user, approved=approved)
    end_sessions(user)
    audit.record(actor=actor, action=AccountAction.RESET_PASSWORD, obj=user)
    return staff_access.send_link(user, actor=actor, why=gettext("您的密码已由安全管理员重置"))


@transaction.atomic
def reset_second_factor(user: User, *, actor: User, approved: AdminRequest | None = None) -> None:
    """重置身份验证器 (安全管理员), when a phone is lost: the user enrols a new one at the next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor.role != Role.SECADMIN:
        raise DomainError(gettext("只有安全管理员可以重置身份验证器。"))
    if user.pk == actor.pk:
        raise DomainError(gettext("不能重置自己的身份验证器。"))
    _second_person(user, approved=approved)
    TOTPDevice.objects.filter(user=user).delete()
    end_sessions(user)
    audit.record(actor=actor, action=AccountAction.RESET_AUTHENTICATOR, obj=user)


def needs_second_person(target: User, *, role: str = "") -> bool:
    """双人审批: a change to one of the three administrators' accounts, or a grant of an administrative role."""
    return target.role in ADMIN_ROLES or role in ADMIN_ROLES


def _second_person(target: User, *, role: str = "", approved: AdminRequest | None) -> None:
    if needs_second_person(target, role=role) and (approved is None or approved.status != "approved"):
        raise DomainError(gettext("三员账号的变更和管理角色的授予须经另一名管理员批准（双人审批）。"))


def can_be_created_by_sysadmin(role: str) -> bool:
    """The 系统管理员 opens base staff accounts, or accounts waiting for the 安全管理员 to grant a role: the
    reviewing roles (主管部门, 人社厅, 地州人社局) and the administrators' are granted, never given at opening."""
    return role in ("", Role.BASE)


@transaction.atomic
def set_security_policy(values: dict[str, Any], *, actor: User) -> None:
    """安全策略 (安全管理员): save the security rules that changed, each change audited."""
    from jxjy.core.models import RuleSetting
    from jxjy.core.rules import SECURITY_RULES, rule

    if actor.role != Role.SECADMIN:
        raise DomainError(gettext("只有安全管理员可以修改安全策略。"))
    for key, value in values.items():
        if key not in SECURITY_RULES or rule(key) == value:
            continue
        before = rule(key)
        setting, _ = RuleSetting.objects.update_or_create(key=key, defaults={"value": str(value)})
        audit.record(
            actor=actor, action=AccountAction.CHANGE_SECURITY_POLICY, obj=setting,
            state_before=str(before), state_after=str(value), detail={"规则": key, "值": str(value)},
        )  # fmt: skip


@transaction.atomic
def open_account(user: User, *, actor: User) -> str:
    """新建账号 (系统管理员): no usable password; the holder sets one through the link e-mailed to them.

    Returns the masked address the link went to."""
    if not can_be_created_by_sysadmin(user.role):
        raise DomainError(gettext("系统管理员只能开设基地工作人员账号；审核和管理角色由安全管理员授予。"))
    user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        action=AccountAction.CREATE_ACCOUNT,
        obj=user,
        state_after=user.get_role_display() or gettext("待授权"),
    )
    return staff_access.send_link(user, actor=actor, why=gettext("您的继续教育系统账号已开设"))
