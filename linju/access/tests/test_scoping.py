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


# How a row of each scoped model reaches its town, written out here apart from the models, so that a
# model declaring the wrong path in its QuerySet fails the agreement below.
TOWN_PATHS = {
    "cases.Case": "town",
    "cases.FollowUp": "town",
    "cases.BundleCase": "town",
    "cases.JinbaoEntry": "case__town",
    "cases.Rating": "town",
    "cases.Appeal": "rating__town",
    "people.Resident": "village__town",
    "geo.Village": "town",
    "geo.ServicePoint": "town",
    "geo.MarketPlace": "town",
    "outreach.BoothSession": "market__town",
    "outreach.Consultation": "town",
    "outreach.VisitRecord": "village__town",
    "outreach.HomeTask": "resident__village__town",
    "outreach.Pensioner": "resident__village__town",
    "outreach.SignOfLife": "resident__village__town",
    "outreach.LeaderVisit": "town",
    "jobs.JobSeeker": "resident__village__town",
    "jobs.Referral": "seeker__resident__village__town",
    "eligibility.DiscoveryList": "village__town",
    "offers.Offer": "village__town",
    "offers.TextReply": "village__town",
    "identity.Identification": "resident__village__town",
    "gigs.Gig": "town",
    "gigs.GigWorker": "resident__village__town",
    "gigs.SignIn": "worker__resident__village__town",
    "gigs.Dispatch": "gig__town",
    "consent.VillageHelper": "village__town",
    "consent.Authorisation": "principal__village__town",
    "consent.ConsentRecord": "resident__village__town",
}
DEMO_VIEWERS = ("yongxin_cadre", "qj_staff", "ws_staff", "qj_leader", "admin", "platform", "anonymous")


def _demo_viewer(name):
    from linju.accounts.models import User

    if name == "anonymous":
        return AnonymousUser()
    if name == "platform":
        return AdminFactory(username="platform", is_superuser=True, bureau=None)
    return User.objects.get(username=name)


def test_every_model_scoped_by_town_is_listed():
    from django.apps import apps

    from linju.core.querysets import ScopedQuerySet

    scoped = {
        model._meta.label for model in apps.get_models() if isinstance(model.objects.all(), ScopedQuerySet)
    }
    assert scoped == set(TOWN_PATHS)


@pytest.mark.parametrize("label", sorted(TOWN_PATHS))
def test_visible_to_agrees_with_the_scoping_rule(demo_read, label):
    from django.apps import apps

    from linju.access.scoping import scope_to_viewer

    model = apps.get_model(label)
    every = set(model.objects.values_list("pk", flat=True))
    assert every, "the demo holds none of these rows: the agreement below would prove nothing"
    seen = {}
    for name in DEMO_VIEWERS:
        viewer = _demo_viewer(name)
        seen[name] = set(model.objects.visible_to(viewer).values_list("pk", flat=True))
        by_rule = scope_to_viewer(model.objects.all(), viewer=viewer, town_path=TOWN_PATHS[label])
        assert seen[name] == set(by_rule.values_list("pk", flat=True)), name
    assert seen["platform"] == every
    assert seen["anonymous"] == set()
    assert seen["yongxin_cadre"] <= seen["qj_staff"]
    assert not seen["qj_staff"] & seen["ws_staff"]


def test_visible_to_narrows_a_related_manager(demo_read):
    from linju.cases.models import Case
    from linju.people.models import Resident

    cadre = _demo_viewer("yongxin_cadre")
    resident = Resident.objects.filter(cases__isnull=False).exclude(village__town__cadres=cadre).first()
    assert resident.cases.exists()
    assert not resident.cases.visible_to(cadre).exists()
    assert set(resident.cases.visible_to(_demo_viewer("platform"))) == set(
        Case.objects.filter(applicant=resident)
    )


def test_a_scoped_queryset_must_name_its_town_path():
    from linju.core.querysets import ScopedQuerySet

    with pytest.raises(TypeError):
        type("PathlessQuerySet", (ScopedQuerySet,), {})


def test_no_code_types_a_town_path_outside_the_models():
    """Selectors, services and views ask `Model.objects.visible_to(viewer)`: the path from a row to its
    town is written once, on the model's QuerySet, and the rule called only there."""
    import re
    from pathlib import Path

    import linju

    root = Path(linju.__file__).parent.parent
    typed = re.compile(r"\btown_path=[\"']|\bscope_to_viewer\(")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted((root / "linju").rglob("*.py"))
        if "tests" not in path.parts and path.relative_to(root).as_posix() != "linju/access/scoping.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if typed.search(line)
    ]
    assert offenders == []


def test_a_row_read_by_its_key_agrees_with_the_scoping_rule(demo_read):
    """`visible_row` answers as `visible_to(...).filter(key).first()` does, whether the viewer's towns
    are already read (the row checked in Python) or not (the scoped query)."""
    from linju.access.scoping import served_town_ids
    from linju.cases.models import Case

    numbers = list(Case.objects.values_list("number", flat=True)[:40])
    assert numbers
    for name in DEMO_VIEWERS:
        viewer = _demo_viewer(name)
        seen = set(
            Case.objects.visible_to(viewer).filter(number__in=numbers).values_list("number", flat=True)
        )
        cold = {n for n in numbers if Case.objects.visible_row(viewer, number=n) is not None}
        if name != "anonymous":
            served_town_ids(viewer)  # the towns read: now each row is checked in Python
        warm = {n for n in numbers if Case.objects.visible_row(viewer, number=n) is not None}
        assert cold == seen == warm, name
        assert Case.objects.visible_row(viewer, number="no-such-case") is None
