"""The day's data carries the bundles (一件事) of the cadre's bureau as the field app takes them
offline: where each is taken (where its lead part is), its parts with their offices and days, and its
one list of papers; and what the app sends for one is taken as the API takes it."""

from linju.cases.models import BundleCase
from linju.cases.tests.conftest import retirement  # noqa: F401 (the bundle world, a fixture)
from linju.field.selectors import field_bundle


def test_the_days_data_carries_the_bundles_as_the_field_app_takes_them(retirement):  # noqa: F811
    data = field_bundle(viewer=retirement.cadre)
    (retire,) = data["bundles"]
    assert (retire["code"], retire["name"]) == ("retire", "退休一件事")
    # taken where its lead part (退休审批, the district's) is: every place of 永新镇, sent on
    assert retire["at"] == {
        retirement.yongxin.code: {"point": "forward", "market": "forward", "village": "forward"}
    }
    assert [(p["item"], p["partner"], p["days"]) for p in retire["parts"]] == [
        ("RT-001", "", 10),
        ("RT-002", "", 5),
        ("HF-001", "綦江住房公积金管理中心（示例）", 4),
    ]
    papers = {m["name"]: m["items"] for m in retire["materials"]}
    assert papers["居民身份证"] == ["RT-001", "RT-002", "HF-001"]  # asked once, for all three
    assert papers["公积金联名卡"] == ["HF-001"]


def test_another_bureaus_cadre_is_not_offered_the_bundle(retirement):  # noqa: F811
    from linju.accounts.tests.factories import CadreFactory
    from linju.geo.tests.factories import TownFactory

    wansheng_town = TownFactory(code="500110102000", name="万东镇", bureau=retirement.ws_staff.bureau)
    cadre = CadreFactory(username="wd_cadre", bureau=retirement.ws_staff.bureau, towns=[wansheng_town])
    assert field_bundle(viewer=cadre)["bundles"] == []


def test_what_the_field_app_sends_for_a_bundle_is_one_bundle_case_once(client, retirement):  # noqa: F811
    """The body static/field/app.js builds for a bundle taken offline, sent twice (a lost answer)."""
    client.force_login(retirement.cadre)
    body = {
        "item_code": "",
        "bundle": "retire",
        "channel": "booth",
        "person": None,
        "applicant_id": retirement.dai.pk,
        "service_point_code": "",
        "market_code": "market-shengping",
        "village_code": "",
        "description": "",
        "materials_received": ["居民身份证", "户口簿", "公积金联名卡"],
        "materials_missing": [],
        "no_materials_reason": "",
        "agent": None,
        "texts_to_applicant": True,
        "idempotency_key": "field-7f3a",
    }
    first = client.post("/api/v1/cases", body, content_type="application/json")
    again = client.post("/api/v1/cases", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"] and BundleCase.objects.count() == 1
