from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly-report.xlsx", views.monthly_report, name="monthly-report"),
]
