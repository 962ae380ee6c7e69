from captcha import views as captcha_views
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit
from django_tasks_db.models import DBTaskResult

admin.site.site_header = admin.site.site_title = gettext_lazy("继续教育系统 · 系统管理")
admin.site.index_title = gettext_lazy("系统管理")

# Authenticators are the 安全管理员's (its 账号与角色 screen resets them) and their secrets must not be shown
# to the 系统管理员; the task queue's rows are internals, seen through each job's own page.
for model in (TOTPDevice, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

urlpatterns = [
    path("", include("jxjy.portal.urls")),
    path("accounts/", include("jxjy.accounts.urls")),
    # 换一张 makes a new challenge row each time: at most 20 a minute per address (the sweep removes old ones).
    re_path(r"captcha/refresh/$", ratelimit(key="ip", rate="20/m", block=True)(captcha_views.captcha_refresh)),
    path("captcha/", include("captcha.urls")),  # the login form's 图形验证码 pictures, from this site (strict CSP)
    path("attachments/", include("jxjy.attachments.urls")),
    path("filings/", include("jxjy.filings.urls")),
    path("review/", include("jxjy.review.urls")),
    path("trainings/", include("jxjy.trainings.urls")),
    path("completions/", include("jxjy.completions.urls")),
    path("certificates/", include("jxjy.certificates.urls")),
    path("hours/", include("jxjy.hours.urls")),
    path("stats/", include("jxjy.stats.urls")),
    path("jobs/", include("jxjy.jobs.urls")),
    path("notify/", include("jxjy.notify.urls")),
    path("sysadmin/", include("jxjy.sysadmin.urls")),  # 系统管理, the 系统管理员's daily work
    path("admin/", admin.site.urls),  # Django's admin: still there, linked from no menu
    path("api/", include("jxjy.api.urls")),
]

# Error pages in the site's look, showing the message the code gave (jxjy/core/error_views.py); 400 and 500
# are Django's own views with the plain templates 400.html and 500.html.
handler403 = "jxjy.core.error_views.permission_denied"
handler404 = "jxjy.core.error_views.page_not_found"
