"""The phone a retirement text went to, at rest: encrypted with SM4 (a raw SELECT shows none in
clear, on either database), read back whole."""

import datetime

from django.db import connection

from linju.core.crypto import keyring
from linju.pensions.models import RetirementNotice


def test_a_raw_select_of_the_retirement_texts_shows_no_phone(towns_and_staff):
    dai = towns_and_staff.dai
    RetirementNotice.objects.create(
        bureau_id=dai.bureau_id, resident=dai, retirement_month=datetime.date(2027, 5, 1), phone=dai.phone
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {RetirementNotice._meta.db_table}")
        (row,) = cursor.fetchall()
        cursor.execute(f"SELECT phone FROM {RetirementNotice._meta.db_table}")
        ((stored,),) = cursor.fetchall()
    assert not any(dai.phone in str(cell) for cell in row)
    assert stored.startswith(f"{keyring().current}:")
    assert RetirementNotice.objects.get().phone == dai.phone
