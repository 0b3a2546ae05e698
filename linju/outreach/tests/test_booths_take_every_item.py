"""A booth takes every item the station takes (the one rule of acceptance), not only the items it
features: its page offers them all for a consultation and a case, the public answers list it for
each, and the village page says how many it takes and finishes."""

import datetime

import pytest
from django.urls import reverse

from linju.catalog.selectors import catalogue_changed, item_by_code
from linju.outreach.models import Consultation
from linju.outreach.services import booth_session_create
from linju.portal.where import places_to_apply

D = datetime.date


@pytest.fixture
def booth(outreach_towns):
    """A booth at 升平 that features (brings the forms of) one item only."""
    type(outreach_towns.lr).objects.filter(pk=outreach_towns.lr.pk).update(
        hall_only=True, hall_only_reason="须当面核对证据原件。"
    )
    catalogue_changed()
    return booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
        item_codes=["UI-002"],
    )


def test_the_booth_page_offers_every_item_the_booth_takes(client, outreach_towns, booth):
    client.force_login(outreach_towns.cadre)
    page = client.get(reverse("outreach:booth", args=[booth.pk])).content.decode()
    consult = page.split('id="consult"')[1].split("</form>")[0]
    chips = page.split('class="chips"')[1].split("</nav>")[0]
    for taken in ("失业保险金申领", "医疗救助申请", "宅基地复垦户养老保险办理"):
        assert taken in consult and taken in chips
    assert "劳动人事争议仲裁申请" not in consult and "劳动人事争议仲裁申请" not in chips  # the hall's
    assert "item=MD-005&channel=booth&place=market:market-shengping" in chips
    client.post(reverse("outreach:booth", args=[booth.pk]), {"item_code": "MD-005", "note": ""})
    assert Consultation.objects.get().item == outreach_towns.md


def test_where_lists_the_booth_for_an_item_it_does_not_feature(outreach_towns, booth):
    from linju.conftest_world import at

    assert not booth.items.filter(pk=outreach_towns.md.pk).exists()
    places = places_to_apply(item=outreach_towns.md, village=outreach_towns.jingshan, now=at(2026, 11, 30))
    shown = next(p for p in places if p.kind == "booth")
    assert shown.code == "market-shengping" and shown.next_open.date() == D(2026, 12, 2)
    assert shown.mode == "accept_forward" and shown.says == "此处受理,当天转区局"
    hall_only = places_to_apply(
        item=item_by_code(code="LR-002"), village=outreach_towns.jingshan, now=at(2026, 11, 30)
    )
    assert [p.kind for p in hall_only] == ["hall"]


def test_the_village_page_says_what_each_booth_takes(client, outreach_towns, booth, monkeypatch):
    from linju.outreach import selectors

    monkeypatch.setattr(selectors, "first_booth_day", lambda now=None: D(2026, 11, 30))
    page = client.get(reverse("village", args=[outreach_towns.jingshan.code])).content.decode()
    assert "升平片场" in page
    assert "可受理 3 类事项:其中 2 项在摊位上办结,其余当天转区局办理。" in page
