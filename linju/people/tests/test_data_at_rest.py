"""ID numbers and phones at rest: encrypted with SM4 under a named key, found through their
blind indexes, re-encrypted by a rotation while everything keeps working."""

import datetime
import importlib
import io
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from linju.core.checks import personal_data_keys_are_not_the_demos
from linju.core.crypto import (
    DEMO_INDEX_KEY,
    DEMO_KEYS,
    KeysUnavailable,
    UnreadableValue,
    keyring,
    reencrypt_rows,
)
from linju.people.idnumbers import build_id_number
from linju.people.models import Person, Resident
from linju.people.selectors import resident_list
from linju.people.services import resident_register

from .factories import ResidentFactory

INDEX_KEY = os.urandom(32).hex()


def key_file(folder, current: str, keys: dict[str, str], index: str = DEMO_INDEX_KEY) -> str:
    """A key file; the demo's index key by default, as the fixtures' residents were indexed with it
    (a rotation re-encrypts, the index key stays)."""
    path = folder / f"keys-{current}-{len(keys)}.json"
    path.write_text(json.dumps({"current": current, "keys": keys, "index": index}))
    return str(path)


def raw_rows(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")
        return cursor.fetchall()


def clear_in(rows: list[tuple], secrets: set[str]) -> set[str]:
    return {secret for secret in secrets for row in rows for cell in row if secret in str(cell)}


@pytest.fixture
def two_residents(towns_and_staff):
    """周开明 and 代云峰 of towns_and_staff, registered with ID numbers and phones."""
    return [towns_and_staff.zhou, towns_and_staff.dai]


def test_a_raw_select_of_the_residents_and_the_directory_shows_no_id_number_or_phone(towns_and_staff):
    number = build_id_number("500222", datetime.date(1990, 3, 3), 2)
    registered = resident_register(
        actor=towns_and_staff.cadre,
        name="林小芳",
        id_number=number,
        phone="13800138000",
        village_code=towns_and_staff.jingshan.code,
    )
    residents = Resident.objects.all()
    secrets = {r.id_number for r in residents} | {r.phone for r in residents if r.phone}
    assert {number, "13800138000"} <= secrets
    secrets |= {r.id_number[-8:] for r in residents}  # no tail in clear either
    assert clear_in(raw_rows(Resident), secrets) == set()
    assert clear_in(raw_rows(Person), secrets) == set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, phone FROM {Resident._meta.db_table} WHERE id = %s", [registered.pk]
        )
        stored_number, stored_phone = cursor.fetchone()
    assert stored_number.startswith(f"{keyring().current}:") and stored_phone.startswith(
        f"{keyring().current}:"
    )
    assert Resident.objects.get(pk=registered.pk).id_number == number


def test_look_ups_by_the_whole_value_work_through_the_index(two_residents, towns_and_staff):
    zhou, dai = two_residents
    assert list(Resident.objects.filter(id_number=zhou.id_number)) == [zhou]
    assert set(Resident.objects.filter(id_number__in=[zhou.id_number, dai.id_number, "x"])) == {zhou, dai}
    assert list(Resident.objects.filter(phone=dai.phone)) == [dai]
    assert list(Resident.objects.filter(id_last4=zhou.id_number[-4:], pk=zhou.pk)) == [zhou]
    assert Person.objects.filter(id_number=zhou.id_number).get().bureau_id == zhou.bureau_id
    assert not Resident.objects.filter(id_number=zhou.phone).exists()  # another kind of value
    assert list(Resident.objects.filter(id_number__in=[])) == []
    # through a relation, and by the staff's search box
    assert Person.objects.filter(moves__isnull=True, id_number=dai.id_number).exists()
    assert list(resident_list(viewer=towns_and_staff.staff, query=dai.phone)) == [dai]


def test_a_look_up_the_index_cannot_answer_is_refused_when_built(two_residents):
    for lookup in ("phone__contains", "id_number__startswith", "id_number__gt"):
        with pytest.raises(FieldError):
            Resident.objects.filter(**{lookup: "139"})


def test_an_update_keeps_the_index(two_residents):
    zhou, _dai = two_residents
    Resident.objects.filter(pk=zhou.pk).update(phone="13900001111")
    zhou.refresh_from_db()
    assert zhou.phone == "13900001111"
    assert list(Resident.objects.filter(phone="13900001111")) == [zhou]
    zhou.phone = "13900002222"
    zhou.save()
    assert list(Resident.objects.filter(phone="13900002222")) == [zhou]


def test_one_id_number_twice_in_a_bureau_is_refused_by_the_database(two_residents):
    zhou, _dai = two_residents
    twin = ResidentFactory.build(id_number=zhou.id_number, village=zhou.village, bureau=zhou.bureau)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.bulk_create([twin])


def test_a_value_moved_to_another_column_does_not_decrypt(two_residents):
    zhou, _dai = two_residents
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id_number = phone WHERE id = %s", [zhou.pk])
    with pytest.raises(UnreadableValue):
        Resident.objects.get(pk=zhou.pk)


