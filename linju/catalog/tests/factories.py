import datetime

import factory

from linju.catalog.bundles import bundles_changed
from linju.catalog.models import (
    Bundle,
    BundlePart,
    BundleVersion,
    Category,
    Delegation,
    Department,
    FormQuestion,
    ItemQuestion,
    Material,
    PartnerOffice,
    ServiceItem,
)
from linju.catalog.selectors import catalogue_changed
from linju.geo.tests.factories import BureauFactory, TownFactory


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


class FormQuestionFactory(CatalogueFactory):
    class Meta:
        model = FormQuestion
        django_get_or_create = ["code"]

    code = "bank-account"
    text = "本人银行账号"
    text_en = "Your bank account"
    kind = FormQuestion.Kind.BANK_ACCOUNT


class ItemQuestionFactory(CatalogueFactory):
    class Meta:
        model = ItemQuestion

    item = factory.SubFactory(ServiceItemFactory)
    question = factory.SubFactory(FormQuestionFactory)


class BundlesFactory(factory.django.DjangoModelFactory):
    """Rows of the bundles every process holds: creating one says so, as the admin does."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        bundles_changed()
        return obj


class PartnerOfficeFactory(BundlesFactory):
    class Meta:
        model = PartnerOffice

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"partner-{n}")
    name = "住房公积金管理分中心(示例)"
    department = Department.HOUSING_FUND
    phone = "023-48901001"
    address = "綦江区(示例地址)"
    delivery = PartnerOffice.Delivery.PLATFORM
    is_synthetic = True


class BundleFactory(BundlesFactory):
    class Meta:
        model = Bundle

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"BD-{n:03d}")
    name = "退休一件事"
    name_en = "Retiring, in one application"
    description = "退休审批、养老金和公积金,一次办。"


class BundleVersionFactory(BundlesFactory):
    class Meta:
        model = BundleVersion

    bundle = factory.SubFactory(BundleFactory)
    valid_from = datetime.date(2025, 1, 1)


class BundlePartFactory(BundlesFactory):
    class Meta:
        model = BundlePart

    version = factory.SubFactory(BundleVersionFactory)
    item = factory.SubFactory(ServiceItemFactory)
