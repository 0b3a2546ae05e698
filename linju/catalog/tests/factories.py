import datetime

import factory

from linju.catalog.models import Category, Delegation, Material, ServiceItem
from linju.catalog.selectors import catalogue_changed
from linju.geo.tests.factories import TownFactory


class CatalogueFactory(factory.django.DjangoModelFactory):
    """Rows of the catalogue every process holds: creating one says so, as the services and the admin do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        catalogue_changed()
        return obj


class CategoryFactory(CatalogueFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = "unemployment"
    name = "失业保险"


class ServiceItemFactory(CatalogueFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"T-{n:03d}")
    category = factory.SubFactory(CategoryFactory)
    name = "失业保险金申领"
    description = "失业后按月领取失业保险金。"
    eligibility = "缴费满1年、非本人意愿中断就业的人员。"
    time_limit_days = 5
    channels = ["counter", "booth", "online"]
    valid_from = datetime.date(2014, 1, 1)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ServiceItemFactory)
    name = "居民身份证原件"


class DelegationFactory(CatalogueFactory):
    class Meta:
        model = Delegation

    item = factory.SubFactory(ServiceItemFactory)
    town = factory.SubFactory(TownFactory)
    mode = Delegation.Mode.FINISH
    valid_from = datetime.date(2014, 7, 1)
