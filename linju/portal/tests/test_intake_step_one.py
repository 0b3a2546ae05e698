"""Step 1 of intake says, for the place chosen, what is finished here, what is forwarded and what
cannot be taken at all (with where to go instead), before anything about the person is typed."""

import pytest
from django.urls import reverse

from linju.accounts.tests.factories import bearer
from linju.cases.models import Case
from linju.catalog.selectors import catalogue_changed
from linju.catalog.tests.factories import ServiceItemFactory
from linju.portal.intake import intake_options


@pytest.fixture
def hall_only(served):
    type(served.lr).objects.filter(pk=served.lr.pk).update(
        hall_only=True, hall_only_reason="须当面核对证据原件。"
    )
    catalogue_changed()


def test_the_booth_shows_what_it_finishes_forwards_and_refuses(served, client, hall_only):
    client.force_login(served.cadre)
    page = client.get(reverse("cases:new"), {"channel": "booth", "place": "market:market-shengping"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "升平片场能办的事项" in html
    rows = {row.split("</td>")[0]: row for row in html.split('<tr class="option-')[1:]}
    finish = next(r for r in rows.values() if "失业保险金申领" in r)
    forward = next(r for r in rows.values() if "医疗救助申请" in r)
    refused = next(r for r in rows.values() if "劳动人事争议仲裁申请" in r)
    assert finish.startswith("finish_here") and "永新镇社保服务所" in finish and "2026" in finish
    assert forward.startswith("forward") and "当天转綦江区人力社保局服务大厅" in forward
    assert refused.startswith("hall_only") and "须当面核对证据原件" in refused and "<a " not in refused


def test_a_hall_only_item_is_refused_at_step_one_with_where_to_go(served, client, hall_only):
    client.force_login(served.cadre)
    page = client.get(
        reverse("cases:new"), {"channel": "booth", "place": "market:market-shengping", "item": "LR-002"}
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert (
        "只能在区服务大厅办理" in html and "须当面核对证据原件" in html and "綦江区人力社保局服务大厅" in html
    )
    assert 'id="id_name"' not in html  # step 2 never shown
    assert not Case.objects.exists()


def test_by_phone_only_the_items_listed_for_phone(served, client):
    type(served.lr).objects.filter(pk=served.lr.pk).update(channels=["counter"])
    catalogue_changed()
    client.force_login(served.cadre)
    page = client.get(
        reverse("cases:new"), {"channel": "phone", "place": "point:station-yx", "item": "LR-002"}
    )
    assert page.status_code == 400 and "不能用这种方式办理" in page.content.decode()
    # in person, the same item is taken: acceptance is not the channel list
    booth = client.get(
        reverse("cases:new"), {"channel": "booth", "place": "market:market-shengping", "item": "LR-002"}
    )
    assert booth.status_code == 200 and 'id="id_name"' in booth.content.decode()


def test_a_place_outside_the_viewers_towns_is_not_offered(served, client):
    client.force_login(served.dongxi_cadre)
    page = client.get(reverse("cases:new"), {"channel": "booth", "place": "market:market-shengping"})
    assert page.status_code == 400 and "升平片场能办的事项" not in page.content.decode()


def test_the_api_says_the_same(served, client, hall_only):
    auth = bearer(served.cadre)
    body = client.get(
        "/api/v1/intake-options", {"place": "market:market-shengping", "channel": "booth"}, **auth
    ).json()
    modes = {o["item_code"]: o["mode"] for o in body["items"]}
    assert (
        modes["UI-002"] == "finish_here" and modes["MD-005"] == "forward" and modes["LR-002"] == "hall_only"
    )
    one = client.get(
        "/api/v1/intake-options",
        {"place": "market:market-shengping", "channel": "booth", "item": "LR-002"},
        **auth,
    ).json()["items"][0]
    assert one["mode"] == "hall_only" and one["instead"][0]["name"] == "綦江区人力社保局服务大厅"
    assert one["promised_date"] is None
    refused = client.get("/api/v1/intake-options", {"place": "market:nowhere", "channel": "booth"}, **auth)
    assert refused.status_code == 404
    bad = client.get(
        "/api/v1/intake-options", {"place": "market:market-shengping", "channel": "pigeon"}, **auth
    )
    assert bad.status_code == 400
    assert client.get("/api/v1/intake-options", {"place": "x", "channel": "booth"}).status_code == 401


def test_step_one_promises_a_forwarded_item_done_on_the_spot_for_the_next_working_day(served, client):
    """An item with no time limit that the station does not finish is sent to the district: step 1 and
    step 2 promise a date, never "on the spot"; an item the station finishes stays on the spot."""
    ServiceItemFactory(code="SC-009", name="电子社会保障卡签发", time_limit_days=0)  # no delegation
    catalogue_changed()
    _spot, options = intake_options(viewer=served.cadre, place="point:station-yx", channel="counter")
    by_code = {option.item.code: option for option in options}
    assert (by_code["SC-009"].mode, by_code["SC-009"].days) == ("forward", 1)
    assert (by_code["PE-003"].mode, by_code["PE-003"].days) == ("finish_here", 0)
    client.force_login(served.cadre)
    step_two = client.get(
        reverse("cases:new"), {"channel": "counter", "place": "point:station-yx", "item": "SC-009"}
    ).content.decode()
    shown = step_two.split("<main", 1)[1]
    assert "当场办结" not in shown and "1 个工作日内办结" in shown


def test_step_two_leaves_the_terminal_to_the_device_and_the_village_to_the_cadre(served, client):
    """No raw place key in the terminal field, no village chosen in advance (an empty required choice),
    and every phone typed on the digit keypad."""
    client.force_login(served.cadre)
    page = client.get(
        reverse("cases:new"), {"channel": "counter", "place": "point:station-yx", "item": "UI-002"}
    ).content.decode()
    terminal = page.split('name="identification_terminal"', 1)[1].split(">", 1)[0]
    assert "station-yx" not in terminal and "value=" not in terminal
    village = page.split('name="village_code"', 1)[1].split("</select>", 1)[0]
    assert (
        '<option value="" selected>' in village
        and "required" in page.split('name="village_code"', 1)[0][-200:] + village[:40]
    )
    for name in ("phone", "agent_phone"):
        field = page.split(f'name="{name}"', 1)[1].split(">", 1)[0]
        assert 'type="tel"' in page.split(f'name="{name}"', 1)[0][-40:] and 'inputmode="numeric"' in field


def test_step_one_hint_names_the_button_as_it_reads(served, client):
    client.force_login(served.cadre)
    page = client.get(reverse("cases:new")).content.decode()
    assert "点“下一步”" in page and ">下一步</button>" in page and "继续" not in page
