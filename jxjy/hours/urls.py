from django.urls import path

from . import views

app_name = "hours"
urlpatterns = [
    path("", views.ledger_view, name="ledger"),
    path("<int:year>/proof/", views.proof_pdf, name="proof"),
]
