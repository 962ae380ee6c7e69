from django.urls import path

from . import views

app_name = "sysadmin"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/disable/", views.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", views.account_enable, name="account_enable"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/<slug:kind>/new/", views.catalog_new, name="catalog_new"),
    path("catalog/<slug:kind>/<int:pk>/edit/", views.catalog_edit, name="catalog_edit"),
    path("catalog/<slug:kind>/<int:pk>/disable/", views.catalog_disable, name="catalog_disable"),
    path("catalog/<slug:kind>/<int:pk>/enable/", views.catalog_enable, name="catalog_enable"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:key>/", views.rule_edit, name="rule_edit"),
    path("rules/<slug:key>/reset/", views.rule_reset, name="rule_reset"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
