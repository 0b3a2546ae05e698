from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.planning, name="index"),
    path("job-services/", views.job_services, name="job-services"),
    path("<int:run_id>/", views.plan_run, name="run"),
    path("<int:run_id>/apply/", views.plan_apply, name="apply"),
]
