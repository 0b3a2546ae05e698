import factory

from linju.geo.models import Bureau, District, MarketPlace, ServicePoint, Town, Village
from linju.geo.selectors import places_changed


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ["zone"]

    zone = "綦江"
    jurisdiction_id = factory.LazyAttribute(lambda o: "qijiang" if o.zone == "綦江" else "wansheng")
    name = "重庆市綦江区人力资源和社会保障局"
    short_name = "綦江区人力社保局"
    code = factory.LazyAttribute(lambda o: {"綦江": "QJ", "万盛经开区": "WS"}.get(o.zone, "XX"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        bureau = super()._create(model_class, *args, **kwargs)
        places_changed()
        return bureau


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = "500110000000"
    name = "綦江区"
    full_name = "綦江区"


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    code = factory.Sequence(lambda n: f"5001{10200 + n:05d}000")  # 12 digits for the first 89,800 towns
    name = factory.Sequence(lambda n: f"测试{n}镇")
    full_name = factory.SelfAttribute("name")
    district = factory.SubFactory(DistrictFactory)
    bureau = factory.SubFactory(BureauFactory)
    latitude = 29.0
    longitude = 106.6


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    town = factory.SubFactory(TownFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.town.code[:9]}{200 + n % 800:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")
    full_name = factory.LazyAttribute(lambda o: f"{o.name}村民委员会")
    latitude = 29.01
    longitude = 106.61


class PlaceFactory(factory.django.DjangoModelFactory):
    """Service points and market places are held by every process: creating one says so."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        place = super()._create(model_class, *args, **kwargs)
        places_changed()
        return place


class ServicePointFactory(PlaceFactory):
    class Meta:
        model = ServicePoint

    town = factory.SubFactory(TownFactory)
    bureau = factory.SelfAttribute("town.bureau")
    code = factory.LazyAttribute(lambda o: f"station-{o.town.code}")
    kind = ServicePoint.Kind.TOWN_STATION
    name = factory.LazyAttribute(lambda o: f"{o.town.name}社保服务所")
    address = "示例地址"
    phone = "023-48612345"
    opening_hours = "周一至周五 9:00–17:30"


class MarketPlaceFactory(PlaceFactory):
    class Meta:
        model = MarketPlace

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"market-{n}")
    name = factory.Sequence(lambda n: f"测试{n}场镇")
    kind = MarketPlace.Kind.TOWN_MARKET
