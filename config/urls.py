from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "继续教育系统 · 系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", include("jxjy.core.urls")),
    path("accounts/", include("jxjy.accounts.urls")),
    path("filings/", include("jxjy.filings.urls")),
    path("review/", include("jxjy.review.urls")),
    path("trainings/", include("jxjy.trainings.urls")),
    path("completions/", include("jxjy.completions.urls")),
    path("certificates/", include("jxjy.certificates.urls")),
    path("hours/", include("jxjy.hours.urls")),
    path("stats/", include("jxjy.stats.urls")),
    path("jobs/", include("jxjy.jobs.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("jxjy.api.urls")),
]
