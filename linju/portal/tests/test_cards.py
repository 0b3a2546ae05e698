"""Town cards are built by a huey job every night, so the day's first download is served at once."""

from linju.catalog.selectors import catalogue_changed
from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.core import pdf
from linju.geo.models import Town
from linju.geo.tests.factories import ServicePointFactory
from linju.portal.tasks import town_cards_ahead


def test_every_towns_card_is_built_overnight(client, db, huey_worker, monkeypatch, max_queries):
    stations = [ServicePointFactory(name=f"第{n}社保服务所") for n in range(2)]
    for station in stations:
        DelegationFactory(item=ServiceItemFactory(), town=station.town)
    assert town_cards_ahead.call_local() == Town.objects.count() == 2
    assert sorted(args for _, args in huey_worker.queued()) == sorted(
        ("town-card", s.town.code, "zh-hans") for s in stations
    )
    assert huey_worker.run() == 2

    def no_rendering(html, **kw):
        raise AssertionError("rendered in the request")

    monkeypatch.setattr(pdf, "render_pdf", no_rendering)
    for station in stations:
        with max_queries(6):  # town, station, hall, markets, booth days, villages: no PDF work
            response = client.get(f"/towns/{station.town.code}/card.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert huey_worker.queued() == []


def test_an_unknown_towns_card_queues_nothing(client, db, huey_worker):
    assert client.get("/towns/000000000000/card.pdf").status_code == 404
    assert huey_worker.queued() == []


def test_the_card_says_every_item_is_handed_in_at_the_station_and_the_booths(client, served):
    type(served.lr).objects.filter(pk=served.lr.pk).update(
        hall_only=True, hall_only_reason="须当面核对证据原件。"
    )
    catalogue_changed()
    served.market.cycle = "逢二五八"
    served.market.save()
    page = client.get(f"/towns/{served.yongxin.code}/").content.decode()
    assert "以下每一项事项,都可以在社保服务所和每个赶场服务点递交:其中 2 项在这里办结" in page
    finished = page.split("在服务所即可办结的事项")[1].split("</ul>")[0]
    forwarded = page.split("在服务所受理、转区局办结的事项")[1].split("</ul>")[0]
    assert "失业保险金申领" in finished and "宅基地复垦户养老保险办理" in finished
    assert "医疗救助申请" in forwarded
    assert "只在区人力社保局服务大厅办理:" in page and "劳动人事争议仲裁申请" in page.split("只在区人力")[1]
    assert "其他事项" not in page
