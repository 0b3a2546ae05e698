from django.urls import path

from . import bundle_views, jinbao_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export/", views.case_export, name="export"),
    path("follow-ups/<int:follow_up_id>/close/", views.follow_up_close, name="follow-up-close"),
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<int:follow_up_id>/", views.callback_detail, name="callback"),
    path("callbacks/<int:follow_up_id>/call/", views.callback_call, name="callback-call"),
    path("callbacks/<int:follow_up_id>/phone/", views.callback_phone_unmask, name="callback-phone"),
    path("callbacks/<int:follow_up_id>/rectify/", views.callback_rectify, name="callback-rectify"),
    path("callbacks/<int:follow_up_id>/done/", views.callback_done, name="callback-done"),
    path("ratings/<int:rating_id>/appeal/", views.appeal_file, name="appeal"),
    path("appeals/<int:appeal_id>/decide/", views.appeal_decide, name="appeal-decide"),
    path("bundles/<str:number>/", bundle_views.bundle_detail, name="bundle"),
    path(
        "bundles/<str:number>/receipt/",
        bundle_views.bundle_paper,
        {"paper": "bundle-receipt"},
        name="bundle-receipt",
    ),
    path(
        "bundles/<str:number>/receipt.pdf",
        bundle_views.bundle_paper,
        {"paper": "bundle-receipt", "as_pdf": True},
        name="bundle-receipt-pdf",
    ),
    path(
        "bundles/<str:number>/answer/",
        bundle_views.bundle_paper,
        {"paper": "bundle-answer"},
        name="bundle-answer",
    ),
    path(
        "bundles/<str:number>/answer.pdf",
        bundle_views.bundle_paper,
        {"paper": "bundle-answer", "as_pdf": True},
        name="bundle-answer-pdf",
    ),
    path("jinbao/", jinbao_views.waiting, name="jinbao-waiting"),
    path("jinbao/day/", jinbao_views.day, name="jinbao-day"),
    path("jinbao/day.pdf", jinbao_views.day_pdf, name="jinbao-day-pdf"),
    path("jinbao/day.csv", jinbao_views.day_csv, name="jinbao-day-csv"),
    path("<str:number>/jinbao/", jinbao_views.sheet, name="jinbao-sheet"),
    path("<str:number>/jinbao.pdf", jinbao_views.sheet_pdf, name="jinbao-sheet-pdf"),
    path("<str:number>/jinbao.csv", jinbao_views.sheet_csv, name="jinbao-sheet-csv"),
    path("<str:number>/dispatch.pdf", bundle_views.dispatch_slip, name="dispatch-slip"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/transition/", views.case_transition, name="transition"),
    path("<str:number>/extensions/", views.extension_ask, name="extension-ask"),
    path(
        "<str:number>/extensions/<int:extension_id>/",
        views.extension_decide,
        name="extension-decide",
    ),
    path("<str:number>/decision/", views.case_decision, name="decision"),
    path("<str:number>/photos/<int:photo_id>/", views.case_photo, name="photo"),
    path("<str:number>/receipt/", views.case_paper, {"paper": "receipt"}, name="receipt"),
    path(
        "<str:number>/receipt.pdf", views.case_paper, {"paper": "receipt", "as_pdf": True}, name="receipt-pdf"
    ),
    path("<str:number>/notice/", views.case_paper, {"paper": "notice"}, name="notice"),
    path("<str:number>/notice.pdf", views.case_paper, {"paper": "notice", "as_pdf": True}, name="notice-pdf"),
    path("<str:number>/return-notice/", views.case_paper, {"paper": "return"}, name="return-notice"),
    path(
        "<str:number>/return-notice.pdf",
        views.case_paper,
        {"paper": "return", "as_pdf": True},
        name="return-notice-pdf",
    ),
]
