from django.urls import path

from . import admin_request_views, appeal_views, language, link_views, recovery_views, security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("language/", language.choose, name="language"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", recovery_views.signup, name="signup"),
    path("signup/details/", recovery_views.signup_details, name="signup_details"),
    path("signup/resend/", recovery_views.signup_resend, name="signup_resend"),
    path("password/forgot/", recovery_views.forgot, name="forgot"),
    path("password/forgot/reset/", recovery_views.forgot_reset, name="forgot_reset"),
    path("password/forgot/resend/", recovery_views.forgot_resend, name="forgot_resend"),
    path("appeal/<str:token>/", appeal_views.appeal_file, name="appeal_file"),
    path("appeal/<str:token>/code/", appeal_views.appeal_code, name="appeal_code"),
    path("appeals/", appeal_views.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", appeal_views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/<slug:action>/", appeal_views.appeal_decide, name="appeal_decide"),
    path("learners/<int:pk>/reveal/<str:field>/", views.reveal_personal_data, name="reveal"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("password/", views.password_change, name="password_change"),
    path("security/users/", security_views.users, name="security_users"),
    path("security/users/<int:pk>/role/", security_views.change_role, name="security_role"),
    path("security/users/<int:pk>/unlock/", security_views.unlock, name="security_unlock"),
    path("security/users/<int:pk>/otp-reset/", security_views.reset_second_factor, name="security_otp_reset"),
    path("security/users/<int:pk>/password-reset/", security_views.reset_password, name="security_password_reset"),
    path("security/policy/", security_views.policy, name="security_policy"),
    path("security/requests/", admin_request_views.admin_requests, name="admin_requests"),
    path("security/requests/<int:pk>/<slug:decision>/", admin_request_views.decide, name="admin_request_decide"),
    path("password/set/<str:uidb64>/<str:token>/", link_views.set_password, name="set_password"),
]
