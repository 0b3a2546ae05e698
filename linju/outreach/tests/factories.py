import datetime

import factory

from linju.outreach.models import Pensioner, SignOfLife
from linju.people.tests.factories import ResidentFactory


class PensionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pensioner

    resident = factory.SubFactory(ResidentFactory, birth_date=datetime.date(1950, 6, 1))
    bureau = factory.LazyAttribute(lambda p: p.resident.bureau)


class SignOfLifeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignOfLife

    resident = factory.SubFactory(ResidentFactory)
    bureau = factory.LazyAttribute(lambda s: s.resident.bureau)
    kind = SignOfLife.Kind.MEDICAL
    date = datetime.date(2026, 5, 3)
    source_note = "医保结算系统"
