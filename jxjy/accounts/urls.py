from django.urls import path

from . import security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("learners/<int:pk>/reveal/<str:field>/", views.reveal_personal_data, name="reveal"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("password/", views.password_change, name="password_change"),
    path("security/users/", security_views.users, name="security_users"),
    path("security/users/<int:pk>/role/", security_views.change_role, name="security_role"),
    path("security/users/<int:pk>/unlock/", security_views.unlock, name="security_unlock"),
    path("security/users/<int:pk>/otp-reset/", security_views.reset_second_factor, name="security_otp_reset"),
    path("security/policy/", security_views.policy, name="security_policy"),
]
