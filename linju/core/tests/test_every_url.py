"""Every URL pattern of config/urls.py (the admin's own aside), asked by every demo role, with real
objects of the cadre's own town and of another town (and another bureau) in its path, by GET and by
an empty POST: no answer may be a server error (issue 15, "No 500, ever").

The path's values come from the demo: a case, a resident, a booth, a seeker… of 永新镇 (the
cadre's town) and of 东溪镇 / 万盛. A new kind of path parameter must be given values below, or
the test says which one it does not know."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from linju.accounts.models import User
from linju.accounts.services import api_token_create
from linju.audit.models import ExportJob
from linju.cases.models import Case, CasePhoto, Extension, FollowUp
from linju.eligibility.models import DiscoveryList, DiscoveryRun
from linju.geo.models import MarketPlace, Town, Village
from linju.insights.models import ImportJob
from linju.jobs.models import JobSeeker, Referral, Vacancy
from linju.outreach.models import BoothSession, HomeTask, Pensioner
from linju.people.models import Resident
from linju.planning.models import PlanRun

ROLES = ["", "yongxin_cadre", "qj_staff", "qj_leader", "ws_staff", "admin"]
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def first(queryset):
    found = queryset.order_by("pk").first()
    return found.pk if found else 999_999


def values_for(town: Town) -> dict[str, object]:
    """Path values of one town's objects."""
    cadre = User.objects.filter(towns=town).first() or User.objects.get(username="qj_staff")
    run = DiscoveryRun.objects.create(bureau_id=town.bureau_id, started_by=cadre, town=town, status="done")
    listing = DiscoveryList.objects.filter(village__town=town).first()
    return {
        "number": (Case.objects.filter(town=town).order_by("number").first() or Case(number="X")).number,
        "resident_id": first(Resident.objects.filter(village__town=town)),
        "follow_up_id": first(FollowUp.objects.filter(case__town=town)),
        "extension_id": first(Extension.objects.filter(case__town=town)),
        "photo_id": first(CasePhoto.objects.filter(case__town=town)),
        "booth_id": first(BoothSession.objects.filter(market__town=town)),
        "task_id": first(HomeTask.objects.filter(resident__village__town=town)),
        "pensioner_id": first(Pensioner.objects.filter(resident__village__town=town)),
        "seeker_id": first(JobSeeker.objects.filter(resident__village__town=town)),
        "vacancy_id": first(Vacancy.objects.filter(employer__village__town__bureau=town.bureau)),
        "referral_id": first(Referral.objects.filter(seeker__resident__village__town=town)),
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


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_with_a_server_error(client, demo, role):
    yongxin = Town.objects.get(name="永新镇")
    dongxi = Town.objects.get(name="东溪镇")
    nantong = Town.objects.filter(bureau__zone="万盛经开区").order_by("code").first()
    staff = User.objects.get(username="qj_staff")
    planned = PlanRun.objects.create(created_by=staff, budget=1, status="done")
    towns = [yongxin, dongxi, nantong]
    sets = []
    for town in towns:
        values = values_for(town) | {"plan_run_id": planned.pk}
        sets.append((values, Village.objects.filter(town=town).order_by("code").first().code))
    headers = {}
    if role:
        user = User.objects.get(username=role)
        client.force_login(user)
        if user.role != "leader":
            headers["HTTP_AUTHORIZATION"] = "Bearer " + api_token_create(user=user, name="walk")[1]
    failures = []
    routes = [r for r in patterns(get_resolver().url_patterns) if not r.startswith(("admin/", "api/v1/docs"))]
    for route in routes:
        for values, village_code in sets:
            url = fill(route, values, village_code)
            for method in ("get", "post"):
                response = getattr(client, method)(url, **headers)
                if response.status_code >= 500:
                    failures.append((method.upper(), url, response.status_code))
            if "<" not in route:
                break  # no path values: one town's pass is enough
    assert not failures, failures
