"""A check answers a signed receipt (never the code); an intake takes a receipt only for the person
it was made for, unaltered and recent; by hand, or with the verifier unreachable, only with a reason."""

import datetime

import pytest
from django.core import signing
from django.core.checks import run_checks
from django.utils import timezone

from linju.core.errors import DomainError, PermissionDenied
from linju.identity.models import Identification, Method, Result
from linju.identity.services import (
    RECEIPT_SALT,
    IdentificationIn,
    identification_clean,
    identification_record_within,
    identification_verify,
)


def verify(world, method, terminal="counter-1", qr="", resident=None):
    person = resident or world.dai
    return identification_verify(
        viewer=world.cadre,
        method=method,
        name=person.name,
        id_number=person.id_number,
        terminal=terminal,
        qr=qr,
    )


@pytest.mark.parametrize(
    ("method", "terminal", "result"),
    [
        (Method.ID_CARD_READER, "counter-1", Result.VALID),
        (Method.SOCIAL_CARD, "counter-1-expired", Result.EXPIRED),
        (Method.ID_CARD_READER, "counter-1-other", Result.MISMATCH),
        (Method.SOCIAL_CARD, "counter-1-down", Result.UNREACHABLE),
    ],
)
def test_a_card_check_answers_the_readers_result_and_a_receipt_for_what_an_intake_takes(
    towns_and_staff, method, terminal, result
):
    verified = verify(towns_and_staff, method, terminal)
    assert verified.result == result
    assert bool(verified.receipt) == (result in (Result.VALID, Result.UNREACHABLE))


def test_the_receipt_carries_no_code_and_no_id_number(towns_and_staff):
    qr = f"DEMO-ECARD:{towns_and_staff.dai.id_number}"
    verified = verify(towns_and_staff, Method.ECARD, qr=qr)
    assert verified.result == Result.VALID
    said = signing.loads(verified.receipt, salt=RECEIPT_SALT)
    assert set(said) == {"m", "r", "t", "at", "p"}
    assert qr not in verified.receipt and towns_and_staff.dai.id_number not in str(said)


def test_a_leader_does_not_check_cards(towns_and_staff):
    with pytest.raises(PermissionDenied):
        identification_verify(
            viewer=towns_and_staff.leader,
            method=Method.ECARD,
            name="代云峰",
            id_number="x",
            qr="DEMO-ECARD:x",
        )


def test_an_ecard_check_needs_the_code(towns_and_staff):
    with pytest.raises(DomainError) as refused:
        verify(towns_and_staff, Method.ECARD, qr=" ")
    assert refused.value.field == "identification.qr"


def test_by_hand_needs_the_reason():
    now = timezone.now()
    with pytest.raises(DomainError) as refused:
        identification_clean(IdentificationIn(method=Method.BY_HAND, reason="  "), now=now)
    assert refused.value.field == "identification.reason"
    kept = identification_clean(
        IdentificationIn(method=Method.BY_HAND, reason="看了户口簿，本人无卡"), now=now
    )
    assert (kept.method, kept.result, kept.reason) == (
        Method.BY_HAND,
        Result.NOT_CHECKED,
        "看了户口簿，本人无卡",
    )


def test_an_unreachable_verifier_falls_back_to_a_reason(towns_and_staff):
    verified = verify(towns_and_staff, Method.ECARD, terminal="booth-down", qr="DEMO-ECARD:1")
    given = IdentificationIn(method=Method.ECARD, receipt=verified.receipt)
    with pytest.raises(DomainError) as refused:
        identification_clean(given, now=timezone.now())
    assert refused.value.field == "identification.reason"
    kept = identification_clean(
        IdentificationIn(
            method=Method.ECARD, receipt=verified.receipt, reason="平台无响应，核对了身份证原件"
        ),
        now=timezone.now(),
    )
    assert (kept.result, kept.terminal) == (Result.UNREACHABLE, "booth-down")


@pytest.mark.parametrize("spoil", ["altered", "another method", "missing", "too old"])
def test_a_receipt_altered_or_of_another_method_or_too_old_is_refused(towns_and_staff, spoil):
    verified = verify(towns_and_staff, Method.ID_CARD_READER)
    receipt = {
        "altered": verified.receipt[:-3] + "abc",
        "another method": verified.receipt,
        "missing": "",
        "too old": verified.receipt,
    }[spoil]
    method = Method.SOCIAL_CARD if spoil == "another method" else Method.ID_CARD_READER
    now = timezone.now()
    if spoil == "too old":
        later = timezone.now() + datetime.timedelta(days=8)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("time.time", lambda: later.timestamp())
            with pytest.raises(DomainError) as refused:
                identification_clean(IdentificationIn(method=method, receipt=receipt), now=now)
    else:
        with pytest.raises(DomainError) as refused:
            identification_clean(IdentificationIn(method=method, receipt=receipt), now=now)
    assert refused.value.code == "identification_unchecked"


def test_a_receipt_made_for_one_person_is_refused_for_another(towns_and_staff):
    verified = verify(towns_and_staff, Method.ID_CARD_READER)  # 代云峰's card
    identified = identification_clean(
        IdentificationIn(method=Method.ID_CARD_READER, receipt=verified.receipt), now=timezone.now()
    )
    with pytest.raises(DomainError) as refused:
        identification_record_within(
            actor=towns_and_staff.cadre,
            resident=towns_and_staff.zhou,
            identified=identified,
            reference="QJ-1",
        )
    assert refused.value.code == "identification_other_person"
    row = identification_record_within(
        actor=towns_and_staff.cadre, resident=towns_and_staff.dai, identified=identified, reference="QJ-1"
    )
    assert Identification.objects.get() == row
    assert (row.method, row.result, row.terminal, row.bureau_id) == (
        Method.ID_CARD_READER,
        Result.VALID,
        "counter-1",
        towns_and_staff.dai.bureau_id,
    )


def test_production_on_a_stand_in_is_warned_of(settings):
    settings.LINJU_ECARD_VERIFIER = "linju.identity.verifiers.ECardPlatform"
    settings.LINJU_ECARD_APP_KEY = ""
    found = {
        (m.id, m.msg.split(" ")[0])
        for m in run_checks(include_deployment_checks=True)
        if m.id.startswith("linju.W07")
    }
    assert found == {
        ("linju.W070", "LINJU_ID_CARD_VERIFIER"),
        ("linju.W070", "LINJU_SOCIAL_CARD_VERIFIER"),
        ("linju.W071", "LINJU_ECARD_APP_KEY"),
    }
    settings.LINJU_ID_CARD_VERIFIER = settings.LINJU_SOCIAL_CARD_VERIFIER = (
        "linju.identity.verifiers.CardReaderService"
    )
    settings.LINJU_ECARD_APP_KEY = "key"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("linju.W07")]
