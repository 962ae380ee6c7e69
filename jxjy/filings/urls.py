from django.urls import path

from . import views

app_name = "filings"
urlpatterns = [
    path("pre/", views.filing_list, name="list"),
    path("pre/new/", views.filing_edit, name="new"),
    path("pre/<int:pk>/", views.filing_detail, name="detail"),
    path("pre/<int:pk>/edit/", views.filing_edit, name="edit"),
    path("pre/<int:pk>/delete/", views.filing_delete, name="delete"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
