from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.seekers, name="seekers"),
    path("seekers/new/", views.seeker_new, name="seeker-new"),
    path("seekers/<int:seeker_id>/", views.seeker, name="seeker"),
    path("seekers/<int:seeker_id>/refer/<int:vacancy_id>/", views.refer, name="refer"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:referral_id>/step/", views.referral_step, name="referral-step"),
    path("unfilled/", views.unfilled, name="unfilled"),
]
