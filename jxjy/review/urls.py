from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/read-all/", views.mark_all_read, name="mark_all_read"),
    path("messages/<int:pk>/open/", views.open_notification, name="open_notification"),
    path("<slug:slug>/waiting/", views.waiting_list, name="waiting"),
    path("<slug:slug>/done/", views.done_list, name="done"),
    path("<slug:slug>/<int:pk>/<slug:action>/", views.act, name="act"),
]
