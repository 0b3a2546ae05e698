"""Staff's mobiles at rest: encrypted with SM4 (a raw SELECT shows none in clear, on either
database), read back whole to text them; staff without one are told apart without decrypting."""

from django.db import connection

from linju.accounts.models import User
from linju.core.crypto import keyring


def test_a_raw_select_of_the_staff_shows_no_mobile(towns_and_staff):
    cadre = towns_and_staff.cadre
    cadre.mobile = "13700001111"
    cadre.save(update_fields=["mobile"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {User._meta.db_table}")
        rows = cursor.fetchall()
        cursor.execute(f"SELECT mobile FROM {User._meta.db_table} WHERE id = %s", [cadre.pk])
        ((stored,),) = cursor.fetchall()
    assert not any("13700001111" in str(cell) for row in rows for cell in row)
    assert stored.startswith(f"{keyring().current}:")
    assert list(User.objects.exclude(mobile="")) == [cadre]
    assert User.objects.get(pk=cadre.pk).mobile == "13700001111"
