from django.urls import path

from . import recognition_views, review_views, views

app_name = "filings"
urlpatterns = [
    path("pre/", views.filing_list, name="list"),
    path("pre/new/", views.filing_edit, name="new"),
    path("pre/new/submit/", views.filing_submit, name="submit_new"),
    path("pre/<int:pk>/", review_views.filing_detail, name="detail"),
    path("pre/<int:pk>/edit/", views.filing_edit, name="edit"),
    path("pre/<int:pk>/submit/", views.filing_submit, name="submit"),
    path("pre/<int:pk>/delete/", views.filing_delete, name="delete"),
    path("pre/<int:pk>/form/generate/", review_views.generate_form, name="generate_form"),
    path("pre/<int:pk>/form/download/", review_views.download_form, name="download_form"),
    path("pre/<int:pk>/stamped/", review_views.upload_stamped, name="upload_stamped"),
    path("pre/<int:pk>/forward/", review_views.forward, name="forward"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("recognition/", recognition_views.recognition_list, name="recognitions"),
    path("recognition/new/", recognition_views.recognition_edit, name="recognition_new"),
    path("recognition/new/submit/", recognition_views.recognition_submit, name="recognition_submit_new"),
    path("recognition/<int:pk>/edit/", recognition_views.recognition_edit, name="recognition_edit"),
    path("recognition/<int:pk>/submit/", recognition_views.recognition_submit, name="recognition_submit"),
]
