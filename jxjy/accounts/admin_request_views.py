"""双人审批: the three administrators see every request and decide the ones that are not theirs nor about them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.core.errors import DomainError
from jxjy.core.permissions import require

from . import dual_control
from .models import AdminRequest


@login_required
def admin_requests(request):
    require(request.user, "accounts.admin_requests")
    requests = AdminRequest.objects.select_related("target", "requested_by", "decided_by")
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    me = request.user.pk
    rows = [(r, r.status == "pending" and me not in (r.requested_by_id, r.target_id)) for r in page]
    return render(request, "accounts/admin_requests.html", {"page": page, "rows": rows})


@require_POST
@login_required
def decide(request, pk: int, decision: str):
    """批准 or 驳回 one request."""
    require(request.user, "accounts.admin_requests")
    req = get_object_or_404(AdminRequest, pk=pk)
    verb = {"approve": dual_control.approve, "reject": dual_control.reject}.get(decision)
    if verb is None:
        raise PermissionDenied(_("不支持的操作。"))
    try:
        done = verb(req, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            (
                _("已%(get_status_display)s：%(done)s。")
                % {"get_status_display": done.get_status_display().removeprefix("已"), "done": done}
            ),
        )
    return redirect("accounts:admin_requests")
