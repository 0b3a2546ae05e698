import pytest
from django.contrib.auth.models import AnonymousUser

from linju.access.capabilities import can
from linju.access.scoping import towns_for_viewer
from linju.accounts.tests.factories import AdminFactory, CadreFactory, LeaderFactory, UserFactory
from linju.geo.tests.factories import BureauFactory, TownFactory


@pytest.fixture
def towns(db):
    qijiang = BureauFactory()
    wansheng = BureauFactory(zone="万盛经开区", name="万盛", short_name="万盛")
    return {
        "qijiang": qijiang,
        "wansheng": wansheng,
        "a": TownFactory(bureau=qijiang),
        "b": TownFactory(bureau=qijiang),
        "w": TownFactory(bureau=wansheng),
    }


def codes(queryset):
    return sorted(t.code for t in queryset)


def test_cadre_serves_only_assigned_towns(towns):
    cadre = CadreFactory(bureau=towns["qijiang"], towns=[towns["a"]])
    assert codes(towns_for_viewer(cadre)) == [towns["a"].code]


def test_cadre_cannot_be_widened_into_another_bureau(towns):
    cadre = CadreFactory(bureau=towns["qijiang"], towns=[towns["a"], towns["w"]])
    assert codes(towns_for_viewer(cadre)) == [towns["a"].code]


@pytest.mark.parametrize("factory", [UserFactory, LeaderFactory, AdminFactory])
def test_bureau_roles_see_their_bureau(towns, factory):
    user = factory(bureau=towns["wansheng"])
    assert codes(towns_for_viewer(user)) == [towns["w"].code]


def test_platform_superuser_sees_everything(towns):
    root = UserFactory(bureau=None, is_superuser=True)
    assert towns_for_viewer(root).count() == 3


def test_inactive_and_anonymous_see_nothing(towns):
    assert not towns_for_viewer(AnonymousUser()).exists()
    assert not towns_for_viewer(UserFactory(bureau=towns["qijiang"], is_active=False)).exists()


def test_who_may_unmask_and_administer(towns):
    assert can(CadreFactory(bureau=towns["qijiang"]), "resident.unmask")
    assert not can(LeaderFactory(bureau=towns["qijiang"]), "resident.unmask")
    assert can(AdminFactory(bureau=towns["qijiang"]), "admin.site")
    assert not can(UserFactory(bureau=towns["qijiang"]), "admin.site")


def test_staff_must_belong_to_a_bureau(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserFactory(bureau=None, is_superuser=False)
