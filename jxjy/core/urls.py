from django.urls import path

from . import health, views

# Included by jxjy.portal.urls, whose namespace ("core") these pages share with the home page and the 审计日志.
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("drafts/autosave/", views.autosave, name="autosave"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
]
