"""Every URL pattern of config/urls.py (the admin's own aside), asked by every demo role, with real
objects of the cadre's own town and of another town (and another bureau) in its path, by GET and by
an empty POST: no answer may be a server error, and every answer agrees with the capability table.

Each page and API operation declares what it needs (`@needs`, `@signed_in`, `@public`,
linju/access/guards.py); a view or operation that declares nothing fails here. A role without the
declared capability is refused (403 or 404; someone not signed in is sent to log in, or told 401 by
the API); a role with it is not refused its own towns' objects.

The path's values come from the demo: a case, a resident, a booth, a seeker… of 永新镇 (the
cadre's town) and of 东溪镇 / 万盛. A new kind of path parameter must be given values below, or
the test says which one it does not know."""

import inspect
import re

import pytest
from django.urls import URLResolver, get_resolver

from linju.access.capabilities import can
from linju.access.guards import PUBLIC, SIGNED_IN, declared
from linju.accounts.models import User
from linju.accounts.services import api_token_create
from linju.audit.models import ExportJob
from linju.cases.models import Appeal, Case, CasePhoto, Extension, FollowUp, Rating
from linju.consent.models import Authorisation
from linju.eligibility.models import DiscoveryList, DiscoveryRun
from linju.geo.models import MarketPlace, Town, Village
from linju.gigs.models import Dispatch, Gig
from linju.insights.models import ImportJob
from linju.jobs.models import JobSeeker, Referral, Vacancy
from linju.offers.models import Offer, TextReply
from linju.outreach.models import BoothSession, HomeTask, Pensioner
from linju.people.models import Resident
from linju.planning.models import PlanRun

ROLES = ["", "yongxin_cadre", "qj_staff", "qj_leader", "ws_staff", "admin"]
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


# django-ninja's own pages (the schema, its docs page, the API's root): no data, declared here
NINJA_OWN = {"api:openapi-json", "api:openapi-view", "api:api-root"}
WALKED = ("admin/", "api/v1/docs")  # the admin checks its own users; the docs page is ninja's


def patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def views(resolvers, prefix="", namespace=""):
    """(route, URL name, view) of every pattern."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from views(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), entry.callback


def operations(view) -> dict[str, object] | None:
    """An API path's operations by HTTP method (None for a page): the functions django-ninja calls."""
    path_view = inspect.getclosurevars(view).nonlocals.get("self") if view.__closure__ else None
    if path_view is None or not hasattr(path_view, "operations"):
        return None
    return {method: op.view_func for op in path_view.operations for method in op.methods}


def declarations() -> tuple[dict[tuple[str, str], tuple[str, ...]], list[str]]:
    """{(route, method): what it needs} for every walked route, and the views that declare nothing."""
    found, undeclared = {}, []
    for route, name, view in views(get_resolver().url_patterns):
        if route.startswith(WALKED) or name in NINJA_OWN:
            continue
        by_method = operations(view)
        if by_method is None:
            by_method = {"GET": view, "POST": view}
        for method, function in by_method.items():
            needs = declared(function)
            if needs is None:
                undeclared.append(f"{method} {route} ({name})")
            elif method in ("GET", "POST"):
                found[route, method] = needs
    return found, undeclared


def test_every_page_and_api_operation_declares_what_it_needs():
    found, undeclared = declarations()
    assert not undeclared, "declare @needs, @signed_in or @public (linju/access/guards.py): " + ", ".join(
        undeclared
    )
    assert ("staff/residents/<int:resident_id>/", "GET") in found
    assert found["api/v1/people/residents/<resident_id>", "GET"] == ("person.read",)
    assert found["api/v1/people/residents", "POST"] == ("resident.register",)


def disagreement(role, user, method, url, needs, response, own: bool) -> str | None:
    """Why the answer does not agree with the declaration (None when it does)."""
    (status, location), api = response, url.startswith("/api/")
    if needs == (PUBLIC,):
        return None
    if not role:
        if api and status in (401, 403):
            return None
        if not api and status == 302 and "/accounts/login/" in location:
            return None
        return "not signed in, yet not sent to log in"
    if needs == (SIGNED_IN,) or any(can(user, name) for name in needs):
        if own and method == "GET" and status == 403:
            return "refused though the role holds " + " or ".join(needs)
        return None
    if status in (403, 404) or (api and status in (400, 415, 422)):
        return None  # the API parses its input before the check: what does not parse is refused first
    return "answered though the role lacks " + " or ".join(needs)


def first(queryset):
    found = queryset.order_by("pk").first()
    return found.pk if found else 999_999


def text_received(town: Town) -> int:
    """A text a resident of the town sent back, for staff to read."""
    resident = Resident.objects.filter(village__town=town).order_by("pk").first()
    if resident is None:
        return 999_999
    return TextReply.objects.create(
        bureau_id=resident.bureau_id,
        phone=resident.phone or "13900000000",
        text="请回电",
        kind=TextReply.Kind.TO_READ,
        resident=resident,
        village_id=resident.village_id,
    ).pk


