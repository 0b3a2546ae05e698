"""Who may do what: one table, read by views, API and services alike.

Each row names a capability, the roles granted it, and the refusal in plain words for everyone
else. `can(viewer, "case.finish", case)` answers; `require(...)` refuses with the row's words. An
object, when given, must also be the viewer's: of their bureau and, where it has a town, of a town
they serve; a row may add a rule about the object (a case handled by the district is finished by
district staff). Superusers act as administrators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linju.core.errors import PermissionDenied

from .roles import ADMIN, CADRE, LEADER, STAFF, role_of
from .scoping import served_town_ids

if TYPE_CHECKING:
    from linju.accounts.models import User

STAFF_WORK = frozenset({CADRE, STAFF, ADMIN})  # who handles residents' requests
DISTRICT = frozenset({STAFF, ADMIN})
EVERYONE = frozenset({CADRE, STAFF, LEADER, ADMIN})


def _handled_by_the_district(role: str, case: Any) -> bool:
    """A case the district handles (taken at the hall, or forwarded) is started and finished there."""
    return case.level != "district" or role in DISTRICT


def _the_reminded_level(role: str, case: Any) -> bool:
    """Cadres are reminded of their towns' station cases, district staff of the district's."""
    return case.level == ("town" if role == CADRE else "district")


@dataclass(frozen=True)
class Capability:
    name: str
    roles: frozenset[str]
    refusal: Promise
    rule: Callable[[str, Any], bool] | None = None  # about the object, given the viewer's role
    rule_refusal: Promise | None = None  # when the rule refuses


TABLE: tuple[Capability, ...] = (
    # residents' records
    Capability("resident.look_up", STAFF_WORK, _("Leaders read figures; they do not look residents up.")),
    Capability("person.read", STAFF_WORK, _("Leaders read figures; they do not open a person's record.")),
    Capability("resident.unmask", STAFF_WORK, _("Your role may not see whole ID numbers and phone numbers.")),
    Capability(
        "resident.register", STAFF_WORK, _("Leaders read figures; staff and cadres register residents.")
    ),
    Capability("personal.export", STAFF_WORK, _("Your role may not export personal data.")),
    # cases: taking, each step, ratings by phone, reminders
    Capability("case.read", EVERYONE, _("Sign in to see cases.")),
    Capability("case.accept", STAFF_WORK, _("Your role does not take cases.")),
    Capability("identity.verify", STAFF_WORK, _("Your role does not identify residents.")),
    Capability(
        "case.start",
        STAFF_WORK,
        _("Leaders follow cases; they do not move them."),
        _handled_by_the_district,
        _("The district handles this case now."),
    ),
    Capability(
        "case.suspend",
        STAFF_WORK,
        _("Leaders follow cases; they do not move them."),
        _handled_by_the_district,
        _("The district handles this case now."),
    ),
    Capability("case.resume", STAFF_WORK, _("Leaders follow cases; they do not move them.")),
    Capability("case.forward", STAFF_WORK, _("Leaders follow cases; they do not move them.")),
    Capability(
        "case.finish",
        STAFF_WORK,
        _("Leaders follow cases; they do not move them."),
        _handled_by_the_district,
        _("The district handles this case now."),
    ),
    Capability(
        "case.return",
        STAFF_WORK,
        _("Leaders follow cases; they do not move them."),
        _handled_by_the_district,
        _("The district handles this case now."),
    ),
    Capability(
        "case.send_back",
        DISTRICT,
        _("Only the district sends a forwarded case back to its town."),
        _handled_by_the_district,
        _("The district handles this case now."),
    ),
    Capability("case.hand_over", STAFF_WORK, _("Leaders follow cases; they do not move them.")),
    Capability(
        "case.reopen",
        STAFF_WORK,
        _("Leaders follow cases; staff and cadres record an objection (异议) that reopens one."),
    ),
    Capability("case.photo", STAFF_WORK, _("Photos of papers are taken by the staff who take the case.")),
    Capability(
        "case.papers_unmask",
        STAFF_WORK,
        _(
            "Leaders read figures; photos of papers and decision files are opened by the staff who handle cases."
        ),
    ),
    Capability(
        "case.follow_up",
        STAFF_WORK,
        _("Leaders read how follow-ups are answered; staff and cadres answer them."),
    ),
    Capability("case.extend", STAFF_WORK, _("Leaders follow cases; they do not move them.")),
    Capability(
        "case.extend_approve",
        frozenset({STAFF, LEADER, ADMIN}),
        _("Extensions are approved by district staff or a bureau leader."),
    ),
    Capability(
        "case.see_forwarded", DISTRICT, _("The district's list of forwarded cases is for district staff.")
    ),
    # 好差评: only residents rate; staff call back after a 差评, rectify, and appeal a rating of them
    Capability(
        "rating.callback",
        STAFF_WORK,
        _("Leaders read the callback figures; staff and cadres call residents back and rectify."),
    ),
    Capability("rating.appeal", STAFF_WORK, _("Staff and cadres appeal a rating of their own work.")),
    Capability(
        "rating.appeal_decide",
        frozenset({STAFF, LEADER, ADMIN}),
        _("Appeals against ratings are decided by district staff or a bureau leader."),
    ),
    Capability(
        "case.reminded",
        frozenset({CADRE, STAFF}),
        _("Reminders go to the staff who handle the case."),
        _the_reminded_level,
    ),
    # 金保: the entry sheets of cases taken away from the hall, and the step 录入金保
    Capability(
        "jinbao.sheet",
        STAFF_WORK,
        _("Leaders read how long cases wait for 金保; staff and cadres print and export the entry sheets."),
    ),
    Capability(
        "jinbao.enter",
        DISTRICT,
        _("Cases are entered into 金保 by district staff, on 金保's network."),
    ),
    # outreach, discovery, imports, jobs
    Capability(
        "outreach.work",
        STAFF_WORK,
        _("Leaders record their own visits; booth days and village work are for staff."),
    ),
    # authorisations (委托) and consent receipts: recorded by staff who serve the person's town
    Capability(
        "authorisation.grant", STAFF_WORK, _("Leaders read figures; staff and cadres record authorisations.")
    ),
    Capability(
        "authorisation.withdraw", STAFF_WORK, _("Leaders read figures; staff and cadres record withdrawals.")
    ),
    Capability("consent.record", STAFF_WORK, _("Leaders read figures; staff and cadres record consents.")),
    Capability(
        "outreach.certify",
        STAFF_WORK,
        _("Leaders read how many pensioners are certified; staff and cadres certify them."),
    ),
    Capability(
        "outreach.certify_by_data",
        STAFF_WORK,
        _("Leaders read how many pensioners are certified; staff and cadres certify them by data."),
    ),
    Capability(
        "outreach.leader_visit", frozenset({LEADER, ADMIN}), _("Only bureau leaders record leaders' visits.")
    ),
    Capability(
        "retirement.roster",
        STAFF_WORK,
        _("Leaders read figures; staff and cadres see who of their towns retires soon."),
    ),
    Capability(
        "discovery.run",
        STAFF_WORK,
        _("Leaders read how many could apply in each village; staff run discovery."),
    ),
    # 免申即享: offers made from discovery, looked at before sending, answered for a resident
    Capability(
        "offer.read",
        STAFF_WORK,
        _("Leaders read how many were offered and how they answered; staff and cadres see the offers."),
    ),
    Capability(
        "offer.approve",
        STAFF_WORK,
        _("Leaders read the figures; staff and cadres look at offers and approve them before any is sent."),
    ),
    Capability(
        "offer.answer",
        STAFF_WORK,
        _("Leaders read the figures; staff and cadres record a resident's answer to an offer."),
    ),
    Capability("import.run", STAFF_WORK, _("Leaders read figures; staff and cadres import spreadsheets.")),
    Capability(
        "jobs.work",
        STAFF_WORK,
        _("Leaders read the placement figures; job seekers, vacancies and referrals are staff's work."),
    ),
    # the gig market after the work: pay recorded, the wage guide, workers to help, the directory
    Capability(
        "gig.pay",
        STAFF_WORK,
        _("Leaders read the figures; staff and cadres record a gig done and the pay received."),
    ),
    Capability("gig.wage_guide", EVERYONE, _("Sign in to see the wage guide and the gigs below it.")),
    Capability(
        "gig.wage_guide_import", DISTRICT, _("The district imports the bureau's wage guide (工资指导价位).")
    ),
    Capability(
        "gig.help",
        STAFF_WORK,
        _("Leaders read the figures; staff and cadres see which gig workers of their villages need help."),
    ),
    Capability("gig.directory", EVERYONE, _("Sign in to see the directory of job services.")),
    # 零工市场: gigs posted at a job-service place, workers registered and signed in, dispatch (派工)
    Capability("gig.post", STAFF_WORK, _("Leaders read the gig figures; staff and cadres post gigs.")),
    Capability(
        "gig.worker", STAFF_WORK, _("Leaders read the gig figures; staff and cadres register gig workers.")
    ),
    Capability(
        "gig.sign_in", STAFF_WORK, _("Leaders read the gig figures; staff and cadres sign gig workers in.")
    ),
    Capability(
        "gig.dispatch",
        STAFF_WORK,
        _("Leaders read the gig figures; staff and cadres see the candidates and send workers (派工)."),
    ),
    Capability("hall.work", DISTRICT, _("The district service hall is for district staff.")),
    # figures, planning, rules, the catalogue, the audit log
    Capability("figures.read", EVERYONE, _("Sign in to see the figures.")),
    Capability(
        "plan.run", frozenset({LEADER, STAFF, ADMIN}), _("Planning is for leaders and district staff.")
    ),
    Capability("rules.edit", DISTRICT, _("Only administrators and district staff try rules.")),
    Capability("catalog.edit", frozenset({ADMIN}), _("Only administrators may change the catalogue.")),
    Capability("audit.read", frozenset({ADMIN}), _("Only administrators may read the audit log.")),
    # what the province refused or never answered (dead letters), and sending it again
    Capability("exchange.read", DISTRICT, _("The messages to the province are the district's to follow.")),
    Capability("exchange.resend", DISTRICT, _("Only district staff send messages to the province again.")),
    Capability("admin.site", frozenset({ADMIN}), _("Only administrators use the administration site.")),
)
CAPABILITIES: dict[str, Capability] = {row.name: row for row in TABLE}


def _in_scope(viewer: User, obj: Any) -> bool:
    bureau_id = getattr(obj, "bureau_id", None)
    if viewer.bureau_id is not None and bureau_id is not None and bureau_id != viewer.bureau_id:
        return False
    town_id = getattr(obj, "town_id", None)
    return town_id is None or town_id in served_town_ids(viewer)


def can(viewer: User | None, capability: str, obj: Any = None, *, read_in_scope: bool = False) -> bool:
    """Whether the viewer may do this (to this object, when one is given). `read_in_scope`: the
    object was read through the viewer's scope (a scoped selector), so only the row's rule is left
    to check — no query for the viewer's towns."""
    row = CAPABILITIES[capability]  # a capability not in the table is a programming error
    role = role_of(viewer)
    if role is None or role not in row.roles:
        return False
    if obj is None:
        return True
    return (read_in_scope or _in_scope(viewer, obj)) and (row.rule is None or row.rule(role, obj))


