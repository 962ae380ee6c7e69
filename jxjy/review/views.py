"""Reviewer screens shared by every document kind: 待审核, 已审核, and the moves 通过 / 退回."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.paging import page_of
from jxjy.notify.models import Notification

from . import engine
from .registry import get_kind


def reviewer_only(user) -> None:
    if not user.is_reviewer:
        raise PermissionDenied("只有审核单位可以进行此操作。")


def _search(request, kind, qs):
    """Filters of the reviewer lists: 年度, 基地, 培训班名称 (关键字), 状态."""
    q = request.GET
    if q.get("year", "").isdigit():
        qs = qs.filter(**{kind.year_field: int(q["year"])})
    if q.get("base"):
        qs = qs.filter(**{f"{kind.base_field}__name__icontains": q["base"].strip()})
    if q.get("keyword"):
        cond = Q()
        for name in kind.search_fields:
            cond |= Q(**{f"{name}__icontains": q["keyword"].strip()})
        qs = qs.filter(cond)
    if q.get("status"):
        qs = qs.filter(status=q["status"])
    return qs


def _list(request, slug: str, *, waiting: bool):
    reviewer_only(request.user)
    kind = get_kind(slug)
    waiting_qs = kind.waiting_for(request.user)
    qs = waiting_qs if waiting else kind.visible_to(request.user).exclude(pk__in=waiting_qs.values("pk"))
    qs = _search(request, kind, qs).order_by("-submitted_at", "-pk")
    page = page_of(qs, request, 20)
    return render(
        request,
        "review/list.html",
        {
            "kind": kind,
            "waiting": waiting,
            "page": page,
            "statuses": kind.workflow.states.choices,
            "query": request.GET,
        },
    )


@login_required
def waiting_list(request, slug: str):
    return _list(request, slug, waiting=True)


@login_required
def done_list(request, slug: str):
    return _list(request, slug, waiting=False)


@login_required
@require_POST
def act(request, slug: str, pk: int, action: str):
    """通过 / 退回 (and any other holder move a kind declares), through the engine."""
    kind = get_kind(slug)
    doc = kind.get_for(request.user, pk)
    try:
        engine.perform(doc, action, actor=request.user, opinion=request.POST.get("opinion", ""))
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(kind.detail_url(doc))
    t = kind.workflow.transitions[action]
    messages.success(request, f"已{t.label}：{doc}。")
    if request.user.is_reviewer:
        return redirect("review:waiting", slug=slug)
    return redirect(kind.detail_url(doc))


@login_required
def inbox(request):
    """站内消息: newest first; unread ones stand out."""
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    return render(request, "review/inbox.html", {"page": page})


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark one message read and go to its document."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = clock.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "review:inbox")


@login_required
@require_POST
def mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=clock.now())
    return redirect("review:inbox")
