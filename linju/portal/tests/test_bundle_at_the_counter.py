"""A bundle (一件事) taken on the intake page, without JavaScript: chosen in step 1 beside the items,
its one list of papers in step 2 (each asked once), then one bundle case and its receipt."""

from django.urls import reverse

from linju.cases.models import BundleCase
from linju.cases.tests.conftest import retirement  # noqa: F401 (the bundle world, a fixture)

QUERY = "?item=bundle:retire&channel=counter&place=point:station-yx"


def test_a_bundle_taken_at_the_counter_makes_one_bundle_case(client, retirement):  # noqa: F811
    client.force_login(retirement.cadre)
    step1 = client.get(reverse("cases:new"), {"channel": "counter", "place": "point:station-yx"})
    assert 'value="bundle:retire"' in step1.content.decode()
    step2 = client.get(reverse("cases:new") + QUERY).content.decode()
    assert "退休一件事" in step2 and "綦江住房公积金管理中心（示例）" in step2
    assert step2.count(">居民身份证<") == 1  # asked once, though all three items need it
    form = {
        "name": retirement.dai.name,
        "id_number": retirement.dai.id_number,
        "phone": "13912345678",
        "village_code": "500110113225",
        "material_0": "received",
        "material_1": "received",
        "material_2": "received",
        "material_3": "missing",
        "texts_to_applicant": "on",
        "idempotency_key": "form-b1",
    }
    response = client.post(reverse("cases:new") + QUERY, form)
    bundle_case = BundleCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:bundle-receipt", args=[bundle_case.number])
    assert bundle_case.channel == "counter" and bundle_case.taken_at_point.code == "station-yx"
    assert [p.status for p in bundle_case.parts.order_by("id")] == ["forwarded", "accepted", "suspended"]
    again = client.post(reverse("cases:new") + QUERY, form)
    assert again.status_code == 302 and BundleCase.objects.count() == 1  # a double tap makes one
