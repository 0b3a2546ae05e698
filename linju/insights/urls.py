from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly-report.xlsx", views.monthly_report, name="monthly-report"),
    path("export/<slug:key>.xlsx", views.list_export, name="export"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import"),
    path("imports/<int:job_id>/errors.xlsx", views.import_errors, name="import-errors"),
    path("imports/template/<slug:kind>.xlsx", views.import_template, name="import-template"),
]
