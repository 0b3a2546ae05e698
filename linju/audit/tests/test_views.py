import pytest
from django.urls import reverse

from linju.audit.models import AuditEvent
from linju.people.services import resident_record_open


def test_administrator_lists_the_audit_log(client, towns_and_staff, context):
    resident_record_open(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk, context=context)
    client.force_login(towns_and_staff.admin)
    response = client.get(reverse("audit:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "yongxin_cadre" in html
    assert towns_and_staff.dai.masked_id_number in html
    assert towns_and_staff.dai.id_number not in html


def test_filter_by_action(client, towns_and_staff, context):
    resident_record_open(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk, context=context)
    client.force_login(towns_and_staff.admin)
    response = client.get(reverse("audit:list"), {"action": "exported"})
    assert "yongxin_cadre" not in response.content.decode()


@pytest.mark.parametrize("who", ["cadre", "staff", "leader"])
def test_others_may_not_read_the_audit_log(client, towns_and_staff, who):
    client.force_login(getattr(towns_and_staff, who))
    assert client.get(reverse("audit:list")).status_code == 403


def test_audit_events_cannot_be_changed_in_admin(client, towns_and_staff, context):
    event = resident_record_open(
        viewer=towns_and_staff.cadre, resident_id=towns_and_staff.dai.pk, context=context
    )
    assert event
    client.force_login(towns_and_staff.admin)
    towns_and_staff.admin.is_superuser = True
    towns_and_staff.admin.save()
    audit_event = AuditEvent.objects.get()
    response = client.post(reverse("admin:audit_auditevent_delete", args=[audit_event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == 1