def values_for(town: Town) -> dict[str, object]:
    """Path values of one town's objects."""
    cadre = User.objects.filter(towns=town).first() or User.objects.get(username="qj_staff")
    run = DiscoveryRun.objects.create(bureau_id=town.bureau_id, started_by=cadre, town=town, status="done")
    listing = DiscoveryList.objects.filter(village__town=town).first()
    return {
        "number": (Case.objects.filter(town=town).order_by("number").first() or Case(number="X")).number,
        "resident_id": first(Resident.objects.filter(village__town=town)),
        "follow_up_id": first(FollowUp.objects.filter(case__town=town)),
        "rating_id": first(Rating.objects.filter(town=town)),
        "appeal_id": first(Appeal.objects.filter(rating__town=town)),
        "extension_id": first(Extension.objects.filter(case__town=town)),
        "photo_id": first(CasePhoto.objects.filter(case__town=town)),
        "booth_id": first(BoothSession.objects.filter(market__town=town)),
        "task_id": first(HomeTask.objects.filter(resident__village__town=town)),
        "pensioner_id": first(Pensioner.objects.filter(resident__village__town=town)),
        "seeker_id": first(JobSeeker.objects.filter(resident__village__town=town)),
        "vacancy_id": first(Vacancy.objects.filter(employer__village__town__bureau=town.bureau)),
        "referral_id": first(Referral.objects.filter(seeker__resident__village__town=town)),
        "reply_id": text_received(town),
        "run_id": run.pk,
        "list_id": listing.pk if listing else 999_999,
        "job_id": ImportJob.objects.create(
            bureau_id=town.bureau_id,
            kind="residents",
            created_by=cadre,
            filename="a.xlsx",
            upload="imports/test.xlsx",
            status="done",
        ).pk,
        "code": town.code,
        "key": "home-tasks",
        "kind": "residents",
        "token": "not-a-token",
        "export_token": ExportJob.objects.create(
            bureau_id=town.bureau_id, requested_by=cadre, kind="residents", status="queued"
        ).token,
        "market_id": first(MarketPlace.objects.filter(town=town)),
        "request_id": (Case.objects.filter(town=town).order_by("number").first() or Case(number="X")).number,
        "fmt": "json",
        "town": town.code,
        "day": "2026-11-25",
        "offer_id": first(Offer.objects.filter(village__town=town)),
        "gig_id": first(Gig.objects.filter(town=town)),
        "dispatch_id": first(Dispatch.objects.filter(gig__town=town)),
        "authorisation_id": first(Authorisation.objects.filter(principal__village__town=town)),
        "purpose": "biometric_cert",
    }


def fill(route: str, values: dict, village_code: str) -> str:
    def one(match):
        name = match.group(2)
        if name == "code":  # a village's page, an item, or a town
            return (
                village_code
                if route.startswith("villages/")
                else "UI-002"
                if "items" in route
                else values["code"]
            )
        if name == "token" and match.group(1) == "uuid":  # an export of the town's cadre
            return str(values["export_token"])
        if name == "run_id" and route.startswith("staff/planning/"):
            return str(values["plan_run_id"])
        assert name in values, f"no value for <{name}> in {route}: add one to values_for()"
        return str(values[name])

    return "/" + PARAM.sub(one, route)


ANSWERS: dict[str, list[tuple]] = {}  # role -> the walk's answers: both tests below read one walk


def walk(role: str) -> list[tuple]:
    """(method, route, url, own town?, (status, Location)) of every URL, as the role."""
    from django.test import Client

    client = Client()
    yongxin = Town.objects.get(name="永新镇")
    dongxi = Town.objects.get(name="东溪镇")
    nantong = Town.objects.filter(bureau__zone="万盛经开区").order_by("code").first()
    staff = User.objects.get(username="qj_staff")
    planned = PlanRun.objects.create(created_by=staff, budget=1, status="done")
    headers, user = {}, None
    if role:
        user = User.objects.get(username=role)
        client.force_login(user)
        if user.role != "leader":
            headers["HTTP_AUTHORIZATION"] = "Bearer " + api_token_create(user=user, name="walk")[1]
    own_towns = {"yongxin_cadre": {yongxin}, "ws_staff": {nantong}}.get(role, {yongxin, dongxi})
    answers = []
    routes = [r for r in patterns(get_resolver().url_patterns) if not r.startswith(WALKED)]
    for town in (yongxin, dongxi, nantong):
        values = values_for(town) | {"plan_run_id": planned.pk}
        village_code = Village.objects.filter(town=town).order_by("code").first().code
        for route in routes:
            if "<" not in route and town != yongxin:
                continue  # no path values: one town's pass is enough
            url = fill(route, values, village_code)
            for method in ("get", "post"):
                response = getattr(client, method)(url, **headers)
                if user is not None and route == "accounts/logout/":
                    client.force_login(user)  # signed out by the walk: back in for the next URL
                answer = (response.status_code, response.get("Location", ""))
                answers.append((method.upper(), route, url, town in own_towns, answer))
    return answers


def answers_of(role: str) -> list[tuple]:
    if role not in ANSWERS:
        ANSWERS[role] = walk(role)
    return ANSWERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_with_a_server_error(demo_read, role):
    failures = [(m, url, status) for m, _route, url, _own, (status, _) in answers_of(role) if status >= 500]
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_agrees_with_what_the_url_declares(demo_read, role):
    """Leaders read figures, never people: the resident, seeker, pensioner and home-task pages and
    their API answers refuse them; each role gets what the capability table gives it."""
    found, _undeclared = declarations()
    user = User.objects.get(username=role) if role else None
    failures = []
    for method, route, url, own, response in answers_of(role):
        needs = found.get((route, method))
        if needs is None:
            continue  # the method is not the operation's (405), or the route is ninja's own
        why = disagreement(role, user, method, url, needs, response, own)
        if why:
            failures.append((method, url, response[0], why))
    assert not failures, failures


def test_the_api_is_matched_before_the_pages_and_no_page_takes_its_addresses():
    """The API's patterns come early (every request is matched against the patterns in order): that
    moves no request as long as no other pattern takes an address under api/."""
    top = get_resolver().url_patterns
    (api_at,) = [i for i, entry in enumerate(top) if str(entry.pattern) == "api/v1/"]
    assert api_at <= 3
    others = list(patterns(top[:api_at] + top[api_at + 1 :]))
    # an address beginning with api/, or with a parameter that could take "api"
    assert others and not [route for route in others if route.startswith(("api", "<"))]
