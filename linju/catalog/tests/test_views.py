import io

import pytest
from pypdf import PdfReader

from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.geo.tests.factories import ServicePointFactory, VillageFactory


@pytest.fixture
def town_with_station(db):
    station = ServicePointFactory(name="永新镇社保服务所")
    ServicePointFactory(
        kind="district_hall", code="hall-x", town=station.town, name="綦江区人力社保局服务大厅"
    )
    DelegationFactory(item=ServiceItemFactory(code="UI-002"), town=station.town)
    return station


def test_catalogue_page_searches_by_initials(client, town_with_station):
    html = client.get("/catalog/", {"q": "sybx"}).content.decode()
    assert "失业保险金申领" in html


def test_item_page_chooses_a_village_in_two_steps_and_remembers_it(client, town_with_station):
    village = VillageFactory(town=town_with_station.town, name="荆山村")
    step1 = client.get("/catalog/items/UI-002/", {"town": village.town.code}).content.decode()
    assert "荆山村" in step1 and 'name="village"' in step1
    step2 = client.get("/catalog/items/UI-002/", {"town": village.town.code, "village": village.code})
    assert step2.cookies["linju_village"].value == village.code
    assert "永新镇社保服务所" in step2.content.decode()
    again = client.get("/catalog/items/UI-002/").content.decode()
    assert "荆山村" in again and "永新镇社保服务所" in again


def test_unknown_item_page_is_404(client, db):
    assert client.get("/catalog/items/NOPE/").status_code == 404


def test_card_page_and_pdf(client, town_with_station):
    code = town_with_station.town.code
    page = client.get(f"/towns/{code}/").content.decode()
    assert "永新镇社保服务所" in page and "<svg" in page
    response = client.get(f"/towns/{code}/card.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "永新镇社保服务所" in text
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append(
                (
                    str(font["/BaseFont"]),
                    any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                )
            )
    assert fonts and all(embedded for _name, embedded in fonts)
    assert any("CJK" in name for name, _embedded in fonts)


def test_unknown_town_card_is_404(client, db):
    assert client.get("/towns/000000000000/").status_code == 404


def test_the_card_pdf_is_rendered_once_until_the_town_changes(client, town_with_station, monkeypatch):
    from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
    from linju.core import pdf

    rendered = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: rendered.append(1) or real(html, **kw))
    url = f"/towns/{town_with_station.town.code}/card.pdf"
    first = client.get(url).content
    assert client.get(url).content == first and len(rendered) == 1
    DelegationFactory(item=ServiceItemFactory(code="NEW-001", name="新办事项"), town=town_with_station.town)
    changed = client.get(url).content
    assert len(rendered) == 2 and "新办事项" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(changed)).pages
    )
