import io

import pytest
from django.core.management import call_command

from linju.accounts.models import User
from linju.geo.models import MarketPlace, ServicePoint, Town, TravelTime, Village
from linju.people.idnumbers import parse_id_number
from linju.people.models import Person, Resident


def load(residents: int = 300) -> str:
    out = io.StringIO()
    call_command("load_demo", "--residents", str(residents), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.heavy  # a check of scale: the demo loaded, grown and loaded again (the suite loads it once per worker)
def test_demo_loads_the_district_grows_and_is_idempotent():
    """One whole load (they are the slow part of the suite), then more residents, then the same
    again: the district, valid people with the article's two among them, only the new ones added,
    and nothing changed by a repeat."""
    output = load(100)
    assert Town.objects.count() == 31
    assert Village.objects.count() == 480
    assert ServicePoint.objects.filter(kind="town_station").count() == 31
    assert ServicePoint.objects.filter(kind="district_hall").count() == 2
    assert MarketPlace.objects.filter(name="升平片场", town__name="永新镇").exists()
    assert not Town.objects.filter(market_places__isnull=True).exists()
    assert TravelTime.objects.filter(source="synthetic").count() > 10_000
    assert Resident.objects.count() == 100
    assert User.objects.get(username="yongxin_cadre").towns.get().name == "永新镇"
    assert "yongxin_cadre" in output
    for resident in Resident.objects.select_related("village__town"):
        parsed = parse_id_number(resident.id_number)
        assert parsed.birth_date == resident.birth_date
        assert parsed.sex == resident.sex
        assert resident.bureau_id == resident.village.town.bureau_id
    dai = Resident.objects.get(name="代云峰")
    assert dai.village.name == "荆山村" and dai.village.town.name == "永新镇"
    assert Resident.objects.get(name="周开明").village.name == "龙井村"
    assert not Resident.objects.filter(is_synthetic=False).exists()

    first = set(Resident.objects.values_list("id_number", flat=True))
    load(150)
    assert first < set(Resident.objects.values_list("id_number", flat=True))
    assert Resident.objects.count() == 150
    # everyone is in the directory of ID numbers, in the bureau that holds them
    assert set(Person.objects.values_list("id_number", "bureau_id")) == set(
        Resident.objects.values_list("id_number", "bureau_id")
    )

    snapshot = (
        list(
            Resident.objects.order_by("id_number").values_list("id_number", "name", "phone", "village__code")
        ),
        TravelTime.objects.count(),
        MarketPlace.villages.through.objects.count(),
        User.objects.get(username="admin").password,
    )
    second = load(150)
    assert "residents (synthetic): 0 created" in second
    assert "items 0, partner offices 0, bundles 0 created" in second
    assert snapshot == (
        list(
            Resident.objects.order_by("id_number").values_list("id_number", "name", "phone", "village__code")
        ),
        TravelTime.objects.count(),
        MarketPlace.villages.through.objects.count(),
        User.objects.get(username="admin").password,
    )
