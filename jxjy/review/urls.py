from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("<slug:slug>/waiting/", views.waiting_list, name="waiting"),
    path("<slug:slug>/done/", views.done_list, name="done"),
    path("<slug:slug>/<int:pk>/<slug:action>/", views.act, name="act"),
]
