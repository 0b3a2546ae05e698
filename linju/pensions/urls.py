from django.urls import path

from . import views

app_name = "pensions"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("residents/<int:resident_id>/former-age/", views.former_age, name="former-age"),
]
