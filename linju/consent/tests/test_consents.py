"""Consent receipts: each answer (granted, refused, withdrawn) appended with its ground, the
separate-consent flag, how and by whom it was collected; never edited (the database refuses it);
a fingerprint or face certification stands on one, and a withdrawal stops it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from linju.accounts.tests.factories import bearer
from linju.consent.models import ConsentRecord
from linju.consent.services import consent_now, consent_record, consent_withdraw_by_person
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.outreach.models import Certification, Pensioner
from linju.outreach.services import certification_by_data_run, pensioner_certify
from linju.outreach.tests.factories import SignOfLifeFactory
from linju.people.tests.factories import ResidentFactory

BIOMETRIC = "biometric_cert"


def test_answers_are_appended_and_the_latest_is_the_persons_answer_now(served):
    assert consent_now(resident_id=served.dai.pk, purpose=BIOMETRIC) is None
    granted = consent_record(
        actor=served.cadre,
        resident_id=served.dai.pk,
        purpose=BIOMETRIC,
        decision="granted",
        method="signed_form",
    )
    assert (granted.legal_basis, granted.separate, granted.taken_by) == ("consent", True, served.cadre)
    consent_withdraw_by_person(resident_ids=[served.dai.pk], resident_id=served.dai.pk, purpose=BIOMETRIC)
    assert consent_now(resident_id=served.dai.pk, purpose=BIOMETRIC) == "withdrawn"
    history = list(ConsentRecord.objects.filter(resident=served.dai).order_by("recorded_at", "id"))
    assert [(r.decision, r.method) for r in history] == [("granted", "signed_form"), ("withdrawn", "my_page")]
    with pytest.raises(Conflict):  # nothing in force to withdraw
        consent_withdraw_by_person(resident_ids=[served.dai.pk], resident_id=served.dai.pk, purpose=BIOMETRIC)


def test_a_resident_of_another_town_is_the_same_not_found_as_a_missing_one(served):
    """Staff record the consents of the residents of their towns (`resident_get_for_viewer`)."""
    answers = {"purpose": BIOMETRIC, "decision": "granted", "method": "spoken"}
    with pytest.raises(NotFound) as other:
        consent_record(actor=served.dongxi_cadre, resident_id=served.dai.pk, **answers)
    with pytest.raises(NotFound) as missing:
        consent_record(actor=served.dongxi_cadre, resident_id=2**31 - 1, **answers)
    assert other.value.text() == missing.value.text()


def test_bad_answers_and_strangers_are_refused(served):
    for fields, field in (
        ({"purpose": "marketing"}, "purpose"),
        ({"decision": "maybe"}, "decision"),
        ({"method": "my_page"}, "method"),
    ):
        with pytest.raises(DomainError) as refused:
            consent_record(
                actor=served.cadre,
                resident_id=served.dai.pk,
                **({"purpose": BIOMETRIC, "decision": "granted", "method": "spoken"} | fields),
            )
        assert refused.value.field == field
    with pytest.raises(NotFound):
        consent_record(
            actor=served.ws_staff,
            resident_id=served.dai.pk,
            purpose=BIOMETRIC,
            decision="granted",
            method="spoken",
        )
    with pytest.raises(PermissionDenied):
        consent_record(
            actor=served.leader,
            resident_id=served.dai.pk,
            purpose=BIOMETRIC,
            decision="granted",
            method="spoken",
        )
    with pytest.raises(NotFound):  # another person's consent is not theirs to withdraw
        consent_withdraw_by_person(
            resident_ids=[served.zhou.pk], resident_id=served.dai.pk, purpose=BIOMETRIC
        )


def test_the_database_refuses_to_change_a_receipt(served):
    receipt = consent_record(
        actor=served.cadre, resident_id=served.dai.pk, purpose=BIOMETRIC, decision="refused", method="spoken"
    )
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        ConsentRecord.objects.filter(pk=receipt.pk).update(decision="granted")
    if connection.vendor == "postgresql":  # SQLite's test runner empties tables with DELETE
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            ConsentRecord.objects.filter(pk=receipt.pk).delete()
    assert ConsentRecord.objects.get(pk=receipt.pk).decision == "refused"
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
    ):  # a consent's ground is consent
        ConsentRecord.objects.create(
            bureau=served.dai.bureau,
            resident=served.dai,
            purpose=BIOMETRIC,
            decision="granted",
            legal_basis="statutory_duty",
            method="spoken",
            taken_by=served.cadre,
            recorded_at=receipt.recorded_at,
        )


def test_a_fingerprint_certification_records_the_consent_and_a_withdrawal_stops_the_next(served):
    pensioner = Pensioner.objects.create(bureau=served.dai.bureau, resident=served.dai)
    pensioner_certify(actor=served.cadre, pensioner_id=pensioner.pk, year=2025, method="home_visit")
    receipt = ConsentRecord.objects.get(resident=served.dai)
    assert (receipt.purpose, receipt.decision, receipt.method, receipt.taken_by) == (
        BIOMETRIC,
        "granted",
        "spoken",
        served.cadre,
    )
    consent_withdraw_by_person(resident_ids=[served.dai.pk], resident_id=served.dai.pk, purpose=BIOMETRIC)
    with pytest.raises(DomainError) as refused:
        pensioner_certify(actor=served.cadre, pensioner_id=pensioner.pk, year=2026, method="remote")
    assert refused.value.code == "no_biometric_consent"
    # at the station with the card, no fingerprint: certified
    assert pensioner_certify(actor=served.cadre, pensioner_id=pensioner.pk, year=2026, method="station")
    assert Certification.objects.filter(pensioner=pensioner).count() == 2


def test_the_api_records_an_answer(client, served):
    answer = client.post(
        "/api/v1/consents",
        {"resident_id": served.dai.pk, "purpose": "medical_data", "decision": "refused", "method": "spoken"},
        content_type="application/json",
        **bearer(served.cadre),
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["decision"] == "refused" and answer.json()["legal_basis"] == "consent"


def test_a_refused_consent_keeps_medical_records_out_of_certification_by_data(served):
    elder = ResidentFactory(village=served.jingshan, bureau=served.dai.bureau)
    pensioner = Pensioner.objects.create(bureau=elder.bureau, resident=elder)
    SignOfLifeFactory(resident=elder, kind="bank", date=datetime.date(2026, 3, 1), source_note="农商行")
    SignOfLifeFactory(resident=elder, kind="medical", date=datetime.date(2026, 5, 3))
    consent_record(
        actor=served.cadre, resident_id=elder.pk, purpose="medical_data", decision="refused", method="spoken"
    )
    certification_by_data_run(actor=served.staff, year=2026, today=datetime.date(2026, 6, 1))
    certification = Certification.objects.get(pensioner=pensioner, year=2026)
    assert (certification.sign_kind, certification.sign_on) == ("bank", datetime.date(2026, 3, 1))
