"""An API key's holder is read once and then held by the process, until the key, its holder or the
towns they serve change."""

import pytest
from django.contrib.auth.models import update_last_login

from linju.access.scoping import served_town_ids
from linju.accounts.models import APIToken
from linju.accounts.services import api_token_create, api_token_user
from linju.accounts.tests.factories import CadreFactory
from linju.geo.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre():
    town = TownFactory()
    return CadreFactory(towns=[town], bureau=town.bureau)


@pytest.fixture
def key(cadre):
    return api_token_create(user=cadre, name="booth tablet")[1]


def test_a_key_is_read_once_then_held_with_the_towns_its_holder_serves(cadre, key, max_queries):
    towns = set(cadre.towns.values_list("pk", flat=True))
    assert api_token_user(key).pk == cadre.pk
    with max_queries(0):
        again = api_token_user(key)
        assert again.pk == cadre.pk and served_town_ids(again) == towns


def test_a_revoked_key_is_refused_at_once(key):
    assert api_token_user(key) is not None
    token = APIToken.objects.get()
    token.revoked = True
    token.save()
    assert api_token_user(key) is None


def test_a_holder_made_inactive_is_refused_at_once(cadre, key):
    assert api_token_user(key) is not None
    cadre.is_active = False
    cadre.save()
    assert api_token_user(key) is None


def test_a_town_given_to_the_holder_is_served_at_once(cadre, key):
    before = served_town_ids(api_token_user(key))
    another = TownFactory(bureau=cadre.bureau)
    cadre.towns.add(another)
    assert served_town_ids(api_token_user(key)) == before | {another.pk}
    another.cadres.clear()
    assert served_town_ids(api_token_user(key)) == before


def test_each_request_gets_its_own_copy_of_the_holder(key):
    first = api_token_user(key)
    first.display_name = "changed by one request"
    assert api_token_user(key).display_name != "changed by one request"


def test_an_unknown_key_is_refused_and_not_held(key, max_queries):
    assert api_token_user("lj_not-a-key") is None
    with max_queries(1):
        assert api_token_user("lj_not-a-key") is None
    assert api_token_user("") is None


def test_signing_in_keeps_the_holders_held(cadre, key, max_queries):
    assert api_token_user(key) is not None
    update_last_login(None, cadre)  # what signing in does: last_login saved alone
    with max_queries(0):
        assert api_token_user(key).pk == cadre.pk
    cadre.is_active = False
    cadre.save(update_fields=["is_active", "last_login"])  # a save that says more is still heard
    assert api_token_user(key) is None
