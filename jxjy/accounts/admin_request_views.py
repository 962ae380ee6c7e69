"""双人审批: the three administrators see every request and decide the ones that are not theirs nor about them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jxjy.core.errors import DomainError

from . import dual_control
from .models import ADMIN_ROLES, AdminRequest


def _three_admins_only(user) -> None:
    if user.role not in ADMIN_ROLES:
        raise PermissionDenied("只有系统管理员、安全管理员和审计管理员可以查看双人审批。")


@login_required
def admin_requests(request):
    _three_admins_only(request.user)
    requests = AdminRequest.objects.select_related("target", "requested_by", "decided_by")
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    me = request.user.pk
    rows = [(r, r.status == "pending" and me not in (r.requested_by_id, r.target_id)) for r in page]
    return render(request, "accounts/admin_requests.html", {"page": page, "rows": rows})


@require_POST
@login_required
def decide(request, pk: int, decision: str):
    """批准 or 驳回 one request."""
    _three_admins_only(request.user)
    req = get_object_or_404(AdminRequest, pk=pk)
    verb = {"approve": dual_control.approve, "reject": dual_control.reject}.get(decision)
    if verb is None:
        raise PermissionDenied("不支持的操作。")
    try:
        done = verb(req, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已{done.get_status_display().removeprefix('已')}：{done}。")
    return redirect("accounts:admin_requests")
