from django.urls import path

from . import views

app_name = "completions"
urlpatterns = [
    path("", views.completion_list, name="list"),
    path("new/", views.step1, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/details/", views.step2, name="step2"),
    path("<int:pk>/scores/", views.step3, name="step3"),
    path("<int:pk>/scores/template/", views.score_template, name="template"),
    path("<int:pk>/scores/<int:score_id>/", views.score_edit, name="score_edit"),
    path("<int:pk>/attachments/", views.step4, name="step4"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
