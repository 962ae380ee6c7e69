from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_edit, name="class_new"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/open/", views.class_publish, {"publish": True}, name="class_open"),
    path("classes/<int:pk>/close/", views.class_publish, {"publish": False}, name="class_close"),
    path("registrations/review/", views.registration_review_list, name="registration_review"),
    path("registrations/review/approve/", views.registration_batch_approve, name="registration_batch_approve"),
    path("my/", views.my_registrations, name="my_registrations"),
    path("register/", views.register_step1, name="register"),
    path("register/classes/", views.register_step2, name="register_classes"),
    path("register/classes/<int:class_pk>/", views.register_step3, name="register_form"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/submit/", views.registration_submit, name="registration_submit"),
    path("registrations/<int:pk>/wait/", views.registration_wait, name="registration_wait"),
    path("registrations/<int:pk>/withdraw/", views.registration_withdraw, name="registration_withdraw"),
    path("registrations/<int:pk>/delete/", views.registration_delete, name="registration_delete"),
]
