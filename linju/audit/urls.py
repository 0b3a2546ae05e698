from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("exports/<uuid:token>/", views.export_page, name="export"),
    path("exports/<uuid:token>/file", views.export_file, name="export-file"),
]
