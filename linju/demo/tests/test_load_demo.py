import io

import pytest
from django.core.management import call_command

from linju.accounts.models import User
from linju.geo.models import MarketPlace, ServicePoint, Town, TravelTime, Village
from linju.people.idnumbers import parse_id_number
from linju.people.models import Resident


def load(residents: int = 300) -> str:
    out = io.StringIO()
    call_command("load_demo", "--residents", str(residents), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_the_district_and_is_idempotent():
    output = load()
    assert Town.objects.count() == 31
    assert Village.objects.count() == 480
    assert ServicePoint.objects.filter(kind="town_station").count() == 31
    assert ServicePoint.objects.filter(kind="district_hall").count() == 2
    assert MarketPlace.objects.filter(name="升平片场", town__name="永新镇").exists()
    assert not Town.objects.filter(market_places__isnull=True).exists()
    assert TravelTime.objects.filter(source="synthetic").count() > 10_000
    assert Resident.objects.count() == 300
    assert User.objects.get(username="yongxin_cadre").towns.get().name == "永新镇"
    assert "yongxin_cadre" in output

    snapshot = (
        list(
            Resident.objects.order_by("id_number").values_list("id_number", "name", "phone", "village__code")
        ),
        TravelTime.objects.count(),
        MarketPlace.villages.through.objects.count(),
        User.objects.get(username="admin").password,
    )
    second = load()
    assert "residents (synthetic): 0 created" in second
    assert snapshot == (
        list(
            Resident.objects.order_by("id_number").values_list("id_number", "name", "phone", "village__code")
        ),
        TravelTime.objects.count(),
        MarketPlace.villages.through.objects.count(),
        User.objects.get(username="admin").password,
    )


@pytest.mark.django_db
def test_demo_residents_are_valid_and_include_the_article_people():
    load(200)
    for resident in Resident.objects.all():
        parsed = parse_id_number(resident.id_number)
        assert parsed.birth_date == resident.birth_date
        assert parsed.sex == resident.sex
    dai = Resident.objects.get(name="代云峰")
    assert dai.village.name == "荆山村" and dai.village.town.name == "永新镇"
    assert Resident.objects.get(name="周开明").village.name == "龙井村"
    assert not Resident.objects.filter(is_synthetic=False).exists()


@pytest.mark.django_db
def test_more_residents_later_adds_only_the_new_ones():
    load(100)
    first = set(Resident.objects.values_list("id_number", flat=True))
    load(150)
    assert first < set(Resident.objects.values_list("id_number", flat=True))
    assert Resident.objects.count() == 150
