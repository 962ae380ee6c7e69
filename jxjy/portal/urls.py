from django.urls import include, path

from . import audit_views, views

# The site's own pages keep the names they have always had (core:home, core:audit_log, core:guide …): the home
# page and the 审计日志 gather other apps and live here, the platform's plain pages are jxjy.core's.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("jxjy.core.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("audit/document/<slug:slug>/<int:pk>/", audit_views.audit_document, name="audit_document"),
]
