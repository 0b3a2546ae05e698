"""The phones of the texts residents send back, at rest: encrypted with SM4 (a raw SELECT shows none
in clear, on either database) and found through their blind index: a stop (TD) is kept once, and the
offers' texts skip a phone that said it."""

from django.db import connection

from linju.core.crypto import keyring
from linju.offers.models import TextReply
from linju.offers.services.channels import texts_stopped
from linju.offers.services.replies import text_reply_receive


def test_a_raw_select_of_the_texts_received_shows_no_phone_and_a_stop_is_found_by_it(towns_and_staff):
    phone = towns_and_staff.dai.phone
    kept = text_reply_receive(phone=phone, text="请问什么时候去办")
    assert kept is not None and kept.kind == TextReply.Kind.TO_READ
    assert text_reply_receive(phone=phone, text="请问什么时候去办") is None  # the same words, kept already
    assert text_reply_receive(phone=phone, text="TD").kind == TextReply.Kind.STOP
    assert text_reply_receive(phone=phone, text="td") is None  # a stop is kept once
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TextReply._meta.db_table}")
        rows = cursor.fetchall()
        cursor.execute(f"SELECT phone FROM {TextReply._meta.db_table}")
        stored = [value for (value,) in cursor.fetchall()]
    assert len(rows) == 2 and not any(phone in str(cell) for row in rows for cell in row)
    assert all(value.startswith(f"{keyring().current}:") for value in stored)
    assert texts_stopped() == {phone}
    assert list(TextReply.objects.filter(phone__in=[phone, "13000000000"], kind="stop")) == [
        TextReply.objects.get(kind="stop")
    ]
