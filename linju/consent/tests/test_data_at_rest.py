"""Agents' and village helpers' ID numbers and phones at rest: encrypted with SM4 (a raw SELECT shows
none in clear, on either database), the ID numbers found and held once through their blind indexes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from linju.accounts.tests.factories import bearer
from linju.consent.models import Authorisation, VillageHelper
from linju.consent.services import AuthorisationIn, authorisation_grant, authorisation_in_force
from linju.consent.tests.factories import DAUGHTER, daughter_authorised, helper_of_jingshan
from linju.core.crypto import keyring
from linju.people.tests.factories import ResidentFactory


def raw_rows(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")
        return cursor.fetchall()


def clear_in(rows: list[tuple], secrets: set[str]) -> set[str]:
    return {secret for secret in secrets for row in rows for cell in row if secret in str(cell)}


def test_a_raw_select_of_the_authorisations_and_helpers_shows_no_id_number_or_phone(served):
    helper = helper_of_jingshan(served)
    daughter_authorised(served)
    neighbour = ResidentFactory(village=served.jingshan, bureau=served.dai.bureau)
    authorisation_grant(
        actor=served.cadre,
        principal_id=neighbour.pk,
        given=AuthorisationIn(agent_kind="helper", agent_id_number=helper.id_number, all_items=True),
    )
    secrets = {DAUGHTER, "13700003333", helper.id_number, "13600001111"}
    secrets |= {number[-8:] for number in (DAUGHTER, helper.id_number)}
    assert clear_in(raw_rows(Authorisation), secrets) == set()
    assert clear_in(raw_rows(VillageHelper), secrets) == set()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, phone FROM {VillageHelper._meta.db_table}")
        assert all(value.startswith(f"{keyring().current}:") for value in cursor.fetchone())
    assert set(Authorisation.objects.values_list("agent_id_number", "agent_phone")) == {
        (DAUGHTER, "13700003333"),
        (helper.id_number, "13600001111"),
    }


def test_a_helper_is_found_by_the_id_number_typed_and_an_agent_by_theirs(served):
    helper = helper_of_jingshan(served)
    by_number = authorisation_grant(
        actor=served.cadre,
        principal_id=served.dai.pk,
        given=AuthorisationIn(agent_kind="helper", agent_id_number=helper.id_number, all_items=True),
    )
    assert by_number.helper == helper
    assert (
        authorisation_in_force(
            principal_id=served.dai.pk,
            agent_id_number=helper.id_number,
            item_ids=[served.ui.pk],
            on=datetime.date.today(),
        )
        == by_number.pk
    )
    assert list(VillageHelper.objects.filter(id_number=helper.id_number)) == [helper]


def test_a_helper_is_on_a_villages_register_once_held_by_the_index(served):
    helper = helper_of_jingshan(served)
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageHelper.objects.create(
            bureau_id=helper.bureau_id, village=helper.village, name="又一人", id_number=helper.id_number
        )


def test_an_id_number_not_of_18_characters_is_refused_at_the_edge(served, client):
    helper = VillageHelper(
        bureau_id=served.jingshan.town.bureau_id, village=served.jingshan, name="刘代办", id_number="5002"
    )
    with pytest.raises(ValidationError) as refused:
        helper.full_clean()
    assert "id_number" in refused.value.message_dict
    answer = client.post(
        "/api/v1/authorisations",
        {"principal_id": served.dai.pk, "agent_kind": "family", "agent_name": "代小红"}
        | {"agent_id_number": DAUGHTER, "agent_phone": "1" * 30, "all_items": True},
        content_type="application/json",
        **bearer(served.cadre),
    )
    assert answer.status_code in (400, 422) and not Authorisation.objects.exists()
