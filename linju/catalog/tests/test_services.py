import datetime

import pytest
from django.core.exceptions import ValidationError

from linju.accounts.tests.factories import AdminFactory, CadreFactory
from linju.catalog.models import Delegation
from linju.catalog.services import delegation_create, delegation_end
from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.core.errors import Conflict, DomainError, PermissionDenied
from linju.geo.tests.factories import TownFactory

D = datetime.date


@pytest.fixture
def setting(db):
    item, town = ServiceItemFactory(), TownFactory()
    admin = AdminFactory(bureau=town.bureau)
    first = delegation_create(
        actor=admin, item=item, town=town, mode="finish", valid_from=D(2014, 7, 1), valid_to=D(2020, 12, 31)
    )
    return {"item": item, "town": town, "admin": admin, "first": first}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2014, 1, 1), D(2014, 7, 1)),  # ends on the first day
        (D(2020, 12, 31), None),  # starts on the last day, open-ended
        (D(2015, 1, 1), D(2015, 2, 1)),  # inside
        (D(2010, 1, 1), None),  # covers everything
    ],
)
def test_overlapping_delegations_are_refused(setting, start, end):
    with pytest.raises(Conflict) as error:
        delegation_create(
            actor=setting["admin"],
            item=setting["item"],
            town=setting["town"],
            mode="accept_forward",
            valid_from=start,
            valid_to=end,
        )
    assert error.value.code == "delegation_overlap"
    assert "2014-07-01" in error.value.text()
    assert Delegation.objects.count() == 1


@pytest.mark.parametrize(("start", "end"), [(D(2021, 1, 1), None), (D(2010, 1, 1), D(2014, 6, 30))])
def test_adjacent_delegations_are_allowed(setting, start, end):
    delegation_create(
        actor=setting["admin"],
        item=setting["item"],
        town=setting["town"],
        mode="accept_forward",
        valid_from=start,
        valid_to=end,
    )
    assert Delegation.objects.count() == 2


def test_same_dates_in_another_town_are_fine(setting):
    other = TownFactory(bureau=setting["town"].bureau)
    delegation_create(
        actor=setting["admin"], item=setting["item"], town=other, mode="finish", valid_from=D(2014, 7, 1)
    )


def test_end_before_start_is_refused(setting):
    with pytest.raises(DomainError):
        delegation_create(
            actor=setting["admin"],
            item=setting["item"],
            town=TownFactory(),
            mode="finish",
            valid_from=D(2020, 1, 1),
            valid_to=D(2019, 1, 1),
        )


def test_only_administrators_delegate(setting):
    cadre = CadreFactory(bureau=setting["town"].bureau)
    with pytest.raises(PermissionDenied):
        delegation_create(
            actor=cadre, item=setting["item"], town=setting["town"], mode="finish", valid_from=D(2030, 1, 1)
        )


def test_history_records_who_changed_what(setting):
    delegation_end(actor=setting["admin"], delegation=setting["first"], last_day=D(2019, 12, 31))
    history = setting["first"].history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert history.last().history_user == setting["admin"]
    assert history.last().valid_to == D(2019, 12, 31)


def test_model_clean_refuses_overlap_for_the_admin_form(setting):
    clash = DelegationFactory.build(item=setting["item"], town=setting["town"], valid_from=D(2016, 1, 1))
    with pytest.raises(ValidationError):
        clash.full_clean()
