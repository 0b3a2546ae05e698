from django.urls import path

from . import views

app_name = "offers"
urlpatterns = [
    path("", views.approvals, name="approvals"),
    path("approve/", views.approve, name="approve"),
]
