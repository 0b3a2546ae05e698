"""A bundle may open only so many months before the applicant's statutory retirement month (退休一件事:
six): set in the administration site, 0 to 12 or empty, the database holding the same bounds, and
said on the bundle's public page in general words (the page knows nobody's birth date)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from linju.catalog.bundles import bundles_changed
from linju.catalog.models import Bundle
from linju.catalog.tests.test_bundle_admin import bundle_form, bureau_admin  # noqa: F401 (a fixture)


def test_the_administrator_sets_the_months_from_0_to_12(client, served, bureau_admin):  # noqa: F811
    refused = client.post(
        reverse("admin:catalog_bundle_add"), bundle_form(opens_months_before_retirement="13")
    )
    assert refused.status_code == 200 and not Bundle.objects.exists()
    assert "opens_months_before_retirement" in refused.context["adminform"].form.errors
    negative = client.post(
        reverse("admin:catalog_bundle_add"), bundle_form(opens_months_before_retirement="-1")
    )
    assert negative.status_code == 200 and not Bundle.objects.exists()
    added = client.post(reverse("admin:catalog_bundle_add"), bundle_form(opens_months_before_retirement="6"))
    assert added.status_code == 302
    assert Bundle.objects.get(code="QJ-JOBLOSS").opens_months_before_retirement == 6
    form = client.get(reverse("admin:catalog_bundle_change", args=[Bundle.objects.get().pk])).content.decode()
    assert 'name="opens_months_before_retirement"' in form


@pytest.mark.parametrize("months", [13, -1])
def test_the_database_holds_the_months_to_0_to_12(bundled, months):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=months)
    Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=12)
    Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=None)


def test_the_public_page_says_from_when_one_can_apply(client, bundled):
    url = reverse("catalog:bundle", args=["QJ-RETIRE"])
    assert "退休前" not in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=6)
    bundles_changed()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from 6 months before your statutory retirement month" in english
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()  # last: the language stays
    assert "退休前6个月起可以申请" in page and reverse("retirement") in page
