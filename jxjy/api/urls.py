from django.urls import path, re_path
from django.utils.translation import gettext_noop
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import errors, views

# settings.SPECTACULAR_SETTINGS["TITLE"]: the docs page translates it.
TITLE = gettext_noop("继续教育系统开放接口")

app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from a URL of its own: no inline script, the site's CSP holds.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("v1/certificates/verify", views.VerifyByNumber.as_view(), name="verify"),
    path("v1/certificates/verify/file", views.VerifyFile.as_view(), name="verify_file"),  # before the codes
    path("v1/certificates/verify/<str:code>", views.VerifyByCode.as_view(), name="verify_code"),
    path("v1/hours/query", views.HoursQuery.as_view(), name="hours"),
    path("v1/completions/import", views.CompletionImport.as_view(), name="import"),
    path("v1/documents", views.DocumentList.as_view(), name="documents"),
    path("v1/documents/<str:kind>/<int:id>", views.DocumentDetail.as_view(), name="document"),
    re_path(r"^[\s\S]*$", errors.not_found, name="not_found"),  # [\s\S]: a newline in the address too
]
