"""The capability table, role by role: every role × every capability, written out here by hand (not
read back from the table), so a change to who may do what is a change to this test too."""

import re
from pathlib import Path

import pytest

from linju.access.capabilities import CAPABILITIES, TABLE, can, granted, require
from linju.access.roles import ADMIN, CADRE, LEADER, ROLES, STAFF
from linju.core.errors import PermissionDenied

C, S, L, A = CADRE, STAFF, LEADER, ADMIN
EXPECTED = {
    "resident.look_up": {C, S, A},
    "resident.unmask": {C, S, A},
    "person.read": {C, S, A},
    "resident.register": {C, S, A},
    "personal.export": {C, S, A},
    "case.read": {C, S, L, A},
    "case.accept": {C, S, A},
    "case.start": {C, S, A},
    "case.suspend": {C, S, A},
    "case.resume": {C, S, A},
    "case.forward": {C, S, A},
    "case.finish": {C, S, A},
    "case.return": {C, S, A},
    "case.send_back": {S, A},
    "case.hand_over": {C, S, A},
    "case.reopen": {C, S, A},
    "case.photo": {C, S, A},
    "case.papers_unmask": {C, S, A},
    "case.follow_up": {C, S, A},
    "case.extend": {C, S, A},
    "case.extend_approve": {S, L, A},
    "case.see_forwarded": {S, A},
    "rating.callback": {C, S, A},
    "rating.appeal": {C, S, A},
    "rating.appeal_decide": {S, L, A},
    "case.reminded": {C, S},
    "outreach.work": {C, S, A},
    "outreach.certify": {C, S, A},
    "outreach.certify_by_data": {C, S, A},
    "outreach.leader_visit": {L, A},
    "discovery.run": {C, S, A},
    "retirement.roster": {C, S, A},
    "offer.read": {C, S, A},
    "offer.approve": {C, S, A},
    "offer.answer": {C, S, A},
    "import.run": {C, S, A},
    "jobs.work": {C, S, A},
    "gig.pay": {C, S, A},
    "gig.wage_guide": {C, S, L, A},
    "gig.wage_guide_import": {S, A},
    "gig.help": {C, S, A},
    "gig.directory": {C, S, L, A},
    "gig.post": {C, S, A},
    "gig.worker": {C, S, A},
    "gig.sign_in": {C, S, A},
    "gig.dispatch": {C, S, A},
    "hall.work": {S, A},
    "jinbao.sheet": {C, S, A},
    "jinbao.enter": {S, A},
    "identity.verify": {C, S, A},
    "authorisation.grant": {C, S, A},
    "authorisation.withdraw": {C, S, A},
    "consent.record": {C, S, A},
    "figures.read": {C, S, L, A},
    "plan.run": {L, S, A},
    "rules.edit": {S, A},
    "catalog.edit": {A},
    "audit.read": {A},
    "exchange.read": {S, A},
    "exchange.resend": {S, A},
    "admin.site": {A},
}


def test_the_table_is_the_expected_one_and_every_row_has_its_refusal():
    assert set(CAPABILITIES) == set(EXPECTED)
    assert len(TABLE) == len(CAPABILITIES)  # no name twice
    assert all(str(row.refusal) for row in TABLE)


