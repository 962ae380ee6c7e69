from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("mine/", views.my_certificates, name="mine"),
    path("list/<slug:kind>/", views.certificate_list, name="list"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/reissue/", views.reissue, name="reissue"),
    path("class/<int:class_id>/zip/", views.class_zip, name="class_zip"),
    path("verify/", views.verify, name="verify"),
    path("v/<str:code>/", views.verify_code, name="verify_code"),
]
