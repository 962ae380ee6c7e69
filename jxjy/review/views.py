"""Reviewer screens shared by every document kind: 待审核, 已审核, and the moves 通过 / 退回."""

from typing import Any, Protocol, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.audit.refusals import record_refusal
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.listing import searched
from jxjy.core.paging import page_of
from jxjy.core.permissions import allows, require
from jxjy.notify.models import Notification

from . import engine
from .audit_actions import ReviewAction
from .registry import DocumentKind, get_kind
from .workflows import Actor


class SignedIn(Actor, Protocol):
    """The user of a login_required view (jxjy.accounts.models.User, an app above this one)."""

    @property
    def notifications(self) -> Any: ...  # their Notification rows (a related manager)


def signed_in(request: HttpRequest) -> SignedIn:
    # login_required let the request in: its user is signed in, which the stubs' AnonymousUser | User cannot see.
    return cast(SignedIn, request.user)


def _search(request: HttpRequest, kind: DocumentKind, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Filters of the reviewer lists: 年度, 基地, 培训班名称 (关键字), 状态."""
    q = request.GET
    qs = searched(qs, q, keyword_fields=kind.search_fields, year_field=kind.year_field)
    if q.get("base"):
        qs = qs.filter(**{f"{kind.base_field}__name__icontains": q["base"].strip()})
    if q.get("status"):
        qs = qs.filter(status=q["status"])
    return qs


def _list(request: HttpRequest, slug: str, *, waiting: bool) -> HttpResponse:
    user = signed_in(request)
    require(user, "review.use")
    kind = get_kind(slug)
    waiting_qs = kind.waiting_for(user)
    qs = waiting_qs if waiting else kind.scoped(user).exclude(pk__in=waiting_qs.values("pk"))
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
def waiting_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, slug, waiting=True)


@login_required
def done_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, slug, waiting=False)


@login_required
@require_POST
def act(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """通过 / 退回 (and any other holder move a kind declares), through the engine."""
    user = signed_in(request)
    kind = get_kind(slug)
    doc = kind.get_for(user, pk)
    try:
        engine.perform(doc, action, actor=user, opinion=request.POST.get("opinion", ""))
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        record_refusal(
            request, action=ReviewAction.MOVE_REFUSED, obj=doc, reason=str(e.message), detail={"操作": action}
        )
        messages.error(request, e.message)
        return redirect(doc.get_absolute_url())
    t = kind.workflow.transitions[action]
    messages.success(request, (_("已%(label)s：%(doc)s。") % {"label": t.label, "doc": doc}))
    if allows(user, "review.use"):
        return redirect("review:waiting", slug=slug)
    return redirect(doc.get_absolute_url())


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """站内消息: newest first; unread ones stand out."""
    page = page_of(signed_in(request).notifications.all(), request, 20)
    return render(request, "review/inbox.html", {"page": page})


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message read and go to its document."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = clock.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "review:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    signed_in(request).notifications.filter(read_at__isnull=True).update(read_at=clock.now())
    return redirect("review:inbox")
