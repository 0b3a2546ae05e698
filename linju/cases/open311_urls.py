from django.urls import path

from . import open311

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.services_list, name="services"),
    path("services/<str:code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests_collection, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", open311.request_detail, name="request"),
]
