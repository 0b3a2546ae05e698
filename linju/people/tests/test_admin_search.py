"""The administration site's search of residents: the staff's one box (a name, the last four of an
ID number, a whole phone), answered through the blind indexes of the encrypted columns."""

import pytest
from django.urls import reverse

from linju.accounts.tests.factories import AdminFactory


@pytest.fixture
def admin_client(client, towns_and_staff):
    client.force_login(AdminFactory(is_superuser=True, bureau=None))
    return client


@pytest.mark.parametrize("term", ["last4", "phone", "name"])
def test_the_admin_finds_a_resident_by_what_the_search_box_takes(admin_client, towns_and_staff, term):
    dai = towns_and_staff.dai
    query = {"last4": dai.id_number[-4:], "phone": dai.phone, "name": "代云"}[term]
    answer = admin_client.get(reverse("admin:people_resident_changelist"), {"q": query})
    assert answer.status_code == 200
    assert [r.pk for r in answer.context["cl"].result_list] == [dai.pk]
