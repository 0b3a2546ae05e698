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


def test_register_derives_birth_date_sex_and_initials(towns_and_staff):
    resident = resident_register(
        actor=towns_and_staff.cadre,
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


def test_register_refuses_village_outside_the_cadres_towns(towns_and_staff):
    with pytest.raises(NotFound):
        resident_register(
            actor=towns_and_staff.cadre, name="张三", id_number=good_id(), village_code="500110109210"
        )
    assert not Resident.objects.filter(id_number=good_id()).exists()


def test_register_refuses_a_duplicate_id_number(towns_and_staff):
    with pytest.raises(Conflict):
        resident_register(
            actor=towns_and_staff.cadre,
            name="张三",
            id_number=towns_and_staff.dai.id_number,
            village_code="500110113225",
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"id_number": "123"}, InvalidIdNumber),
        ({"phone": "12345"}, InvalidPhone),
        ({"name": "   "}, DomainError),
    ],
)
def test_register_validates_at_the_edge(towns_and_staff, fields, error):
    values = {"name": "张三", "id_number": good_id(), "phone": "", "village_code": "500110113225"} | fields
    with pytest.raises(error):
        resident_register(actor=towns_and_staff.cadre, **values)
    assert Resident.objects.count() == 3


def test_opening_a_record_is_audited(towns_and_staff, context):
    resident_record_open(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk, context=context)
    event = AuditEvent.objects.get()
    assert event.actor == towns_and_staff.cadre
    assert event.action == AuditEvent.Action.RECORD_VIEWED
    assert event.object_id == str(towns_and_staff.dai.pk)
    assert event.ip_address == "127.0.0.1"
    assert towns_and_staff.dai.id_number not in event.object_label
    assert towns_and_staff.dai.masked_id_number in event.object_label


def test_opening_another_towns_record_is_refused_and_not_audited(towns_and_staff, context):
    with pytest.raises(NotFound):
        resident_record_open(
            viewer=towns_and_staff.cadre, resident_id=towns_and_staff.zhou.pk, context=context
        )
    assert not AuditEvent.objects.exists()


def test_unmasking_is_audited(towns_and_staff, context):
    resident_unmask(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk, context=context)
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.UNMASKED
    assert event.detail == {"fields": ["id_number", "phone"]}


def test_leaders_may_not_unmask(towns_and_staff, context):
    with pytest.raises(PermissionDenied):
        resident_unmask(viewer=towns_and_staff.leader, resident_id=towns_and_staff.dai.pk, context=context)
    assert not AuditEvent.objects.exists()


def test_export_is_scoped_masked_and_audited(towns_and_staff, context):
    from io import BytesIO

    from openpyxl import load_workbook

    content, count = residents_export_xlsx(viewer=towns_and_staff.cadre, context=context)
    assert count == 1
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "代云峰"
    assert rows[1][1] == towns_and_staff.dai.masked_id_number
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORTED
    assert event.detail["count"] == 1


def test_leaders_may_not_export_residents(towns_and_staff, context):
    with pytest.raises(PermissionDenied):
        residents_export_xlsx(viewer=towns_and_staff.leader, context=context)
