"""The outbox's phones at rest: encrypted with SM4 (a raw SELECT shows none in clear, on either
database), whether a text was written one at a time or claimed in a batch by one hand-written
INSERT; the claim is still once per purpose, reference and phone, held on the phone's blind index."""

from django.db import connection

from linju.core.crypto import keyring
from linju.notify.models import OutboxMessage
from linju.notify.sms import ToSend, send_sms, send_sms_batch

OFFER = {"offer": "您可能可以领取失业保险金", "link": "https://linju.example.gov.cn/o/t1"}
PHONES = ["13900000001", "13900000002", "023-48621234"]


def raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {OutboxMessage._meta.db_table}")
        return cursor.fetchall()


def texts(towns_and_staff, phones) -> list[ToSend]:
    return [
        ToSend(
            bureau_id=towns_and_staff.yongxin.bureau_id, phone=phone, text="【綦江人社】您好", params=OFFER
        )
        for phone in phones
    ]


def test_a_raw_select_of_the_outbox_shows_no_phone(towns_and_staff):
    bureau_id = towns_and_staff.yongxin.bureau_id
    send_sms(
        bureau_id=bureau_id,
        phone="13812345678",
        text="您好",
        purpose="accepted",
        reference="A-1",
        params={"number": "A-1", "item": "失业保险金申领", "promise": "12月1日"},
    )
    claimed = send_sms_batch(texts=texts(towns_and_staff, PHONES), purpose="offer", reference="offer-1")
    assert set(claimed) == set(PHONES[:2])  # a landline takes no text
    secrets = {"13812345678", *PHONES}
    assert {
        secret for secret in secrets for row in raw_rows() for cell in row if secret in str(cell)
    } == set()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {OutboxMessage._meta.db_table}")
        assert all(phone.startswith(f"{keyring().current}:") for (phone,) in cursor.fetchall())
    assert sorted(OutboxMessage.objects.values_list("phone", flat=True)) == sorted(
        ["13812345678", *PHONES[:2]]
    )
    assert OutboxMessage.objects.get(phone="13900000002").reference == "offer-1"


def test_a_text_is_claimed_once_per_phone_by_the_index(towns_and_staff):
    first = send_sms_batch(texts=texts(towns_and_staff, PHONES[:1]), purpose="offer", reference="offer-1")
    again = send_sms_batch(texts=texts(towns_and_staff, PHONES[:2]), purpose="offer", reference="offer-1")
    assert list(first) == [PHONES[0]] and list(again) == [PHONES[1]]
    bureau_id = towns_and_staff.yongxin.bureau_id
    again_one = send_sms(
        bureau_id=bureau_id, phone=PHONES[1], text="您好", purpose="offer", reference="offer-1", params=OFFER
    )
    assert again_one is None
    assert OutboxMessage.objects.count() == 2
