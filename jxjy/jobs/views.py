"""我的下载任务: a job's page (polled for its progress), its status as JSON, and its file."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.audit import trail as audit
from jxjy.core.errors import DomainError
from jxjy.core.lookups import get_or_404

from .audit_actions import JobAction
from .services import authorise_download, jobs_visible_to, regenerate

RECENT = 30


@login_required
def job_list(request):
    jobs = jobs_visible_to(request.user)[:RECENT]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk: int):
    job = get_or_404(jobs_visible_to(request.user), pk, _("任务"))
    return render(request, "jobs/detail.html", {"job": job})


@login_required
def job_status(request, pk: int):
    job = get_or_404(jobs_visible_to(request.user), pk, _("任务"))
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "done": job.done, "total": job.total,
        "percent": job.percent, "finished": job.is_finished, "error": job.error,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.status == "done" else None,
    })  # fmt: skip


@login_required
def job_download(request, pk: int):
    job = get_or_404(jobs_visible_to(request.user), pk, _("任务"))
    authorise_download(job, user=request.user)
    try:
        content = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    audit.record(actor=request.user, action=JobAction.DOWNLOAD_EXPORT, obj=job, detail={"文件": job.filename})
    response = FileResponse(content, as_attachment=True, filename=job.filename, content_type=job.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def job_regenerate(request, pk: int):
    """重新生成: a new job with the failed one's parameters; its page follows the new job."""
    job = get_or_404(jobs_visible_to(request.user), pk, _("任务"))
    try:
        new = regenerate(job, actor=request.user)
    except DomainError as e:
        messages.error(request, str(e))
    except (PermissionDenied, Http404):
        messages.error(request, _("您已无权获取该文件。"))
    else:
        return redirect(new)
    return redirect(job)
