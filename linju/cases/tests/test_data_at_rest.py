"""The phones a case is given and its agent's ID number, at rest: encrypted with SM4 (a raw SELECT
of the cases and bundle cases shows none in clear, on either database), read back whole, and the
public status look-up still finds a case by its number and a phone's last four digits."""

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection

from linju.cases.bundle_selectors import bundle_public_status
from linju.cases.models import BundleCase, Case
from linju.cases.selectors import case_public_status
from linju.cases.services import Agent, Intake, bundle_accept_once
from linju.cases.tests.factories import case_at_booth
from linju.conftest_world import at
from linju.consent.tests.factories import DAUGHTER, daughter_authorised
from linju.core.crypto import keyring
from linju.core.errors import NotFound

APPLICANT, AGENT = "13812340001", "13700003333"


def raw_rows(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")
        return cursor.fetchall()


def clear_in(rows: list[tuple], secrets: set[str]) -> set[str]:
    return {secret for secret in secrets for row in rows for cell in row if secret in str(cell)}


@pytest.fixture
def agents_case(served) -> Case:
    """代云峰's case at the booth, brought by his authorised daughter, with a phone of its own."""
    daughter_authorised(served)
    agent = Agent(name="代小红", id_number=DAUGHTER, relation="child", phone=AGENT, texts=True)
    return case_at_booth(served, agent=agent, phone=APPLICANT)


def test_a_raw_select_of_the_cases_shows_no_phone_or_agents_id_number(agents_case):
    secrets = {APPLICANT, AGENT, DAUGHTER, DAUGHTER[-8:]}
    assert clear_in(raw_rows(Case), secrets) == set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT applicant_phone, agent_phone, agent_id_number FROM {Case._meta.db_table} WHERE id = %s",
            [agents_case.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith(f"{keyring().current}:") for value in stored)
    case = Case.objects.get(pk=agents_case.pk)
    assert (case.applicant_phone, case.agent_phone, case.agent_id_number) == (APPLICANT, AGENT, DAUGHTER)


def test_the_status_look_up_compares_the_endings_of_the_encrypted_phones(agents_case):
    assert case_public_status(number=agents_case.number, phone_last4=APPLICANT[-4:]) == agents_case
    assert case_public_status(number=agents_case.number, phone_last4=AGENT[-4:]) == agents_case
    with pytest.raises(NotFound):
        case_public_status(number=agents_case.number, phone_last4="9999")


def test_a_case_without_a_phone_or_an_agent_keeps_them_empty_and_the_constraints_hold(served, agents_case):
    plain = case_at_booth(served, texts_to_applicant=False)
    assert set(Case.objects.filter(agent_id_number="").values_list("pk", flat=True)) == {plain.pk}
    assert set(Case.objects.exclude(agent_phone="").values_list("pk", flat=True)) == {agents_case.pk}
    # an encrypted column without an index answers "is it empty" only; a value is refused when asked
    with pytest.raises(FieldError):
        Case.objects.filter(applicant_phone=APPLICANT)
    # the constraint "texts to the agent need the agent's phone" is checked on the value, as before
    agents_case.agent_phone = ""
    with pytest.raises(ValidationError) as refused:
        agents_case.full_clean()
    assert "case_agent_texts_have_phone" in str(refused.value)


def test_a_phone_too_long_is_refused_by_validation_not_cut(agents_case):
    agents_case.applicant_phone = "1" * 21
    with pytest.raises(ValidationError) as refused:
        agents_case.full_clean()
    assert "applicant_phone" in refused.value.message_dict


def test_a_raw_select_of_the_bundle_cases_shows_no_phone_and_the_look_up_still_works(retirement):
    intake = Intake(
        item_code="",
        channel="booth",
        applicant_id=retirement.dai.pk,
        market_code="market-shengping",
        materials_received=["居民身份证", "户口簿", "银行卡", "公积金联名卡"],
        no_materials_reason="",
        phone=APPLICANT,
    )
    bundle_case = bundle_accept_once(
        actor=retirement.cadre, code="retire", intake=intake, now=at(2026, 11, 25)
    ).bundle_case
    assert clear_in(raw_rows(BundleCase), {APPLICANT}) == set()
    assert clear_in(raw_rows(Case), {APPLICANT}) == set()  # nor its parts
    assert BundleCase.objects.get(pk=bundle_case.pk).applicant_phone == APPLICANT
    assert bundle_public_status(number=bundle_case.number, phone_last4=APPLICANT[-4:]) == bundle_case
    with pytest.raises(NotFound):
        bundle_public_status(number=bundle_case.number, phone_last4="0000")
