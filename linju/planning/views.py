from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.guards import needs
from linju.access.scoping import towns_for_viewer
from linju.core.enqueue import enqueue
from linju.core.errors import DomainError
from linju.core.feedback import add_form_errors, flash_error
from linju.geo.models import MarketPlace

from . import selectors, services, tasks
from .forms import JobServiceForm, PlanForm
from .models import PlanRun


def _form(request, data=None):
    towns = towns_for_viewer(request.user).order_by("code")
    markets = MarketPlace.objects.select_related("town").visible_to(request.user)
    return PlanForm(data, towns=towns, markets=markets.order_by("town__code", "code"))


@needs("plan.run")
@login_required
@require_http_methods(["GET", "POST"])
def planning(request):
    """Propose where booths do the most good; long solves go to the background."""
    services.require_planner(request.user)
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.plan_start(
                actor=request.user,
                budget=data["budget"],
                objective=data["objective"],
                within=data["within"],
                town_code=data["town"] or None,
                town_minimum=data["town_minimum"],
                method=data["method"],
                fixed_in=data["fixed_in"],
                fixed_out=data["fixed_out"],
            )
        except DomainError as error:
            add_form_errors(form, error)
        else:
            enqueue(tasks.run_plan, run.pk, record=False)  # refused: the sweep queues it
            return redirect("planning:run", run_id=run.pk)
    services.plan_runs_fail_silent()  # a solve whose worker died shows as stopped
    runs = selectors.plan_runs(viewer=request.user)[:10]
    return render(
        request, "planning/index.html", {"form": form, "runs": runs}, status=400 if form.errors else 200
    )


def _town_labels(villages: list[dict]) -> list[list]:
    """Each town's name at the middle of its villages, for the map."""
    places: dict[str, list[tuple[float, float]]] = {}
    for v in villages:
        if v["lon"] is not None:
            places.setdefault(v["town"], []).append((v["lon"], v["lat"]))
    return [
        [sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points), town]
        for town, points in places.items()
    ]


def _run(request, run_id: int) -> PlanRun:
    services.require_planner(request.user)
    services.plan_runs_fail_silent()
    return selectors.plan_run_get(viewer=request.user, run_id=run_id)


@needs("plan.run")
@login_required
@require_GET
def plan_run(request, run_id: int):
    run = _run(request, run_id)
    result = run.result or {}
    chart = {
        "villages": [
            [v["lon"], v["lat"], v["before"], v["after"], f"{v['town']}{v['name']}", v["people"]]
            for v in result.get("villages", [])
            if v["lon"] is not None
        ],
        "markets": [
            [m["lon"], m["lat"], m["name"], m["chosen"]] for m in result.get("markets", []) if m["lon"]
        ],
        "names": [str(_("Today")), str(_("Proposed")), str(_("Chosen market places")), str(_("minutes"))],
        "towns": _town_labels(result.get("villages", [])),
    }
    today, proposed = result.get("today", {}), result.get("proposed", {})
    fall = (
        round(today["mean_minutes"] - proposed["mean_minutes"], 1)
        if today.get("mean_minutes") is not None and proposed.get("mean_minutes") is not None
        else None
    )
    return render(
        request,
        "planning/run.html",
        {
            "run": run,
            "result": result,
            "chart": chart,
            "fall": fall,
            "gap_percent": round(100 * run.gap, 2) if run.gap is not None else None,
            "chosen": run.chosen.select_related("town"),
        },
    )


@needs("plan.run")
@login_required
@require_POST
def plan_apply(request, run_id: int):
    run = _run(request, run_id)
    try:
        changed = services.plan_apply(actor=request.user, run=run)
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            _("Handed to the booth plan: %(n)d market places changed. Plan the month's booth days now.")
            % {"n": changed},
        )
        return redirect("outreach:booths")
    return redirect("planning:run", run_id=run.pk)


@needs("figures.read")
@login_required
@require_GET
def job_services(request):
    """The 15-minute job-service circle: the share of people within reach, town by town, and where
    new 零工驿站 would bring the most people within it."""
    towns = towns_for_viewer(request.user).order_by("code")
    form = JobServiceForm(request.GET or None, towns=towns)
    town_code, count = None, JobServiceForm.base_fields["count"].initial
    if form.is_bound and form.is_valid():
        town_code = form.cleaned_data["town"] or None
        count = form.cleaned_data["count"] or count
    reach = proposal = None
    if not form.errors:
        reach = selectors.job_service_reach(viewer=request.user, town_code=town_code)
        proposal = selectors.job_station_proposal(
            viewer=request.user, count=count, town_code=town_code, area=reach.area
        )
    return render(
        request,
        "planning/job_services.html",
        {"form": form, "reach": reach, "proposal": proposal, "minutes": selectors.JOB_SERVICE_MINUTES},
        status=400 if form.errors else 200,
    )
