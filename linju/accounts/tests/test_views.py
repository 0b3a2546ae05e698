import pytest
from django.urls import reverse

from linju.accounts.tests.factories import CadreFactory


@pytest.fixture
def cadre(db):
    return CadreFactory(username="cadre1")


def test_log_in_and_out(client, cadre):
    response = client.post(reverse("accounts:login"), {"username": "cadre1", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("staff-home")).status_code == 302


def test_wrong_password_says_so_in_chinese(client, cadre):
    response = client.post(reverse("accounts:login"), {"username": "cadre1", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_five_failures_lock_the_account(client, cadre):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "cadre1", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "cadre1", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get(reverse("staff-home")).status_code == 302


def test_english_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Social security near your home" in response.content.decode()
