from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/autosave/", views.autosave, name="autosave"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
]
