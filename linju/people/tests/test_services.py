import pytest

from linju.audit.models import AuditEvent
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.people.idnumbers import InvalidIdNumber
from linju.people.models import Resident
from linju.people.phones import InvalidPhone
from linju.people.services import (
    resident_record_open,
    resident_register,
    resident_unmask,
    residents_export_xlsx,
)

GOOD_ID = "500222199001011234"[:17]


def good_id() -> str:
    from linju.people.idnumbers import check_digit

    return GOOD_ID + check_digit(GOOD_ID)


def test_register_derives_birth_date_sex_and_initials(world):
    resident = resident_register(
        actor=world["cadre"],
        name=" 曾 小 红 ",
        id_number=good_id(),
        phone="+86 139 0000 1111",
        village_code="500110113225",
    )
    assert resident.name == "曾 小 红"
    assert resident.name_initials == "zxh"
    assert str(resident.birth_date) == "1990-01-01"
    assert resident.sex == "M"
    assert resident.phone == "13900001111"
    assert resident.id_last4 == good_id()[-4:]


def test_register_refuses_village_outside_the_cadres_towns(world):
    with pytest.raises(NotFound):
        resident_register(actor=world["cadre"], name="张三", id_number=good_id(), village_code="500110109210")
    assert not Resident.objects.filter(id_number=good_id()).exists()


def test_register_refuses_a_duplicate_id_number(world):
    with pytest.raises(Conflict):
        resident_register(
            actor=world["cadre"], name="张三", id_number=world["dai"].id_number, village_code="500110113225"
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"id_number": "123"}, InvalidIdNumber),
        ({"phone": "12345"}, InvalidPhone),
        ({"name": "   "}, DomainError),
    ],
)
def test_register_validates_at_the_edge(world, fields, error):
    values = {"name": "张三", "id_number": good_id(), "phone": "", "village_code": "500110113225"} | fields
    with pytest.raises(error):
        resident_register(actor=world["cadre"], **values)
    assert Resident.objects.count() == 3


def test_opening_a_record_is_audited(world, context):
    resident_record_open(viewer=world["cadre"], resident_id=world["dai"].pk, context=context)
    event = AuditEvent.objects.get()
    assert event.actor == world["cadre"]
    assert event.action == AuditEvent.Action.RECORD_VIEWED
    assert event.object_id == str(world["dai"].pk)
    assert event.ip_address == "127.0.0.1"
    assert world["dai"].id_number not in event.object_label
    assert world["dai"].masked_id_number in event.object_label


def test_opening_another_towns_record_is_refused_and_not_audited(world, context):
    with pytest.raises(NotFound):
        resident_record_open(viewer=world["cadre"], resident_id=world["zhou"].pk, context=context)
    assert not AuditEvent.objects.exists()


def test_unmasking_is_audited(world, context):
    resident_unmask(viewer=world["cadre"], resident_id=world["dai"].pk, context=context)
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.UNMASKED
    assert event.detail == {"fields": ["id_number", "phone"]}


def test_leaders_may_not_unmask(world, context):
    with pytest.raises(PermissionDenied):
        resident_unmask(viewer=world["leader"], resident_id=world["dai"].pk, context=context)
    assert not AuditEvent.objects.exists()


def test_export_is_scoped_masked_and_audited(world, context):
    from io import BytesIO

    from openpyxl import load_workbook

    content, count = residents_export_xlsx(viewer=world["cadre"], context=context)
    assert count == 1
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "代云峰"
    assert rows[1][1] == world["dai"].masked_id_number
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORTED
    assert event.detail["count"] == 1


def test_leaders_may_not_export_residents(world, context):
    with pytest.raises(PermissionDenied):
        residents_export_xlsx(viewer=world["leader"], context=context)
