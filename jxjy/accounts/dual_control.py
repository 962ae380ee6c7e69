"""双人审批 (三员分立): what no single administrator may do to the three administrators' accounts alone.

Granting an administrative role, and disabling, enabling, resetting the password or the authenticator of the
系统管理员, 安全管理员 or 审计管理员, is asked by the administrator whose job it is and carried out only when another
of the three approves — never the asker, never the account's holder. Both steps are in the audit trail, and the
change itself is made by the same service as any other, recorded as the asker's.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.notify import outbox

from . import services
from .audit_actions import AccountAction
from .models import ADMIN_ROLES, AdminRequest, Role, User

Kind = AdminRequest.Kind

# Who asks for what: the administrator whose job it is (三员分立).
ASKER = {
    Kind.GRANT_ROLE: Role.SECADMIN,
    Kind.RESET_PASSWORD: Role.SECADMIN,
    Kind.RESET_SECOND_FACTOR: Role.SECADMIN,
    Kind.DISABLE: Role.SYSADMIN,
    Kind.ENABLE: Role.SYSADMIN,
}


def ask(kind: str, target: User, *, actor: User, role: str = "") -> AdminRequest:
    """提出申请: recorded, and the other administrators are told it waits for them."""
    if actor.role != ASKER[kind]:
        raise DomainError(
            _("「%(kind)s」由%(role)s提出申请。") % {"kind": Kind(kind).label, "role": Role(ASKER[kind]).label}
        )
    if target.pk == actor.pk:
        raise DomainError(_("不能对自己的账号提出申请。"))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=target.pk).first()  # one asker at a time per account
        if AdminRequest.objects.filter(target=target, kind=kind, status=AdminRequest.Status.PENDING).exists():
            raise DomainError(_("该账号已有同一事项的申请在等待审批。"))
        req = AdminRequest.objects.create(kind=kind, target=target, role=role, requested_by=actor)
        audit.record(actor=actor, action=AccountAction.ASK_SECOND_ADMIN, obj=target, detail={"申请": str(req)})
        outbox.tell(
            approvers(req).values_list("pk", flat=True), title=(_('双人审批待处理：%(req)s') % {'req': req}),
            url=reverse("accounts:admin_requests"), event="admin_request",
        )  # fmt: skip
    return req


def approvers(req: AdminRequest):
    """Who may decide: the other administrators, neither the asker nor the account's holder."""
    others = [req.requested_by_id, req.target_id]
    return User.objects.filter(role__in=ADMIN_ROLES, is_active=True).exclude(pk__in=others)


def waiting_for(user: User):
    """The pending requests `user` may decide (the menu's badge)."""
    pending = AdminRequest.objects.filter(status=AdminRequest.Status.PENDING)
    if user.role not in ADMIN_ROLES:
        return pending.none()
    return pending.exclude(requested_by=user).exclude(target=user)


def ask_or_do(kind: str, target: User, *, actor: User, do, role: str = "") -> str:
    """Make the change now (`do()` returns what to tell the user), or — for the three administrators' accounts
    and administrative roles — ask a second administrator. Returns the message; a refusal raises DomainError."""
    if not services.needs_second_person(target, role=role):
        return do()
    req = ask(kind, target, actor=actor, role=role)
    return _("已提交双人审批申请：%(req)s。须另一名管理员批准后生效。") % {"req": req}


def _decide(req: AdminRequest, *, actor: User, status: str) -> AdminRequest:
    locked = AdminRequest.objects.select_for_update().select_related("target", "requested_by").get(pk=req.pk)
    if locked.status != AdminRequest.Status.PENDING:
        raise DomainError(
            _("该申请%(get_status_display)s，不能再次审批。") % {"get_status_display": locked.get_status_display()}
        )
    if not approvers(locked).filter(pk=actor.pk).exists():
        raise DomainError(_("申请人本人和被申请账号的本人不能审批该申请，须由另一名管理员审批。"))
    locked.status, locked.decided_by, locked.decided_at = status, actor, clock.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    approved = status == AdminRequest.Status.APPROVED
    action = AccountAction.APPROVE_ADMIN_REQUEST if approved else AccountAction.REJECT_ADMIN_REQUEST
    audit.record(actor=actor, action=action, obj=locked.target, detail={"申请": str(locked)})
    return locked


@transaction.atomic
def approve(req: AdminRequest, *, actor: User) -> AdminRequest:
    """批准: the change is made now, as asked."""
    req = _decide(req, actor=actor, status=AdminRequest.Status.APPROVED)
    _carry_out(req)
    return req


@transaction.atomic
def reject(req: AdminRequest, *, actor: User) -> AdminRequest:
    return _decide(req, actor=actor, status=AdminRequest.Status.REJECTED)


def _carry_out(req: AdminRequest) -> None:
    target, asker = req.target, req.requested_by
    if req.kind == Kind.GRANT_ROLE:
        services.change_role(target, role=req.role, actor=asker, approved=req)
    elif req.kind == Kind.RESET_PASSWORD:
        services.reset_password(target, actor=asker, approved=req)
    elif req.kind == Kind.RESET_SECOND_FACTOR:
        services.reset_second_factor(target, actor=asker, approved=req)
    elif req.kind == Kind.DISABLE:
        services.disable_account(target, actor=asker, approved=req)
    else:
        services.enable_account(target, actor=asker, approved=req)
