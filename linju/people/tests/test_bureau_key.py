"""One installation, two bureaus (綦江 and 万盛经开区): each bureau's people, households, cases and
keys are its own, and a person who moves between them is one person in the directory."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from linju.cases.models import Case, CaseCounter
from linju.cases.services import Intake, NewPerson, case_accept, case_accept_once, case_status_lookup
from linju.geo.models import Bureau
from linju.people.idnumbers import build_id_number
from linju.people.models import Household, Person, PersonMove, Resident
from linju.people.selectors import resident_list
from linju.people.services import resident_register
from linju.people.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 25, 10, tzinfo=TZ)
SAME_ID = build_id_number("500222", datetime.date(1970, 3, 3), 77)

# every table that holds a person or a case, and the keys that are unique within a bureau
PERSONAL = [
    "people.Household",
    "people.Resident",
    "people.PersonMove",
    "eligibility.ResidentFacts",
    "eligibility.HouseholdFacts",
    "eligibility.DiscoveryRun",
    "eligibility.DiscoveryList",
    "cases.Case",
    "cases.CaseEvent",
    "cases.CaseCounter",
    "cases.Rating",
    "cases.FollowUp",
    "jobs.JobSeeker",
    "jobs.Referral",
    "jobs.ReferralStep",
    "outreach.Consultation",
    "outreach.VisitRecord",
    "outreach.VisitNeed",
    "outreach.HomeTask",
    "outreach.BoothReminder",
    "outreach.Pensioner",
    "outreach.Certification",
    "insights.ImportJob",
    "notify.OutboxMessage",
    "audit.AuditEvent",
]
PER_BUREAU_KEYS = {
    "people.Household": ("bureau", "number"),
    "people.Resident": ("bureau", "id_number_index"),  # the ID number's blind index
    "cases.Case": ("bureau", "idempotency_key"),
    "cases.CaseCounter": ("bureau", "day"),
}


@pytest.mark.parametrize("label", PERSONAL)
def test_every_personal_table_has_a_bureau_key_the_database_enforces(label):
    field = apps.get_model(label)._meta.get_field("bureau")
    assert field.related_model is Bureau and not field.null


@pytest.mark.parametrize(("label", "fields"), PER_BUREAU_KEYS.items())
def test_keys_unique_within_a_bureau_include_the_bureau(label, fields):
    model = apps.get_model(label)
    # in either order: the registry's puts the number first, so its index finds it in every bureau
    uniques = {frozenset(c.fields) for c in model._meta.constraints if hasattr(c, "fields") and c.fields}
    assert frozenset(fields) in uniques
    assert not model._meta.get_field(fields[1]).unique  # not unique across bureaus


def test_two_bureaus_hold_the_same_id_number_apart(served):
    qj = ResidentFactory(name="甲", id_number=SAME_ID, id_last4=SAME_ID[-4:], village=served.jingshan)
    ws = ResidentFactory(
        name="甲", id_number=SAME_ID, id_last4=SAME_ID[-4:], village=served.wansheng_resident.village
    )
    assert qj.bureau != ws.bureau
    assert list(resident_list(viewer=served.cadre, query=SAME_ID[-4:])) == [qj]
    assert list(resident_list(viewer=served.ws_staff, query=SAME_ID[-4:])) == [ws]
    with pytest.raises(IntegrityError), transaction.atomic():  # but once only within a bureau
        ResidentFactory(id_number=SAME_ID, id_last4=SAME_ID[-4:], village=served.longjing)


def test_the_same_household_number_in_two_bureaus(served):
    wansheng_village = served.wansheng_resident.village
    resident_register(
        actor=served.cadre,
        name="乙",
        id_number=build_id_number("500222", datetime.date(1980, 1, 1), 5),
        village_code="500110113225",
        household_number="H-0001",
    )
    resident_register(
        actor=served.ws_staff,
        name="丙",
        id_number=build_id_number("500222", datetime.date(1981, 1, 1), 5),
        village_code=wansheng_village.code,
        household_number="H-0001",
    )
    households = Household.objects.filter(number="H-0001")
    assert {h.bureau.code for h in households} == {"QJ", "WS"}


def _phone_intake(key: str, village_code: str, name: str, id_number: str) -> Intake:
    return Intake(
        item_code="UI-002",
        channel="phone",
        person=NewPerson(name=name, id_number=id_number, phone="", village_code=village_code),
        idempotency_key=key,
    )


def test_the_same_idempotency_key_in_two_bureaus_makes_two_cases(served):
    """A 万盛 tablet and a 綦江 tablet happen to send the same key: each bureau gets its own case
    (it was a 404 for the second before), numbered by its own counter, each seen by its own staff."""
    ws_village = served.wansheng_resident.village.code
    qj = case_accept_once(
        actor=served.cadre,
        intake=_phone_intake(
            "tablet-1", "500110113225", "丁", build_id_number("500222", datetime.date(1990, 1, 1), 3)
        ),
        now=NOW,
    )
    ws = case_accept_once(
        actor=served.ws_staff,
        intake=_phone_intake(
            "tablet-1", ws_village, "戊", build_id_number("500222", datetime.date(1991, 1, 1), 3)
        ),
        now=NOW,
    )
    assert qj.created and ws.created and qj.case != ws.case
    assert (qj.case.number, ws.case.number) == ("QJ-20261125-0001", "WS-20261125-0001")
    assert CaseCounter.objects.filter(day=NOW.date()).count() == 2  # one counter per bureau and day
    again = case_accept_once(
        actor=served.ws_staff,
        intake=_phone_intake(
            "tablet-1", ws_village, "戊", build_id_number("500222", datetime.date(1991, 1, 1), 3)
        ),
        now=NOW,
    )
    assert not again.created and again.case == ws.case  # within a bureau the key still holds


def test_a_person_moving_from_qijiang_to_wansheng_is_recorded_once(served):
    dai = served.dai  # registered in 綦江 (永新镇 荆山村)
    ws_village = served.wansheng_resident.village.code
    first = case_accept(
        actor=served.ws_staff, intake=_phone_intake("ws-1", ws_village, dai.name, dai.id_number), now=NOW
    )
    second = case_accept(
        actor=served.ws_staff, intake=_phone_intake("ws-2", ws_village, dai.name, dai.id_number), now=NOW
    )
    assert first.applicant == second.applicant != dai  # 万盛's own record, made once
    assert first.applicant.bureau.code == "WS" and first.applicant.village.code == ws_village
    assert Resident.objects.filter(id_number=dai.id_number).count() == 2  # one record per bureau
    person = Person.objects.get(id_number=dai.id_number)
    assert person.bureau.code == "WS"
    move = PersonMove.objects.get(person=person)  # one move
    assert (move.from_resident, move.to_resident, move.from_bureau.code, move.bureau.code) == (
        dai,
        first.applicant,
        "QJ",
        "WS",
    )
    # 綦江 keeps its record and its cases; 万盛 staff cannot open 綦江's record
    assert list(resident_list(viewer=served.cadre, query=dai.id_number[-4:])) == [dai]
    assert dai not in resident_list(viewer=served.ws_staff, query=dai.id_number[-4:])


def test_a_stranger_typed_at_another_bureau_is_not_recorded_as_a_move(served):
    from linju.core.errors import NotFound

    dai = served.dai
    ws_village = served.wansheng_resident.village.code
    with pytest.raises(NotFound):
        case_accept(
            actor=served.ws_staff, intake=_phone_intake("ws-x", ws_village, "别人", dai.id_number), now=NOW
        )
    assert not PersonMove.objects.exists() and Person.objects.get(id_number=dai.id_number).bureau.code == "QJ"
    assert not Case.objects.exists()


def test_numbers_carry_the_bureau_and_numbers_without_one_are_found(served):
    case = case_accept(actor=served.cadre, intake=_phone_intake("k", "500110113225", "己", SAME_ID), now=NOW)
    assert case.number.startswith("QJ-")
    phone = "13900001111"
    Case.objects.filter(pk=case.pk).update(applicant_phone=phone)  # the phone given for the case
    assert case_status_lookup(number=case.number.lower(), phone_last4=phone[-4:]) == case
    Case.objects.filter(pk=case.pk).update(number="20261125-0042")  # a number given before bureaus
    assert case_status_lookup(number="20261125-0042", phone_last4=phone[-4:]).pk == case.pk


def test_the_audit_log_is_kept_per_bureau(served):
    """Opening a 万盛 case is recorded in 万盛's log: 綦江's administrator does not read it."""
    from linju.audit.selectors import audit_event_list
    from linju.cases.services import case_open
    from linju.core.request_context import RequestContext

    ws_village = served.wansheng_resident.village.code
    case = case_accept(
        actor=served.ws_staff,
        intake=_phone_intake("a", ws_village, "庚", build_id_number("500222", datetime.date(1992, 2, 2), 9)),
        now=NOW,
    )
    case_open(viewer=served.ws_staff, number=case.number, what="page", context=RequestContext(path="/"))
    event = apps.get_model("audit.AuditEvent").objects.get(object_id=case.number)
    assert event.bureau.code == "WS"
    assert event not in audit_event_list(viewer=served.admin)  # 綦江's administrator
