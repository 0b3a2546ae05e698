"""The register of village helpers in the administration site: an ID number is written whole (18
characters) and kept encrypted; a wrong one is refused by the form, not by the database."""

import datetime

import pytest
from django.urls import reverse

from linju.accounts.tests.factories import AdminFactory
from linju.consent.models import VillageHelper
from linju.people.idnumbers import build_id_number


@pytest.fixture
def admin_client(client, towns_and_staff):
    client.force_login(AdminFactory(is_superuser=True, bureau=None))
    return client


def test_a_helper_is_added_with_an_id_number_of_18_characters_and_refused_with_another(
    admin_client, towns_and_staff
):
    number = build_id_number("500222", datetime.date(1980, 2, 2), 31)
    form = {"village": towns_and_staff.jingshan.pk, "name": "刘代办", "phone": "13600001111", "active": "on"}
    url = reverse("admin:consent_villagehelper_add")
    for wrong in ("5002221980", number + "1"):
        answer = admin_client.post(url, form | {"id_number": wrong})
        assert answer.status_code == 200 and "id_number" in answer.context["adminform"].form.errors
    assert admin_client.post(url, form | {"id_number": number}).status_code == 302
    assert VillageHelper.objects.get(id_number=number).phone == "13600001111"
    assert admin_client.get(reverse("admin:consent_villagehelper_changelist"), {"q": "刘"}).status_code == 200
