from django.urls import path

from . import views

app_name = "gigs"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("new/", views.gig_new, name="new"),
    path("<int:gig_id>/", views.gig, name="gig"),
    path("<int:gig_id>/dispatch/", views.dispatch, name="dispatch"),
    path("dispatches/<int:dispatch_id>/slip.pdf", views.slip, name="slip"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("workers/new/", views.worker_new, name="worker-new"),
]
