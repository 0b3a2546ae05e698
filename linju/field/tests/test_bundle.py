"""The field app's day of data: scoped like every read, nothing a stranger could use, small."""

import datetime
import json

from django.urls import reverse

from linju.accounts.tests.factories import bearer
from linju.field.selectors import field_bundle
from linju.outreach.models import HomeTask


def test_the_bundle_holds_the_cadres_towns_only_and_no_whole_numbers(served, client):
    HomeTask.objects.create(
        bureau_id=served.dai.bureau_id,
        kind="certification",
        resident=served.dai,
        asked_via="phone",
        due_date=datetime.date.today(),
        assigned_to=served.cadre,
        address="荆山村3组",
    )
    response = client.get("/api/v1/field/bundle", **bearer(served.cadre))
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert [t["code"] for t in body["towns"]] == [served.yongxin.code]
    assert {p["value"] for p in body["places"]} >= {"point:station-yx", "market:market-shengping"}
    assert "station-dx" not in text and "东溪镇" not in text  # not the cadre's town
    assert served.dai.id_number not in text and served.dai.phone not in text
    assert body["home_tasks"][0]["id_number"].endswith(served.dai.id_number[-4:])
    # the people of the village visited, to choose by name and masked number
    assert {r["id"] for r in body["residents"]} == {served.dai.pk}
    assert body["residents"][0]["id_number"] == served.dai.masked_id_number
    assert {"UI-002", "MD-005"} <= {i["code"] for i in body["items"]}
    assert body["calendar"]["to"] > body["date"]
    september = field_bundle(viewer=served.cadre, today=datetime.date(2026, 9, 20))["calendar"]
    assert september["exceptions"]["2026-10-01"] == "holiday" and 2026 in september["known_years"]
    assert len(response.content) < 1_000_000
    assert body["version"] == field_bundle(viewer=served.cadre)["version"]  # the same data, the same version
    from linju.audit.models import AuditEvent

    handed = AuditEvent.objects.get(action="exported", actor=served.cadre)  # it names people: recorded
    assert handed.detail["format"] == "field" and handed.detail["count"] == 2


def test_the_bundle_and_the_app_are_for_staff_who_take_cases(served, client):
    assert client.get("/api/v1/field/bundle").status_code == 401
    assert client.get("/api/v1/field/bundle", **bearer(served.leader)).status_code == 403
    client.force_login(served.leader)
    assert client.get(reverse("field:shell")).status_code == 403
    client.force_login(served.cadre)
    page = client.get(reverse("field:shell"))
    assert page.status_code == 200 and "script-src 'self'" in page["Content-Security-Policy"]
    worker = client.get(reverse("field:service-worker"))
    assert (
        worker["Content-Type"] == "application/javascript" and worker["Service-Worker-Allowed"] == "/field/"
    )
    manifest = client.get(reverse("field:manifest")).json()
    assert manifest["start_url"] == "/field/" and manifest["icons"]


def test_logging_out_tells_the_browser_to_wipe_the_phone(served, client):
    client.force_login(served.cadre)
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_bundle_is_a_fixed_number_of_queries(served, django_assert_max_num_queries):
    """Held tables (catalogue, calendar) cost nothing; materials, towns, stations, markets, villages,
    booths and tasks one query each, however many there are."""
    field_bundle(viewer=served.cadre)  # the process's held tables are read on first use
    with django_assert_max_num_queries(7):
        field_bundle(viewer=served.cadre)


def test_the_bundle_says_what_each_place_takes_as_intake_does(served):
    """For every item and every place of the bundle, what the field app is told (finish, forward,
    or nothing: refused) and the days its receipt promises are what intake's step 1 says there."""
    from linju.catalog.selectors import catalogue_changed
    from linju.portal.intake import FINISH_HERE, FORWARD, intake_options

    type(served.lr).objects.filter(pk=served.lr.pk).update(hall_only=True, hall_only_reason="须当面核对。")
    catalogue_changed()
    bundle = field_bundle(viewer=served.cadre)
    said = {FINISH_HERE: "finish", FORWARD: "forward"}
    assert {p["town"] for p in bundle["places"]} == {served.yongxin.code}
    for place in bundle["places"]:
        _spot, options = intake_options(viewer=served.cadre, place=place["value"], channel=place["channel"])
        prefix = place["value"].split(":")[0]
        for option in options:
            item = next(i for i in bundle["items"] if i["code"] == option.item.code)
            assert item["at"].get(place["town"], {}).get(prefix) == said.get(option.mode), (place, option)
            # and the receipt's promise there is intake's: the forwarded days where it is sent on
            if option.mode in said:
                promised = item["days_forwarded"] if option.mode == FORWARD else item["time_limit_days"]
                assert promised == option.days, (place, option)
    ui, lr = (next(i for i in bundle["items"] if i["code"] == code) for code in ("UI-002", "LR-002"))
    assert ui["at"] == {served.yongxin.code: {"point": "finish", "market": "finish", "village": "finish"}}
    assert lr["at"] == {}
