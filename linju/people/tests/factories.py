import datetime

import factory

from linju.geo.tests.factories import VillageFactory
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident
from linju.people.names import name_initials, name_pinyin
from linju.people.services import people_directory_record


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    name = factory.Sequence(lambda n: "周开明" if n == 0 else f"李{'明华国强'[n % 4]}{'山川'[n % 2]}")
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    name_pinyin = factory.LazyAttribute(lambda o: name_pinyin(o.name))
    # Born in 1960–1964 whatever the sequence has reached: past sixty, and past the retirement age
    # of the men and women born then, so no resident made without a birth date enters a roster of
    # those retiring soon, however many residents the tests before made.
    birth_date = factory.Sequence(lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 1827))
    sex = "M"
    id_number = factory.LazyAttributeSequence(
        lambda o, n: build_id_number("500222", o.birth_date, (n % 400) * 2 + (1 if o.sex == "M" else 0))
    )
    id_last4 = factory.LazyAttribute(lambda o: o.id_number[-4:])
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    village = factory.SubFactory(VillageFactory)
    bureau = factory.SelfAttribute("village.town.bureau")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        resident = super()._create(model_class, *args, **kwargs)
        people_directory_record(residents=[resident], how="registration")
        return resident


def newcomer(serial: int) -> dict:
    """A person not yet on the register, as an intake names them (the API's `person`): 林小芳 of
    荆山村, born 3 March 1990; `serial` tells one newcomer's ID number from another's."""
    return {
        "name": "林小芳",
        "id_number": build_id_number("500222", datetime.date(1990, 3, 3), serial),
        "phone": "13800138000",
        "village_code": "500110113225",
    }
