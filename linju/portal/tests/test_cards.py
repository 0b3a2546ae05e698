"""Town cards are built by a huey job every night, so the day's first download is served at once."""

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
        with max_queries(7):  # town, station, items, hall, markets, booth days, villages: no PDF work
            response = client.get(f"/towns/{station.town.code}/card.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert huey_worker.queued() == []


def test_an_unknown_towns_card_queues_nothing(client, db, huey_worker):
    assert client.get("/towns/000000000000/card.pdf").status_code == 404
    assert huey_worker.queued() == []
