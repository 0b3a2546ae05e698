"""The pages and API after the gig: the cadre's pay page, the worker's page from the slip's link, the
wage guide page and its import, the help list and the directory with its workbook."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from linju.audit.models import AuditEvent
from linju.cases.models import Case
from linju.gigs.models import Dispatch, WageGuidePrice
from linju.gigs.services.pay import pay_token
from linju.gigs.tests.factories_pay import (
    DispatchFactory,
    GigFactory,
    GigWorkerFactory,
    SignInFactory,
    gig_day_fixture,  # noqa: F401  (the fixture gig_day)
    gig_station,
)
from linju.people.tests.factories import ResidentFactory


def test_the_cadre_records_short_pay_on_the_pay_page_and_sees_the_inspection_request(client, gig_day):
    client.force_login(gig_day.cadre)
    d = gig_day.dispatch.pk
    page = client.get("/staff/gigs/pay/")
    assert page.status_code == 200 and "代云峰" in page.text and "采摘柑橘" in page.text
    seen = AuditEvent.objects.get(object_type="resident_list", detail__what="gig_pay_list")
    assert seen.detail["residents"] == [gig_day.dispatch.worker.resident_id]
    answer = client.post(
        "/staff/gigs/pay/record/",
        {"dispatch": gig_day.dispatch.pk, f"paid-{d}": "short", f"amount-{d}": "90"},
        follow=True,
    )
    case = Case.objects.get()
    assert case.number in answer.text and case.item.code == "LR-001"
    assert Dispatch.objects.get(pk=gig_day.dispatch.pk).paid_amount == Decimal("90.00")


def test_a_wrong_answer_on_the_pay_page_is_said_and_nothing_kept(client, gig_day):
    client.force_login(gig_day.cadre)
    answer = client.post(
        "/staff/gigs/pay/record/",
        {"dispatch": gig_day.dispatch.pk, f"paid-{gig_day.dispatch.pk}": "short"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400 and "Write how much was received." in answer.text
    assert Dispatch.objects.get(pk=gig_day.dispatch.pk).status == "sent"
    client.force_login(gig_day.dongxi_cadre)
    assert (
        client.post(
            "/staff/gigs/pay/record/",
            {"dispatch": gig_day.dispatch.pk, f"paid-{gig_day.dispatch.pk}": "full"},
        ).status_code
        == 404
    )


def _second_row(gig_day):
    """李秀英 sent to the same gig: a second row on the pay page."""
    li = GigWorkerFactory(resident=ResidentFactory(name="李秀英", village=gig_day.jingshan))
    return DispatchFactory(
        gig=gig_day.gig,
        worker=li,
        sign_in=SignInFactory(worker=li, market=gig_day.market),
        dispatched_by=gig_day.cadre,
        position=2,
    )


def test_a_pay_error_is_said_beside_its_row_naming_the_worker_and_every_row_keeps_what_was_typed(
    client, gig_day
):
    other = _second_row(gig_day)
    dai, li = gig_day.dispatch.pk, other.pk
    client.force_login(gig_day.cadre)
    typed = {f"paid-{dai}": "short", f"amount-{dai}": "", f"paid-{li}": "short", f"amount-{li}": "70"}
    answer = client.post("/staff/gigs/pay/record/", typed | {"dispatch": dai})
    assert answer.status_code == 400
    html = answer.text
    row = html[html.index(f'id="pay-{dai}"') : html.index(f'id="pay-{li}"')]
    assert "代云峰:请填写实际到手金额。" in row  # beside the row, naming the worker
    assert f'name="paid-{dai}" value="short" checked' in row
    below = html[html.index(f'id="pay-{li}"') :]
    assert f'name="paid-{li}" value="short" checked' in below and f'name="amount-{li}" value="70"' in below
    assert "请填写实际到手金额" not in html[: html.index(f'id="pay-{dai}"')]  # not at the top
    # more than was promised (160 a day): said beside the row, the amount kept as typed
    over = client.post(
        "/staff/gigs/pay/record/",
        typed | {f"amount-{dai}": "200", "dispatch": dai},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert over.status_code == 400
    mine = over.text[over.text.index(f'id="pay-{dai}"') : over.text.index(f'id="pay-{li}"')]
    assert "代云峰: " in mine and f'name="amount-{dai}" value="200"' in mine
    assert set(Dispatch.objects.values_list("status", flat=True)) == {"sent"}


def test_the_pay_page_names_a_worker_of_another_town_masked_as_the_candidates_do(client, gig_day):
    """A worker of 东溪镇 sent to a gig of 永新镇: the 永新镇 cadre's pay page names them masked, in the
    rows to record, in the error beside their row and among those recorded; their own worker whole."""
    from_dongxi = GigWorkerFactory(resident=gig_day.zhou)
    waiting = DispatchFactory(gig=gig_day.gig, worker=from_dongxi, position=2, dispatched_by=gig_day.cadre)
    client.force_login(gig_day.cadre)
    page = client.get("/staff/gigs/pay/")
    assert "代云峰" in page.text and "周*明" in page.text and "周开明" not in page.text
    wrong = client.post("/staff/gigs/pay/record/", {"dispatch": waiting.pk, f"paid-{waiting.pk}": "short"})
    assert wrong.status_code == 400 and "周*明" in wrong.text and "周开明" not in wrong.text
    Dispatch.objects.filter(pk=waiting.pk).update(
        status=Dispatch.Status.DONE, done_on=datetime.date(2026, 12, 1), paid=Dispatch.Paid.FULL
    )
    recorded = client.get("/staff/gigs/pay/")
    assert "周*明" in recorded.text and "周开明" not in recorded.text


def test_leaders_are_refused_the_pay_page(client, gig_day):
    client.force_login(gig_day.leader)
    assert client.get("/staff/gigs/pay/").status_code == 403


def test_the_worker_opens_the_slips_page_with_four_characters_and_says_unpaid(client, gig_day):
    url = f"/gigs/paid/{pay_token(gig_day.dispatch)}"
    first = client.get(url)
    assert first.status_code == 200 and "采摘柑橘" not in first.text
    wrong = "0000" if gig_day.dai.id_number[-4:] != "0000" else "1111"
    refused = client.post(url, {"id_last4": wrong})
    assert refused.status_code == 404 and "采摘柑橘" not in refused.text
    last4 = gig_day.dai.id_number[-4:]
    opened = client.post(url, {"id_last4": last4})
    assert opened.status_code == 200 and "采摘柑橘" in opened.text and "荆山果园合作社" in opened.text
    answered = client.post(f"{url}/record", {"id_last4": last4, "paid": "unpaid"})
    case = Case.objects.get()
    assert answered.status_code == 200 and case.number in answered.text and case.channel == "online"
    again = client.post(f"{url}/record", {"id_last4": last4, "paid": "unpaid"})
    assert again.status_code == 200 and Case.objects.count() == 1


def test_a_link_that_opens_nothing_says_so(client, gig_day):
    assert client.get("/gigs/paid/not-a-token").status_code == 404
    gig_day.dispatch.status = "cancelled"
    gig_day.dispatch.save()
    assert client.get(f"/gigs/paid/{pay_token(gig_day.dispatch)}").status_code == 404


def test_the_api_records_short_pay_and_refuses_what_does_not_add_up_in_both_languages(client, gig_day):
    client.force_login(gig_day.cadre)
    url = f"/api/v1/dispatches/{gig_day.dispatch.pk}/done"
    refused = client.post(url, {"paid": "short"}, content_type="application/json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "invalid" and "amount" in str(body)
    done = client.post(url, {"paid": "short", "amount": "80"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["inspection_case"] == Case.objects.get().number and done.json()["changed"]
    client.force_login(gig_day.dongxi_cadre)
    assert client.post(url, {"paid": "full"}, content_type="application/json").status_code == 404
    too_big = client.post(url, {"paid": "short", "amount": "1e12"}, content_type="application/json")
    assert too_big.status_code in (400, 422)


def _sheet() -> bytes:
    workbook = Workbook()
    workbook.active.append(["工种", "单位", "低位数", "中位数", "高位数"])
    workbook.active.append(["采摘工", "日", 170, 190, 230])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_guide_page_flags_the_gig_below_it_and_staff_import_the_sheet(client, gig_day):
    GigFactory(
        village=gig_day.jingshan,
        market=gig_day.market,
        work_type=gig_day.picking,
        posted_by=gig_day.cadre,
        title="低价采摘",
        pay=Decimal("100"),
        starts_on=datetime.date(2030, 1, 2),
    )
    client.force_login(gig_day.cadre)
    page = client.get("/staff/gigs/wage-guide/?year=2026")
    assert page.status_code == 200 and "低价采摘" in page.text and "采摘柑橘" not in page.text
    assert 'action="/staff/gigs/wage-guide/import/"' not in page.text
    assert client.post("/staff/gigs/wage-guide/import/", {}).status_code == 403
    client.force_login(gig_day.staff)
    upload = BytesIO(_sheet())
    upload.name = "guide.xlsx"
    kept = client.post("/staff/gigs/wage-guide/import/", {"year": "2027", "file": upload})
    assert kept.status_code == 302 and WageGuidePrice.objects.filter(year=2027).count() == 1
    bad = BytesIO(b"not a workbook")
    bad.name = "guide.xlsx"
    assert client.post("/staff/gigs/wage-guide/import/", {"file": bad}, follow=True).status_code == 200


def test_the_help_page_lists_masked_and_is_recorded(client, gig_day, settings):
    settings.LINJU_GIG_IDLE_DAYS = 1
    SignInFactory(worker=gig_day.worker, market=gig_day.market, day=datetime.date(2026, 12, 2))
    client.force_login(gig_day.cadre)
    page = client.get("/staff/gigs/help/")
    assert page.status_code == 200 and "代云峰" in page.text and gig_day.dai.id_number not in page.text
    assert AuditEvent.objects.filter(object_type="resident_list", detail__what="gig_help_list").count() == 1
    api = client.get("/api/v1/gig-help")
    assert api.status_code == 200 and api.json()["workers"][0]["name"] == "代云峰"
    assert "*" in api.json()["workers"][0]["id_number"]


def test_the_directory_page_and_its_workbook_for_the_chosen_quarter(client, gig_day):
    gig_station(gig_day.yongxin)
    client.force_login(gig_day.leader)
    page = client.get("/staff/gigs/directory/?quarter=2026Q4")
    assert page.status_code == 200 and "永新镇零工驿站" in page.text
    export = client.get("/staff/gigs/directory/export/?quarter=2026Q4")
    assert export.status_code == 200 and "2026Q4" in export["Content-Disposition"]
    assert load_workbook(BytesIO(export.content)).active["B2"].value == "永新镇零工驿站"
    assert client.get("/staff/gigs/directory/?quarter=2026Q9").status_code == 400


def test_the_pay_page_costs_the_same_queries_whatever_its_dispatches(
    client, gig_day, django_assert_num_queries
):
    client.force_login(gig_day.cadre)
    client.get("/staff/gigs/pay/")
    with django_assert_num_queries(QUERIES_OF_THE_PAY_PAGE):
        assert client.get("/staff/gigs/pay/").status_code == 200
    for _n in range(4):
        more = GigFactory(
            village=gig_day.jingshan,
            market=gig_day.market,
            work_type=gig_day.picking,
            posted_by=gig_day.cadre,
        )
        DispatchFactory(
            gig=more,
            worker=GigWorkerFactory(resident=ResidentFactory(village=gig_day.jingshan)),
            dispatched_by=gig_day.cadre,
        )
    with django_assert_num_queries(QUERIES_OF_THE_PAY_PAGE):
        assert client.get("/staff/gigs/pay/").status_code == 200


# the session, the user, the dispatches to record, the viewer's towns (whom to name whole), those
# recorded, the audit row
QUERIES_OF_THE_PAY_PAGE = 6
