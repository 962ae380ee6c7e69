from django.urls import path

from . import audit_views, health, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("drafts/autosave/", views.autosave, name="autosave"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
]
