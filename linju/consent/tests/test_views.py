"""Staff's page of a resident's authorisations and consents: recorded at the counter with the signed
form's photo, withdrawn, an answer appended; opening it is a view of the record (audited); another
town's resident is a 404 and a leader is refused."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linju.audit.models import AuditEvent
from linju.consent.models import Authorisation, ConsentRecord
from linju.consent.tests.factories import DAUGHTER

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_a_cadre_records_and_withdraws_an_authorisation_and_an_answer(client, served):
    client.force_login(served.cadre)
    url = reverse("consent:resident", args=[served.dai.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(object_type="resident", object_id=str(served.dai.pk)).exists()
    form = {
        "agent_kind": "family",
        "agent_name": "代小红",
        "agent_id_number": DAUGHTER,
        "relation": "女儿",
        "item_codes": "UI-002 MD-005",
        "evidence": SimpleUploadedFile("form.png", PNG),
    }
    assert client.post(url, form).status_code == 302
    given = Authorisation.objects.get()
    assert sorted(given.items.values_list("code", flat=True)) == ["MD-005", "UI-002"] and given.evidence
    bad = client.post(url, form | {"agent_id_number": "500222199506010000", "evidence": ""})
    assert bad.status_code == 400 and Authorisation.objects.count() == 1
    withdraw = reverse("consent:withdraw", args=[served.dai.pk, given.pk])
    assert client.post(withdraw).status_code == 302
    given.refresh_from_db()
    assert given.status == "withdrawn"
    answer = {"purpose": "biometric_cert", "decision": "granted", "method": "signed_form"}
    assert client.post(reverse("consent:consent", args=[served.dai.pk]), answer).status_code == 302
    assert ConsentRecord.objects.get().taken_by == served.cadre


def test_another_towns_resident_is_404_and_a_leader_is_refused(client, served):
    url = reverse("consent:resident", args=[served.dai.pk])
    client.force_login(served.dongxi_cadre)
    assert client.get(url).status_code == 404
    client.force_login(served.leader)
    assert client.get(url).status_code == 403
