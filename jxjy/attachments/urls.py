from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("staged/", views.stage, name="stage"),
    path("staged/<int:pk>/remove/", views.unstage, name="unstage"),
]
