from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.resident_search, name="search"),
    path("export/", views.resident_export, name="export"),
    path("new/", views.resident_new, name="new"),
    path("<int:resident_id>/", views.resident_detail, name="detail"),
    path("<int:resident_id>/unmask/", views.resident_unmask, name="unmask"),
]
