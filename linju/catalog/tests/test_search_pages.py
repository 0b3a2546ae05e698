"""The search as the catalogue page, the JSON API and the admin offer it."""

import pytest
from django.urls import reverse

from linju.accounts.tests.factories import AdminFactory
from linju.catalog.models import ItemAlias, ServiceItem
from linju.catalog.search import MAX_QUERY
from linju.conftest_demo import rows_for_module
from linju.demo.catalog import load_catalog


@pytest.fixture(scope="module")
def catalogue_for_module(request, django_db_setup, django_db_blocker):
    """The demo's catalogue, committed once for this module's tests (each test's writes roll back)."""
    with rows_for_module(request, django_db_blocker, load_catalog):
        yield


@pytest.fixture
def demo_catalogue(catalogue_for_module, db):
    pass


def page(client, query: str, **extra):
    return client.get("/catalog/", {"q": query, **extra}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_page_lists_the_item_first_and_the_name_people_use_that_found_it(client, demo_catalogue):
    response = page(client, "宅基地复垦养老保险")
    html = response.content.decode()
    assert response.status_code == 200
    first_row = html.split('<ul class="results">')[1].split("</li>")[0]
    assert "宅基地复垦户养老保险办理" in first_row and "也叫“宅基地复垦养老保险”" in first_row


def test_the_page_asks_did_you_mean_when_nothing_matches_well(client, demo_catalogue):
    html = page(client, "我弟弟看病要花一大笔钱有没有补助").content.decode()
    assert "您是不是要找:" in html
    suggestions = html.split('id="did-you-mean"')[1]
    assert "医疗救助申请" in suggestions
    assert "没有找到" not in html


def test_the_page_says_plainly_when_nothing_is_found(client, demo_catalogue):
    html = page(client, "天气预报").content.decode()
    assert "没有找到。换个说法试试" in html and "您是不是要找" not in html


def test_punctuation_alone_shows_the_whole_catalogue(client, demo_catalogue):
    html = page(client, "?!。").content.decode()
    assert "没有找到" not in html and html.count('<ul class="results">') == 8  # one a category


@pytest.mark.parametrize("length", [MAX_QUERY + 1, 5000])
def test_a_query_too_long_is_refused_with_a_message_not_cut(client, demo_catalogue, length):
    response = page(client, "养" * length)
    assert response.status_code == 400
    assert "40" in response.content.decode() and 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("query", ["失业\x00保险", "sy\x07bx", "失业\x85保险"])
def test_control_characters_in_a_query_are_refused_not_a_server_error(client, demo_catalogue, query):
    assert page(client, query).status_code == 400


@pytest.mark.parametrize("mark", ["\u200b", "\u202e", "\ufeff"])
def test_an_invisible_mark_in_a_query_is_ignored(client, demo_catalogue, mark):
    html = page(client, f"失业{mark}保险金").content.decode()
    assert "失业保险金申领" in html


def test_the_api_lists_what_the_search_finds(client, demo_catalogue):
    body = client.get("/api/v1/catalog/items", {"q": "宅基地复恳"}).json()
    assert body[0]["code"] == "PE-003"


def test_the_api_search_gives_suggestions_and_the_name_people_use(client, demo_catalogue):
    found = client.get("/api/v1/catalog/search", {"q": "退房养老"}).json()
    assert found["items"][0]["code"] == "PE-003" and found["suggestions"] == []
    assert found["also_called"]["PE-003"] == "退房养老"
    meant = client.get("/api/v1/catalog/search", {"q": "我弟弟看病要花一大笔钱有没有补助"}).json()
    assert meant["items"] == [] and meant["suggestions"][0]["code"] == "MD-006"
    nothing = client.get("/api/v1/catalog/search", {"q": "天气预报"}).json()
    assert nothing == {"bundles": [], "items": [], "suggestions": [], "also_called": {}}


@pytest.mark.parametrize("url", ["/api/v1/catalog/search", "/api/v1/catalog/items"])
def test_the_api_refuses_a_query_too_long(client, demo_catalogue, url):
    response = client.get(url, {"q": "养" * (MAX_QUERY + 1)})
    assert response.status_code == 422
    assert "q" in response.json()["errors"]


def test_the_api_refuses_control_characters(client, demo_catalogue):
    assert client.get("/api/v1/catalog/search", {"q": "失业\x00"}).status_code == 400


def test_the_admin_adds_a_name_people_use_and_the_search_finds_it(client, demo_catalogue):
    admin = AdminFactory(is_superuser=True)
    client.force_login(admin)
    item = ServiceItem.objects.get(code="AS-003")
    change = client.get(
        reverse("admin:catalog_serviceitem_change", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "群众叫法" in change.content.decode() and "上门认证" in change.content.decode()
    assert "失能老人上门服务预约" not in page(client, "老辈子办事").content.decode()
    response = client.post(
        reverse("admin:catalog_itemalias_add"), {"item": item.pk, "name": "老辈子办事", "kind": "colloquial"}
    )
    assert response.status_code == 302
    assert ItemAlias.objects.get(name="老辈子办事").history.get().history_user == admin
    assert "失能老人上门服务预约" in page(client, "老辈子办事").content.decode()


def test_the_admin_refuses_a_name_the_item_already_has(client, demo_catalogue):
    client.force_login(AdminFactory(is_superuser=True))
    item = ServiceItem.objects.get(code="PE-003")
    response = client.post(
        reverse("admin:catalog_itemalias_add"), {"item": item.pk, "name": "退房养老", "kind": "colloquial"}
    )
    assert response.status_code == 200
    assert item.aliases.filter(name="退房养老").count() == 1