@pytest.fixture
def staff(towns_and_staff):
    return {
        C: towns_and_staff.cadre,
        S: towns_and_staff.staff,
        L: towns_and_staff.leader,
        A: towns_and_staff.admin,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_capability_for_each_role(staff, role):
    """Granted where the matrix says; refused, in the row's words, everywhere else."""
    viewer = staff[role]
    for capability, roles in sorted(EXPECTED.items()):
        assert can(viewer, capability) is (role in roles), (role, capability)
        if role in roles:
            require(viewer, capability)
        else:
            with pytest.raises(PermissionDenied) as refused:
                require(viewer, capability)
            assert refused.value.text() == str(CAPABILITIES[capability].refusal), (role, capability)


def test_nobody_signed_in_and_inactive_staff_hold_nothing(towns_and_staff):
    from django.contrib.auth.models import AnonymousUser

    towns_and_staff.cadre.is_active = False
    assert (
        granted(AnonymousUser()) == set()
        and granted(None) == set()
        and granted(towns_and_staff.cadre) == set()
    )


def test_superusers_act_as_administrators(towns_and_staff):
    towns_and_staff.staff.is_superuser = True
    assert granted(towns_and_staff.staff) == {name for name, roles in EXPECTED.items() if A in roles}


def test_an_object_must_be_the_viewers(served):
    """The cadre of 永新镇 may finish 永新镇's station cases, not 东溪镇's, nor 万盛's; a case the
    district handles is started and finished by district staff only."""
    from linju.cases.models import Case

    yongxin = Case(bureau_id=served.yongxin.bureau_id, town=served.yongxin, level="town")
    dongxi = Case(bureau_id=served.dongxi.bureau_id, town=served.dongxi, level="town")
    at_district = Case(bureau_id=served.yongxin.bureau_id, town=served.yongxin, level="district")
    wansheng_town = served.wansheng_resident.village.town
    wansheng = Case(bureau_id=wansheng_town.bureau_id, town=wansheng_town, level="district")
    cadre, staff, ws_staff = served.cadre, served.staff, served.ws_staff
    assert can(cadre, "case.finish", yongxin) and not can(cadre, "case.finish", dongxi)
    assert not can(cadre, "case.finish", at_district) and can(staff, "case.finish", at_district)
    # the district's case is the district's to move: the cadre neither suspends nor returns it
    assert not can(cadre, "case.suspend", at_district) and can(staff, "case.suspend", at_district)
    assert not can(cadre, "case.return", at_district) and can(cadre, "case.hand_over", at_district)
    assert can(staff, "case.finish", dongxi) and not can(staff, "case.finish", wansheng)
    assert can(ws_staff, "case.finish", wansheng) and not can(ws_staff, "case.finish", yongxin)
    with pytest.raises(PermissionDenied) as refused:
        require(cadre, "case.finish", at_district)
    assert refused.value.text() == str(CAPABILITIES["case.finish"].rule_refusal)
    # reminders: cadres of their station cases, district staff of the district's
    assert can(cadre, "case.reminded", yongxin) and not can(cadre, "case.reminded", at_district)
    assert can(staff, "case.reminded", at_district) and not can(staff, "case.reminded", yongxin)


SOURCE_ROOTS = ("linju", "config", "templates")


def _code_and_templates() -> tuple[str, str]:
    """The application's Python (tests aside) and its templates, each as one text."""
    from django.conf import settings

    base = Path(settings.BASE_DIR)
    python, html = [], []
    for root in SOURCE_ROOTS:
        for path in (base / root).rglob("*"):
            if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".py":
                python.append(path.read_text(encoding="utf-8"))
            elif path.suffix == ".html":
                html.append(path.read_text(encoding="utf-8"))
    return "\n".join(python), "\n".join(html)


def test_every_row_of_the_table_is_enforced_somewhere():
    """A row nothing asks for rots: each is named by a `require(`, `can(` or `needs(` call, a step of
    the cases' transition table (`Step(…, "case.start")`), or a template's `"…" in may`."""
    python, html = _code_and_templates()
    asked = set()
    for name in CAPABILITIES:
        quoted = re.escape(f'"{name}"')
        call = re.compile(r"\b(?:require|can|needs|Step)\((?:[^()\"]|\"[^\"]*\"|\([^()]*\))*?" + quoted)
        if call.search(python) or re.search(quoted + r"\s+in\s+may\b", html):
            asked.add(name)
    assert set(CAPABILITIES) - asked == set()


def test_every_capability_a_template_asks_for_is_in_the_table():
    """`{% if "…" in may %}` with a name not in the table is never true: the link it guards would
    vanish for everyone without an error."""
    _python, html = _code_and_templates()
    named = set(re.findall(r"\"([a-z_]+\.[a-z_.]+)\"\s+in\s+may\b", html))
    assert named and named - set(CAPABILITIES) == set()


def test_the_enforcement_check_sees_a_row_nothing_asks_for():
    """The search above is not vacuous: a name only written in the table is not found."""
    python, html = _code_and_templates()
    assert not re.search(r"\b(?:require|can|needs)\([^()]*\"nobody.asks\"", python + html)
    assert re.search(r"\b(?:require|can|needs)\((?:[^()\"]|\"[^\"]*\")*?\"person.read\"", python)
