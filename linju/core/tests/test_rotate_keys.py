"""`manage.py rotate_keys` finds every encrypted column of every app by itself (each EncryptedField),
and a rotation re-encrypts a row of each under the new key while every look-up keeps working; the
migrations that converted the columns encrypt rows held in clear, and undo it when taken back."""

import dataclasses
import datetime
import importlib
import io
import os
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from linju.accounts.models import User
from linju.cases.bundle_selectors import bundle_public_status
from linju.cases.models import BundleCase, Case
from linju.cases.selectors import case_public_status
from linju.cases.services import Agent, Intake, bundle_accept_once
from linju.cases.tests.conftest import retirement  # noqa: F401 (the bundle the bundle case stands on)
from linju.cases.tests.factories import case_at_booth
from linju.conftest_world import at
from linju.consent.models import Authorisation, VillageHelper
from linju.consent.services import authorisation_in_force
from linju.consent.tests.factories import DAUGHTER, daughter_authorised, helper_of_jingshan
from linju.core.crypto import DEMO_KEYS
from linju.core.management.commands.rotate_keys import encrypted_tables
from linju.notify.models import OutboxMessage
from linju.offers.models import TextReply
from linju.offers.services.replies import text_reply_receive
from linju.pensions.models import RetirementNotice
from linju.people.models import Person, Resident
from linju.people.tests.test_data_at_rest import key_file

# every encrypted column, by model: the rotation must reach each
ENCRYPTED = {
    Resident: {"id_number", "id_last4", "phone"},
    Person: {"id_number"},
    Case: {"applicant_phone", "agent_phone", "agent_id_number"},
    BundleCase: {"applicant_phone", "agent_phone"},
    VillageHelper: {"id_number", "phone"},
    Authorisation: {"agent_id_number", "agent_phone"},
    User: {"mobile"},
    OutboxMessage: {"phone"},
    TextReply: {"phone"},
    RetirementNotice: {"phone"},
}
APPLICANT, AGENT = "13812340001", "13700003333"


def test_the_rotation_finds_every_encrypted_column_by_itself():
    found = {table: {column for column, _index, _purpose in columns} for table, columns in encrypted_tables()}
    assert found == {model._meta.db_table: columns for model, columns in ENCRYPTED.items()}


def stored(model) -> list[str]:
    """Every non-empty value of the model's encrypted columns, as the database holds it."""
    columns = sorted(ENCRYPTED[model])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")
        return [value for row in cursor.fetchall() for value in row if value]


@dataclasses.dataclass(frozen=True)
class Rows:
    world: object  # the `retirement` world of the cases' tests
    case: Case
    bundle_case: BundleCase
    helper: VillageHelper


@pytest.fixture
def rows_everywhere(db, request, django_capture_on_commit_callbacks) -> Rows:
    """A row with its encrypted values in every table that has any: a case brought by an agent with
    a phone of its own (and its texts in the outbox), a bundle case, a helper, a stop texted back, a
    retirement text, a cadre's mobile (the residents and the directory are the world's own)."""
    world = request.getfixturevalue("retirement")
    daughter_authorised(world)
    with django_capture_on_commit_callbacks(execute=True):  # the texts go to the outbox
        case = case_at_booth(
            world,
            agent=Agent(name="代小红", id_number=DAUGHTER, relation="child", phone=AGENT, texts=True),
            phone=APPLICANT,
        )
    intake = Intake(
        item_code="",
        channel="booth",
        applicant_id=world.dai.pk,
        market_code="market-shengping",
        materials_received=["居民身份证", "户口簿", "银行卡", "公积金联名卡"],
        no_materials_reason="",
        phone=APPLICANT,
    )
    bundle_case = bundle_accept_once(actor=world.cadre, code="retire", intake=intake, now=at(2026, 11, 25))
    helper = helper_of_jingshan(world)
    text_reply_receive(phone=world.dai.phone, text="TD")
    RetirementNotice.objects.create(
        bureau_id=world.dai.bureau_id,
        resident=world.dai,
        retirement_month=datetime.date(2027, 5, 1),
        phone=world.dai.phone,
    )
    world.cadre.mobile = "13700001111"
    world.cadre.save(update_fields=["mobile"])
    for model in ENCRYPTED:
        assert stored(model), f"{model.__name__}: no encrypted value"
    return Rows(world=world, case=case, bundle_case=bundle_case.bundle_case, helper=helper)


