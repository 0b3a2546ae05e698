from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("booths/", views.booths, name="booths"),
    path("booths/<int:booth_id>/", views.booth, name="booth"),
    path("counter/", views.counter, name="counter"),
    path("coverage/", views.coverage, name="coverage"),
    path("visits/new/", views.visit_new, name="visit-new"),
    path("home-tasks/", views.home_tasks, name="home-tasks"),
    path("home-tasks/<int:task_id>/complete/", views.home_task_complete, name="home-task-complete"),
    path("roster/", views.roster, name="roster"),
    path("roster/by-data/", views.certify_by_data, name="certify-by-data"),
    path("roster/<int:pensioner_id>/certify/", views.certify, name="certify"),
    path("roster/<int:pensioner_id>/home-visit/", views.home_visit, name="home-visit"),
    path("leaders/", views.leaders, name="leaders"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("residents/<int:resident_id>/booth-texts/", views.booth_reminder, name="booth-reminder"),
]
