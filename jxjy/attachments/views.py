"""Files picked on a form, uploaded at once (with progress) and held for it until it is saved: JSON endpoints."""

from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.core.drafts import NOT_YOURS, may_keep
from jxjy.core.errors import DomainError
from jxjy.core.uploads import count_files
from jxjy.core.views import json_login_required

from . import services
from .models import AttachmentKind, StagedUpload
from .refusals import remember_refusal

BAD_REQUEST = gettext_lazy("上传请求不完整，请重新选择文件。")


def described(item: StagedUpload) -> dict:
    """What the page shows of a picked file."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "name": item.original_name,
        "size": filesizeformat(item.size),
        "remove_url": reverse("attachments:unstage", args=[item.pk]),
    }


@require_POST
@json_login_required
def stage(request):
    """上传 one file picked on a form: multipart fields key (the form's draft key), kind, file."""
    key, kind = request.POST.get("key", ""), request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in AttachmentKind.values or upload is None or count_files(request.FILES) != 1:
        return JsonResponse({"ok": False, "error": BAD_REQUEST}, status=400)
    if not may_keep(request.user, key):
        return JsonResponse({"ok": False, "error": NOT_YOURS}, status=403)
    try:
        item = services.stage(upload, kind=kind, draft_key=key, actor=request.user)
    except DomainError as e:
        remember_refusal(request, key, kind, e.message)
        return JsonResponse({"ok": False, "error": e.message}, status=400)
    remember_refusal(request, key, kind, None)
    return JsonResponse({"ok": True, "file": described(item)}, status=201)


@require_POST
@json_login_required
def unstage(request, pk: int):
    """移除 a picked file not yet saved (the user's own; another's or a gone one: nothing happens)."""
    services.unstage(request.user, [pk])
    return JsonResponse({"ok": True})