def test_a_rotation_re_encrypts_every_row_and_everything_still_works(
    two_residents, towns_and_staff, settings, tmp_path
):
    # the residents so far are under the demo's key; a new key becomes current, the demo's still held
    new = os.urandom(16).hex()
    settings.LINJU_KEY_FILE = key_file(tmp_path, "k2", {"demo1": DEMO_KEYS["demo1"], "k2": new})
    written = ResidentFactory(village=towns_and_staff.jingshan, phone="13712345678")  # under k2
    before = {r.pk: (r.id_number, r.phone) for r in Resident.objects.all()}

    call_command("rotate_keys", batch=1, stdout=io.StringIO())

    for model, columns in ((Resident, ("id_number", "id_last4", "phone")), (Person, ("id_number",))):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")
            values = [value for row in cursor.fetchall() for value in row if value]
        assert values and all(value.startswith("k2:") for value in values)
    settings.LINJU_KEY_FILE = key_file(tmp_path, "k2", {"k2": new})  # the demo's key retired
    assert {r.pk: (r.id_number, r.phone) for r in Resident.objects.all()} == before
    assert list(Resident.objects.filter(id_number=written.id_number)) == [written]
    assert list(Resident.objects.filter(phone="13712345678")) == [written]


def test_the_conversion_encrypts_rows_written_in_clear(two_residents):
    zhou, _dai = two_residents
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET id_number = %s, id_number_index = '', phone = %s, phone_index = '' WHERE id = %s",
            [zhou.id_number, zhou.phone, zhou.pk],
        )
    conversion = importlib.import_module("linju.people.migrations.0007_encrypt_existing_rows")
    reencrypt_rows(connection, table, conversion.RESIDENT)
    assert clear_in(raw_rows(Resident), {zhou.id_number, zhou.phone}) == set()
    assert list(Resident.objects.filter(id_number=zhou.id_number, phone=zhou.phone)) == [zhou]


def test_check_deploy_warns_on_the_demo_keys(settings, tmp_path):
    settings.LINJU_KEY_FILE = ""
    assert [w.id for w in personal_data_keys_are_not_the_demos(None)] == ["linju.W080"]
    settings.LINJU_KEY_FILE = key_file(tmp_path, "k1", {"k1": os.urandom(16).hex()}, INDEX_KEY)
    assert personal_data_keys_are_not_the_demos(None) == []
    settings.LINJU_KEY_FILE = key_file(tmp_path, "k1", {"k1": DEMO_KEYS["demo1"]}, INDEX_KEY)
    assert [w.id for w in personal_data_keys_are_not_the_demos(None)] == ["linju.W080"]


class _KeyService(BaseHTTPRequestHandler):
    document = b""

    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer the-token":
            self.send_response(403)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.document)

    def log_message(self, *args):
        pass


def test_keys_from_a_key_service_and_a_clear_error_when_it_refuses(settings, db):
    _KeyService.document = json.dumps(
        {"current": "kms1", "keys": {"kms1": os.urandom(16).hex()}, "index": INDEX_KEY}
    ).encode()
    server = HTTPServer(("127.0.0.1", 0), _KeyService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.LINJU_KMS_URL = f"http://127.0.0.1:{server.server_port}/keys"
        settings.LINJU_KMS_TOKEN = "the-token"
        assert keyring().source == "kms" and keyring().current == "kms1"
        settings.LINJU_KMS_TOKEN = "another"
        with pytest.raises(KeysUnavailable):
            keyring()
    finally:
        server.shutdown()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pattern indexes are PostgreSQL's")
@pytest.mark.django_db
def test_a_blind_index_column_has_one_index_and_no_pattern_index():
    """A blind index is compared whole: one B-tree each, led by it (the number's is its uniqueness
    per bureau), never a LIKE pattern index beside it, which every insert would pay for and nothing
    would read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN ('people_resident', 'people_person')"
        )
        definitions = cursor.fetchall()
    for table, column in (
        ("people_resident", "id_number_index"),
        ("people_resident", "id_last4_index"),
        ("people_resident", "phone_index"),
        ("people_person", "id_number_index"),
    ):
        on_it = [d for t, d in definitions if t == table and f"({column}" in d]
        assert len(on_it) == 1 and "pattern_ops" not in on_it[0], (table, column, on_it)


def test_a_newcomer_registered_at_intake_reads_back_from_the_directory_and_the_registry(towns_and_staff):
    """The directory's claim and the registration share one ciphertext of the number (one purpose,
    one key ring): each row decrypts it, and each is found by it."""
    from linju.people.services import resident_for_registration, resident_register_if_new

    number = build_id_number("500222", datetime.date(1971, 4, 5), 321)
    newcomer = resident_for_registration(
        actor=towns_and_staff.cadre,
        name="林小芳",
        id_number=number,
        phone="13800138000",
        village_code="500110113225",
    )
    assert resident_register_if_new(resident=newcomer)
    person, resident = Person.objects.get(id_number=number), Resident.objects.get(id_number=number)
    assert (person.id_number, resident.id_number, resident.phone) == (number, number, "13800138000")
    assert person.bureau_id == resident.bureau_id == towns_and_staff.yongxin.bureau_id
    assert not resident_register_if_new(resident=newcomer)  # the number is taken now: nothing written
    assert Resident.objects.filter(id_number=number).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pattern indexes are PostgreSQL's")
@pytest.mark.django_db
def test_no_blind_index_column_of_any_app_has_a_pattern_index():
    from django.apps import apps

    from linju.core.fields import BlindIndexField

    columns = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, BlindIndexField)
    }
    assert len({table for table, _column in columns}) >= 6  # residents, directory, cases, consent, texts …
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [sorted({table for table, _column in columns})],
        )
        definitions = cursor.fetchall()
    patterned = [
        (table, column)
        for table, column in columns
        for t, d in definitions
        if t == table and f"({column}" in d and "pattern_ops" in d
    ]
    assert not patterned, patterned
