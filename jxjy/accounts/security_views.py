"""安全管理 for the 安全管理员: roles, unlocking accounts and the security policy; no one else's screens."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.permissions import require
from jxjy.core.rules import SECURITY_RULES, rule

from . import dual_control, services
from .forms import PolicyForm, RoleForm
from .lockout import key_for_user
from .models import AdminRequest, Role, User

Kind = AdminRequest.Kind


def _staff():
    return User.objects.exclude(role=Role.LEARNER).select_related("organisation")


@login_required
def users(request):
    """账号与角色: every staff account, its role, whether it is locked."""
    require(request.user, "accounts.security")
    qs = _staff().order_by("organisation__name", "username")
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    keys = {key_for_user(u): u.pk for u in page}
    locked = AccessAttempt.objects.filter(
        username__in=keys,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=clock.now() - get_cool_off(request),  # a lock that has cooled off is none
    )
    locked_ids = {keys[k] for k in locked.values_list("username", flat=True)}
    rows = [(u, u.pk in locked_ids) for u in page]
    context = {"page": page, "rows": rows, "q": q}
    return render(request, "accounts/security_users.html", context)


def _ask_or_do(request, kind: str, target: User, do, *, role: str = "") -> None:
    """The change now, or a 双人审批 request (dual_control.ask_or_do); the outcome is shown as a message."""
    try:
        messages.success(request, dual_control.ask_or_do(kind, target, actor=request.user, do=do, role=role))
    except DomainError as e:
        messages.error(request, e.message)


@login_required
def change_role(request, pk: int):
    """变更角色 of one staff account."""
    require(request.user, "accounts.security")
    target = get_object_or_404(_staff(), pk=pk)
    form = RoleForm(request.POST or None, initial={"role": target.role})
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            services.check_role_change(target, role=role, actor=request.user)
        except DomainError as e:
            form.add_error("role", e.message)
        else:

            def change():
                services.change_role(target, role=role, actor=request.user)
                return _("已将 %(username)s 的角色变更为“%(role)s”。") % {
                    "username": target.username,
                    "role": Role(role).label,
                }

            _ask_or_do(request, Kind.GRANT_ROLE, target, change, role=role)
            return redirect("accounts:security_users")
    return render(request, "accounts/security_role.html", {"form": form, "target": target})


@require_POST
@login_required
def unlock(request, pk: int):
    """解锁 an account that failed logins locked."""
    require(request.user, "accounts.security")
    target = get_object_or_404(User, pk=pk)
    services.unlock_account(target, actor=request.user)
    messages.success(request, (_("账号 %(username)s 已解锁。") % {"username": target.username}))
    return redirect("accounts:security_users")


@require_POST
@login_required
def reset_second_factor(request, pk: int):
    """重置身份验证器 of a staff account whose phone was lost or replaced."""
    require(request.user, "accounts.security")
    target = get_object_or_404(_staff(), pk=pk)

    def reset():
        services.reset_second_factor(target, actor=request.user)
        return _("已重置 %(username)s 的身份验证器，该账号下次登录时须重新绑定。") % {"username": target.username}

    _ask_or_do(request, Kind.RESET_SECOND_FACTOR, target, reset)
    return redirect("accounts:security_users")


@require_POST
@login_required
def reset_password(request, pk: int):
    """重置密码 of a staff account whose user forgot it: a one-time link goes to the holder's own e-mail."""
    require(request.user, "accounts.security")
    target = get_object_or_404(_staff(), pk=pk)

    def reset():
        sent_to = services.reset_password(target, actor=request.user)
        return _("已重置 %(username)s 的密码，设置密码的链接已发送至 %(sent_to)s。") % {
            "username": target.username,
            "sent_to": sent_to,
        }

    _ask_or_do(request, Kind.RESET_PASSWORD, target, reset)
    return redirect("accounts:security_users")


@login_required
def policy(request):
    """安全策略: the security settings (password lifetime …), each within its range."""
    require(request.user, "accounts.security")
    current = {key: rule(key) for key in SECURITY_RULES}
    form = PolicyForm(request.POST or None, rules=SECURITY_RULES, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_security_policy(form.cleaned_data, actor=request.user)
        messages.success(request, _("安全策略已保存。"))
        return redirect("accounts:security_policy")
    return render(request, "accounts/security_policy.html", {"form": form})
