"""The audit log's chain: sealed by a job, checked by `audit_verify`, which names the first event
edited, removed or reordered in SQL, and alerts the bureau's administrators."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from linju.audit.chain import audit_seal, audit_verify, audit_verify_and_alert
from linju.audit.events import resident_record_viewed_event
from linju.audit.models import AuditCheck, AuditEvent
from linju.notify.models import OutboxMessage

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def six_views(towns_and_staff, context):
    """Six views of residents' records: four of 綦江's (by its staff), two of 万盛's, sealed."""
    world = towns_and_staff
    made = []
    for resident in (world.dai, world.zhou, world.dai, world.zhou):
        made.append(resident_record_viewed_event(actor=world.staff, resident=resident, context=context))
    for _ in range(2):
        made.append(
            resident_record_viewed_event(
                actor=world.ws_staff, resident=world.wansheng_resident, context=context
            )
        )
    assert audit_seal() == 6
    return made


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_whole_log_passes_and_the_chain_follows_the_order_of_sealing(six_views, towns_and_staff, context):
    assert audit_verify() == []
    qijiang = AuditEvent.objects.filter(bureau=towns_and_staff.staff.bureau).order_by("seq")
    assert [e.seq for e in qijiang] == [1, 2, 3, 4]
    assert [e.sealed_after for e in qijiang] == [None, *[e.pk for e in qijiang][:-1]]
    later = resident_record_viewed_event(
        actor=towns_and_staff.staff, resident=towns_and_staff.dai, context=context
    )
    assert AuditEvent.objects.get(pk=later.pk).seq is None  # the request only inserts
    assert audit_verify() == []  # sealed first, then checked
    assert AuditEvent.objects.get(pk=later.pk).seq == 5


def test_an_edited_event_is_reported_by_its_id(six_views):
    edited = six_views[1]
    sql(f"UPDATE {TABLE} SET object_label = %s WHERE id = %s", ["someone else", edited.pk])
    (finding,) = audit_verify()
    assert (finding.kind, finding.event_id) == ("edited", edited.pk)


def test_a_deleted_event_is_reported_by_its_id(six_views):
    removed = six_views[2]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [removed.pk])
    (finding,) = audit_verify()
    assert (finding.kind, finding.event_id) == ("removed", removed.pk)


def test_the_newest_event_deleted_is_reported_by_its_id(six_views):
    newest = six_views[3]  # 綦江's last
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [newest.pk])
    (finding,) = audit_verify()
    assert (finding.kind, finding.event_id) == ("removed", newest.pk)


def test_reordered_events_are_reported_by_the_id_of_the_first_out_of_place(six_views):
    first, second = six_views[1], six_views[2]  # places 2 and 3 of 綦江's chain
    sql(f"UPDATE {TABLE} SET seq = 1000 WHERE id = %s", [first.pk])
    sql(f"UPDATE {TABLE} SET seq = 2 WHERE id = %s", [second.pk])
    sql(f"UPDATE {TABLE} SET seq = 3 WHERE id = %s", [first.pk])
    (finding,) = audit_verify()
    assert (finding.kind, finding.event_id) == ("reordered", second.pk)


def test_a_rewritten_seal_does_not_pass_without_the_key(six_views):
    edited = six_views[0]
    sql(f"UPDATE {TABLE} SET object_label = %s, digest = %s WHERE id = %s", ["x", "0" * 64, edited.pk])
    assert [(f.kind, f.event_id) for f in audit_verify()] == [("edited", edited.pk)]


def test_events_the_sealing_job_left_waiting_are_reported(towns_and_staff, context):
    event = resident_record_viewed_event(
        actor=towns_and_staff.staff, resident=towns_and_staff.dai, context=context
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    (finding,) = audit_verify()
    assert (finding.kind, finding.event_id) == ("unsealed", event.pk)
    assert audit_verify() == []  # sealed by the check itself


def test_the_command_names_the_event_and_fails(six_views):
    sql(f"UPDATE {TABLE} SET path = %s WHERE id = %s", ["/elsewhere/", six_views[4].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=io.StringIO())
    check = AuditCheck.objects.filter(bureau_id=six_views[4].bureau_id).first()
    assert check.findings[0]["event_id"] == six_views[4].pk


def test_the_nightly_check_texts_the_bureaus_administrators(six_views, towns_and_staff, settings):
    admin = towns_and_staff.admin
    admin.mobile = "13900009999"
    admin.save()
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [six_views[0].pk])
    findings = audit_verify_and_alert()
    assert [f.event_id for f in findings] == [six_views[0].pk]
    (text,) = OutboxMessage.objects.filter(purpose="audit_alert")
    assert text.phone == "13900009999" and str(six_views[0].pk) in text.text


def test_a_failed_check_is_shown_to_the_administrator_on_the_audit_log_and_the_workbench(
    six_views, towns_and_staff, client
):
    client.force_login(towns_and_staff.admin)
    assert "audit_verify" not in client.get(reverse("audit:list")).content.decode()
    sql(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [towns_and_staff.admin.pk, six_views[2].pk])
    audit_verify()
    for page in (reverse("audit:list"), reverse("staff-home")):
        shown = client.get(page).content.decode()
        assert "audit_verify" in shown and f"#{six_views[2].pk}" in shown, page
    client.force_login(towns_and_staff.ws_staff)  # 万盛's staff: their bureau's log is whole
    assert "audit_verify" not in client.get(reverse("staff-home")).content.decode()
