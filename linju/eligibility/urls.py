from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("", views.discovery, name="discovery"),
    path("start/", views.discovery_start, name="start"),
    path("<int:run_id>/export/", views.discovery_export, name="export"),
    path("lists/<int:list_id>/<int:resident_id>/home-task/", views.hit_to_home_task, name="home-task"),
    path("try/", views.rule_trial, name="trial"),
]
