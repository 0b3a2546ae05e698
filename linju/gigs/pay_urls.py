"""The pages after the gig (linju/gigs/pay_views.py), under their own namespace."""

from django.urls import path

from . import pay_views

app_name = "gigs-pay"

urlpatterns = [
    path("staff/gigs/pay/", pay_views.pay_list, name="list"),
    path("staff/gigs/pay/record/", pay_views.pay_record, name="record"),
    path("staff/gigs/wage-guide/", pay_views.guide_page, name="guide"),
    path("staff/gigs/wage-guide/import/", pay_views.guide_import, name="guide-import"),
    path("staff/gigs/help/", pay_views.help_page, name="help"),
    path("staff/gigs/directory/", pay_views.directory_page, name="directory"),
    path("staff/gigs/directory/export/", pay_views.directory_export, name="directory-export"),
    # the link a dispatch slip carries: the worker records the work done and the pay received
    path("gigs/paid/<str:token>", pay_views.pay_worker, name="worker"),
    path("gigs/paid/<str:token>/record", pay_views.pay_worker_record, name="worker-record"),
]
