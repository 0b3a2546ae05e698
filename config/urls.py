from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from config.api import api
from linju.access.guards import public
from linju.cases import urls as case_urls
from linju.cases import views as case_views
from linju.catalog import urls as catalog_urls
from linju.core import views as core_views
from linju.eligibility import views as eligibility_views
from linju.gigs import views as gigs_views
from linju.jobs import views as jobs_views
from linju.notify import views as notify_views
from linju.offers import inbox_views as offer_inbox_views
from linju.offers import public_views as offer_views
from linju.outreach import views as outreach_views
from linju.pensions import views as pensions_views
from linju.portal import bundle_page
from linju.portal import my_page as portal_my_page
from linju.portal import self_check as portal_self_check
from linju.portal import views as portal_views

admin.site.site_header = "Linju 邻居 · 管理"
admin.site.site_title = "Linju 邻居"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    # the API early: every request is matched against the patterns in order, and no page's address
    # begins with api/ (an intake was tried against some seventy patterns before it)
    path("api/v1/", api.urls),
    # the SMS gateway's delivery receipts (its shared secret in the address)
    path("notify/sms-reports", notify_views.sms_reports, name="sms-reports"),
    path("elder-mode/", portal_views.elder_mode, name="elder-mode"),
    # an item's page says where to do it (catalogue, places and booths together): the portal's page
    path(
        "catalog/",
        include(
            (
                [
                    path("items/<slug:code>/", portal_views.item_detail, name="item"),
                    path("bundles/<slug:code>/", bundle_page.bundle_detail, name="bundle"),
                    *catalog_urls.urlpatterns,
                ],
                catalog_urls.app_name,
            )
        ),
    ),
    path("towns/<str:code>/", portal_views.town_card, name="town"),
    path("towns/<str:code>/card.pdf", portal_views.town_card_pdf, name="town-card-pdf"),
    path("staff/", portal_views.staff_home, name="staff-home"),
    path("staff/residents/", include("linju.people.urls")),
    path("staff/consent/", include("linju.consent.urls")),
    # taking a case combines cases and outreach (a booth's question becomes a case): the portal's page
    path(
        "staff/cases/",
        include(
            (
                [
                    path("new/", portal_views.case_new, name="new"),
                    path("phone/", portal_views.phone_request, name="phone"),
                    *case_urls.urlpatterns,
                ],
                case_urls.app_name,
            )
        ),
    ),
    path("staff/outreach/", include("linju.outreach.urls")),
    path("field/", include("linju.field.urls")),
    path("staff/jobs/", include("linju.jobs.urls")),
    path("staff/gigs/", include("linju.gigs.urls")),
    path("staff/discovery/", include("linju.eligibility.urls")),
    path("staff/offers/", include("linju.offers.urls")),
    path("staff/insights/", include("linju.insights.urls")),
    path("staff/planning/", include("linju.planning.urls")),
    # the self-check lists the steps to take first with the nearest place for each: the portal's page
    path("self-check/", portal_self_check.self_check, name="self-check"),
    path("self-check/text/", eligibility_views.self_check_text, name="self-check-text"),
    path("jobs/", jobs_views.public_vacancies, name="jobs-public"),
    path("gigs/", gigs_views.public_gigs, name="gigs-public"),
    path("retirement/", pensions_views.calculator, name="retirement"),
    path("staff/retirement/", include("linju.pensions.urls")),
    path("calendar/<str:token>.ics", outreach_views.calendar_ics, name="staff-calendar"),
    path("villages/", outreach_views.village_index, name="villages"),
    path("villages/<str:code>/", outreach_views.village_page, name="village"),
    path("my/", portal_my_page.my_page, name="my-page"),
    path("my/code/", portal_my_page.my_code, name="my-page-code"),
    path("my/open/", portal_my_page.my_code_check, name="my-page-open"),
    path("my/leave/", portal_my_page.my_page_leave, name="my-page-leave"),
    path(
        "my/authorisations/<int:authorisation_id>/withdraw/",
        portal_my_page.my_authorisation_withdraw,
        name="my-authorisation-withdraw",
    ),
    path(
        "my/consents/<int:resident_id>/<slug:purpose>/withdraw/",
        portal_my_page.my_consent_withdraw,
        name="my-consent-withdraw",
    ),
    path("status/", case_views.status_lookup, name="status"),
    path("status/rate/", case_views.status_rate, name="status-rate"),
    path("rate/", outreach_views.rate_slip, name="rate-slip"),
    path("rate/phone/", case_views.rate_by_phone, name="rate-phone"),
    path("rate/fix/<str:token>/", case_views.fix_rate, name="rate-fix"),
    path("ratings/", case_views.ratings_public, name="ratings-public"),
    path("status/booth-texts/stop/", outreach_views.booth_reminders_stop_by_phone, name="booth-texts-stop"),
    # the short link an offer's text carries, and its answers (public: the ID number's last four first)
    path("o/<str:token>", offer_views.offer_link, name="offer-link"),
    path("o/<str:token>/answer", offer_views.offer_link_answered, name="offer-answer"),
    path("o/<str:token>/object", offer_views.offer_link_objected, name="offer-object"),
    path("staff/texts-received/", offer_inbox_views.texts_received, name="texts-received"),
    path("staff/texts-received/<int:reply_id>/read", offer_inbox_views.text_read, name="text-read"),
    # after the gig: pay recorded, the wage guide, workers to help, the directory of job services
    path("", include("linju.gigs.pay_urls")),
    path("staff/audit/", include("linju.audit.urls")),
    path("staff/province/", include("linju.exchange.urls")),
    path("accounts/", include("linju.accounts.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("open311/v2/", include("linju.cases.open311_urls")),
    # the administration site's log-in is the staff log-in, with its second factor
    path("admin/login/", public(RedirectView.as_view(pattern_name="accounts:login", query_string=True))),
    # browsers that do not read the pages' <link rel="icon"> ask for this address
    path("favicon.ico", public(RedirectView.as_view(url="/static/img/linju.svg", permanent=True))),
    path("admin/", admin.site.urls),
]

handler404 = "linju.core.views.page_not_found"
