"""消息设置: a learner's page, reached from the menu and from 站内消息."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jxjy.core.identity import mask_mobile

from .events import EXTERNAL
from .forms import PreferenceForm
from .outbox import mobile_of, preference_of
from .preferences import save_preference


@login_required
def settings_view(request):
    if not request.user.is_learner:
        raise PermissionDenied(_("消息设置仅供学员使用。"))
    pref = preference_of(request.user)
    form = PreferenceForm.for_preference(pref, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        save_preference(request.user, **form.cleaned_data)
        messages.success(request, _("消息设置已保存。"))
        return redirect("notify:settings")
    context = {"form": form, "mobile": mask_mobile(mobile_of(request.user)), "events": EXTERNAL.values()}
    return render(request, "notify/settings.html", context)
