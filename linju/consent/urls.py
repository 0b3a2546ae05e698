from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("<int:resident_id>/", views.resident_authorisations, name="resident"),
    path("<int:resident_id>/withdraw/<int:authorisation_id>/", views.withdraw, name="withdraw"),
    path("<int:resident_id>/consents/", views.consent_answer, name="consent"),
]
