"""Registering many residents at once (a spreadsheet's rows): refused for the same reasons as one
registration, households found or created in the resident's village, saved a batch at a time."""

from django.db import connection

from linju.core.crypto import Keyring
from linju.core.errors import Conflict
from linju.people.idnumbers import check_digit
from linju.people.models import Household, Person, Resident
from linju.people.services import registration_refusals, resident_build, residents_register_in_bulk


def id_number(n: int) -> str:
    first17 = f"50022219900101{n:03d}"
    return first17 + check_digit(first17)


def built(village, n: int, name: str = "") -> Resident:
    return resident_build(name=name or f"测试{n}", id_number=id_number(n), village=village)


def test_residents_are_saved_a_batch_at_a_time_with_their_households(
    towns_and_staff, django_assert_num_queries
):
    jingshan = towns_and_staff.jingshan
    residents = [built(jingshan, n) for n in range(5)]
    seen = []
    # the households read (1) and the new one created (1); each batch inserted (1) and entered in
    # the directory (2)
    with django_assert_num_queries(2 + 3 * 3):
        refused = residents_register_in_bulk(
            residents=residents,
            household_numbers=["H-1", "H-1", "", "", ""],
            batch_size=2,
            progress=seen.append,
        )
    assert refused == [] and seen == [2, 4, 5]
    saved = Resident.objects.filter(id_number__in=[id_number(n) for n in range(5)])
    assert (
        saved.count() == 5
        and Person.objects.filter(id_number__in=[id_number(n) for n in range(5)]).count() == 5
    )
    household = Household.objects.get(number="H-1")
    assert household.village == jingshan
    assert sorted(saved.filter(household=household).values_list("name", flat=True)) == ["测试0", "测试1"]


def test_a_household_of_another_village_stops_the_whole_batch(towns_and_staff):
    Household.objects.create(
        bureau=towns_and_staff.jingshan.town.bureau, number="H-2", village=towns_and_staff.longjing
    )
    residents = [built(towns_and_staff.jingshan, 1), built(towns_and_staff.jingshan, 2)]
    assert residents_register_in_bulk(residents=residents, household_numbers=["", "H-2"]) == [1]
    assert not Resident.objects.filter(id_number__in=[id_number(1), id_number(2)]).exists()


def test_refusals_are_those_of_one_registration(towns_and_staff):
    dai = towns_and_staff.dai
    same_bureau = resident_build(name="代云峰", id_number=dai.id_number, village=towns_and_staff.longjing)
    elsewhere = towns_and_staff.wansheng_resident
    moved = resident_build(
        name=elsewhere.name, id_number=elsewhere.id_number, village=towns_and_staff.jingshan
    )
    stranger = resident_build(name="别人", id_number=elsewhere.id_number, village=towns_and_staff.jingshan)
    new = built(towns_and_staff.jingshan, 3)
    refusals = registration_refusals([same_bureau, moved, stranger, new])
    assert sorted(refusals) == [0, 2]  # a move from another bureau under the same name is no refusal
    assert isinstance(refusals[0], Conflict) and refusals[0].field == "id_number"
    assert refusals[2].field == "id_number" and not isinstance(refusals[2], Conflict)


def test_the_directory_copies_each_saved_number_and_encrypts_nothing_again(towns_and_staff, monkeypatch):
    """Each value of a resident is encrypted and indexed once, as the row is written; the
    directory's entry takes the row's own ciphertext and blind index (the same purpose and keys: it
    reads back the same number)."""
    residents = [built(towns_and_staff.jingshan, n) for n in range(3)]
    for resident in residents:
        resident.phone = "13912345678"
    calls = {"encrypt": 0, "blind_index": 0}
    for name in calls:
        real = getattr(Keyring, name)

        def counted(self, *args, _real=real, _name=name):
            calls[_name] += 1
            return _real(self, *args)

        monkeypatch.setattr(Keyring, name, counted)
    residents_register_in_bulk(residents=residents, household_numbers=["", "", ""])
    # the ID number, its last four and the phone: once each, whatever the directory does
    assert calls == {"encrypt": 3 * 3, "blind_index": 3 * 3}
    monkeypatch.undo()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id_number, r.id_number_index, p.id_number, p.id_number_index, p.bureau_id, r.bureau_id "
            "FROM people_resident r JOIN people_person p ON p.id_number_index = r.id_number_index "
            "WHERE r.id IN (%s, %s, %s)",
            [r.pk for r in residents],
        )
        rows = cursor.fetchall()
    assert len(rows) == 3 and all(row[0] == row[2] and row[4] == row[5] for row in rows)
    assert sorted(
        Person.objects.filter(id_number__in=[id_number(n) for n in range(3)]).values_list(
            "id_number", flat=True
        )
    ) == [id_number(n) for n in range(3)]