def refused(
    viewer: User | None, capability: str, obj: Any = None, *, read_in_scope: bool = False
) -> PermissionDenied | None:
    """The refusal `require` raises (in the row's plain words), or None when the viewer may: for a
    check that both decides what is offered and refuses what is tried."""
    if can(viewer, capability, obj, read_in_scope=read_in_scope):
        return None
    row = CAPABILITIES[capability]
    role_may = role_of(viewer) in row.roles and (obj is None or read_in_scope or _in_scope(viewer, obj))
    return PermissionDenied(row.rule_refusal if role_may and row.rule_refusal else row.refusal)


def require(
    viewer: User | None, capability: str, obj: Any = None, refusal: Promise | str | None = None
) -> None:
    """Refuse (PermissionDenied, in the row's plain words) unless `can`."""
    error = refused(viewer, capability, obj)
    if error is not None:
        raise PermissionDenied(refusal) if refusal else error


def granted(viewer: User | None) -> set[str]:
    """Every capability the viewer holds (for templates: `{% if "case.accept" in may %}`)."""
    return {row.name for row in TABLE if can(viewer, row.name)}


def require_personal_export(viewer: User | None) -> None:
    """Every export of personal data passes here first: a role that may, from one bureau's records."""
    require(viewer, "personal.export")
    if viewer.bureau_id is None:
        raise PermissionDenied(
            _("Your account belongs to no bureau: an export is taken from one bureau's records.")
        )