def test_a_rotation_re_encrypts_a_row_of_every_table_and_every_look_up_still_works(
    rows_everywhere, settings, tmp_path
):
    world, case, helper = rows_everywhere.world, rows_everywhere.case, rows_everywhere.helper
    new = os.urandom(16).hex()
    settings.LINJU_KEY_FILE = key_file(tmp_path, "k2", {"demo1": DEMO_KEYS["demo1"], "k2": new})
    out = io.StringIO()
    call_command("rotate_keys", batch=2, stdout=out)
    assert "Every value is under k2" in out.getvalue()
    for model in ENCRYPTED:
        assert all(value.startswith("k2:") for value in stored(model)), model.__name__

    settings.LINJU_KEY_FILE = key_file(tmp_path, "k2", {"k2": new})  # the demo's key retired
    assert case_public_status(number=case.number, phone_last4=AGENT[-4:]) == case
    assert Case.objects.get(pk=case.pk).agent_id_number == DAUGHTER
    assert bundle_public_status(number=rows_everywhere.bundle_case.number, phone_last4=APPLICANT[-4:])
    assert authorisation_in_force(
        principal_id=world.dai.pk, agent_id_number=DAUGHTER, item_ids=[world.ui.pk], on=datetime.date.today()
    )
    assert list(VillageHelper.objects.filter(id_number=helper.id_number)) == [helper]
    assert OutboxMessage.objects.filter(phone=APPLICANT).exists()
    assert OutboxMessage.objects.filter(phone=AGENT).exists()
    assert TextReply.objects.get(phone=world.dai.phone).kind == TextReply.Kind.STOP
    assert RetirementNotice.objects.get().phone == world.dai.phone
    assert User.objects.get(pk=world.cadre.pk).mobile == "13700001111"
    assert Resident.objects.get(pk=world.dai.pk).phone == world.dai.phone


CONVERSIONS = [
    "linju.accounts.migrations.0005_encrypt_existing_mobiles",
    "linju.cases.migrations.0017_encrypt_existing_phones_and_agent_id_numbers",
    "linju.consent.migrations.0004_encrypt_existing_agents_and_helpers",
    "linju.notify.migrations.0007_encrypt_existing_outbox_phones",
    "linju.offers.migrations.0005_encrypt_existing_text_reply_phones",
    "linju.pensions.migrations.0003_encrypt_existing_retirement_notice_phones",
]


def test_the_conversions_encrypt_the_rows_held_in_clear(rows_everywhere):
    """As the rows were before the migrations: every value in clear (the indexes as they are; the
    conversion computes them anew)."""
    converted = [model for model in ENCRYPTED if model not in (Resident, Person)]
    plain = {model: sorted(model.objects.values_list("pk", *sorted(ENCRYPTED[model]))) for model in converted}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, rows in plain.items():
            sets = ", ".join(f"{quote(column)} = %s" for column in sorted(ENCRYPTED[model]))
            for pk, *values in rows:
                cursor.execute(
                    f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s", [*values, pk]
                )
    for model in converted:
        assert not any(value.startswith("demo1:") for value in stored(model)), model.__name__

    editor = SimpleNamespace(connection=connection)
    for name in CONVERSIONS:
        importlib.import_module(name).encrypt(apps, editor)
    secrets = {value for rows in plain.values() for row in rows for value in row[1:] if value}
    for model in converted:
        assert all(value.startswith("demo1:") for value in stored(model)), model.__name__
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            assert not {s for s in secrets for row in cursor.fetchall() for cell in row if s in str(cell)}
        assert sorted(model.objects.values_list("pk", *sorted(ENCRYPTED[model]))) == plain[model]
    assert case_public_status(number=rows_everywhere.case.number, phone_last4=AGENT[-4:])
    assert list(VillageHelper.objects.filter(id_number=rows_everywhere.helper.id_number)) == [
        rows_everywhere.helper
    ]
    assert OutboxMessage.objects.filter(phone=APPLICANT).exists()


def test_a_conversion_taken_back_leaves_every_value_in_clear(rows_everywhere):
    """Where the index holds no uniqueness (the uniqueness on an index is taken back before, by its
    own migration)."""
    editor = SimpleNamespace(connection=connection)
    taken_back = [User, Case, BundleCase, TextReply, RetirementNotice]
    before = {
        model: sorted(model.objects.values_list("pk", *sorted(ENCRYPTED[model]))) for model in taken_back
    }
    for name in CONVERSIONS:
        if "consent" not in name and "notify" not in name:
            importlib.import_module(name).decrypt(apps, editor)
    for model in taken_back:
        assert not any(value.startswith("demo1:") for value in stored(model)), model.__name__
        assert sorted(model.objects.values_list("pk", *sorted(ENCRYPTED[model]))) == before[model]
