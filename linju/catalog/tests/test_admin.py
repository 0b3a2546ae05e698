import pytest
from django.urls import reverse

from linju.accounts.tests.factories import AdminFactory
from linju.catalog.models import Delegation
from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.geo.tests.factories import TownFactory


@pytest.fixture
def admin_client(client, db):
    admin = AdminFactory(is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_admin_adds_a_delegation_and_history_names_them(admin_client):
    item, town = ServiceItemFactory(), TownFactory()
    response = admin_client.post(
        reverse("admin:catalog_delegation_add"),
        {"item": item.pk, "town": town.pk, "mode": "finish", "valid_from": "2014-07-01", "note": "试点"},
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.history.get().history_user == admin_client.admin


def test_admin_form_refuses_an_overlap(admin_client):
    existing = DelegationFactory()
    response = admin_client.post(
        reverse("admin:catalog_delegation_add"),
        {
            "item": existing.item.pk,
            "town": existing.town.pk,
            "mode": "accept_forward",
            "valid_from": "2020-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "已有该事项" in response.content.decode()
    assert Delegation.objects.count() == 1


def test_item_history_page_opens(admin_client):
    item = ServiceItemFactory()
    assert admin_client.get(reverse("admin:catalog_serviceitem_history", args=[item.pk])).status_code == 200
