"""The baseline of the registration rush benchmark: the cheapest useful write, one INSERT per request.

It passes the same middleware as 报名提交 (session, CSRF, login), so the ratio of the two throughputs
measures what the seat lock and the review engine cost. Routed only by config.bench_urls.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.notify.models import Notification


@login_required
@require_POST
def baseline_insert(request):
    Notification.objects.create(recipient=request.user, title=_("基准测试"))
    return HttpResponse("ok", content_type="text/plain")
