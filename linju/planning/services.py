"""Proposals: start one, solve it (a huey job or the command), hand it to the booth plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import towns_for_viewer
from linju.core import heartbeat
from linju.core.errors import DomainError
from linju.geo.models import MarketPlace
from linju.geo.services import market_places_set_regular_booths
from linju.outreach.towns import towns_plan_booths_from_markets

from . import solver
from .models import PlanRun
from .selectors import figures, planning_area

if TYPE_CHECKING:
    from linju.accounts.models import User

TOP_VILLAGES = 10


def require_planner(actor: User) -> None:
    require(actor, "plan.run")


def plan_runs_fail_silent() -> int:
    """Solves whose worker died (linju/core/heartbeat.py) are failed, with a message for the page.
    No transaction: one UPDATE, from a periodic sweep and the page."""
    return heartbeat.fail_silent(
        PlanRun,
        waiting=[PlanRun.Status.QUEUED, PlanRun.Status.RUNNING],
        failed=PlanRun.Status.FAILED,
        error=heartbeat.silent_message()[:300],
    )


def plan_start(
    *,
    actor: User,
    budget: int,
    objective: str = PlanRun.Objective.MEDIAN,
    within: int = 30,
    town_code: str | None = None,
    town_minimum: int = 0,
    method: str = PlanRun.Method.AUTO,
    fixed_in: list[str] = (),
    fixed_out: list[str] = (),
) -> PlanRun:
    """A run to solve, with its kept and left-out market places, in a durable transaction of its own:
    the page queues the job once it has returned, so after the run is committed."""
    require_planner(actor)
    if not 0 <= budget <= 500:
        raise DomainError(_("The number of market places is between 0 and 500."), field="budget")
    if not 1 <= within <= 600:
        raise DomainError(_("Give the reach in minutes, between 1 and 600."), field="within")
    town = None
    if town_code:
        town = towns_for_viewer(actor).filter(code=town_code).first()
        if town is None:
            raise DomainError(_("No such town among the towns you serve."), field="town")
    # market places of the planner's own towns only: any other code is as unknown as a made-up one
    mine = MarketPlace.objects.visible_to(actor)
    markets = {m.code: m for m in mine.filter(code__in=[*fixed_in, *fixed_out])}
    unknown = [c for c in [*fixed_in, *fixed_out] if c not in markets]
    if unknown:
        raise DomainError(
            _("Unknown market places: %(codes)s."), params={"codes": "、".join(unknown)}, field="fixed_in"
        )
    if set(fixed_in) & set(fixed_out):
        raise DomainError(_("A market place cannot be both kept and left out."), field="fixed_out")
    with transaction.atomic(durable=True):
        run = PlanRun.objects.create(
            created_by=actor,
            town=town,
            objective=objective,
            within=within,
            budget=budget,
            town_minimum=town_minimum,
            method=method,
        )
        run.fixed_in.set([markets[c] for c in fixed_in])
        run.fixed_out.set([markets[c] for c in fixed_out])
    return run


def plan_execute(*, run: PlanRun, progress=None) -> PlanRun:
    """Solve the run's problem; record the choice, its gap and today's figures against it. Not one
    transaction: the huey job commits "running" first, for the page to show while it solves."""
    PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.RUNNING, updated_at=timezone.now())
    try:
        area = planning_area(viewer=run.created_by, town_code=run.town.code if run.town_id else None)
        instance = area.instance
        column = {m.pk: j for j, m in enumerate(area.markets)}
        instance.budget = run.budget
        instance.fixed_in = {column[m] for m in run.fixed_in.values_list("pk", flat=True) if m in column}
        instance.fixed_out = {column[m] for m in run.fixed_out.values_list("pk", flat=True) if m in column}
        if run.town_minimum:
            instance.town_minimum = {int(t): run.town_minimum for t in set(instance.towns.tolist())}
        use_exact = run.method == PlanRun.Method.EXACT or (
            run.method == PlanRun.Method.AUTO and solver.exact_is_quick(instance, run.objective, run.within)
        )
        try:
            if use_exact:
                answer = solver.exact(instance, run.objective, run.within)
            else:
                answer = solver.heuristic(instance, run.objective, run.within, progress=progress)
        except solver.InfeasibleProblem:
            raise DomainError(
                _("The kept places and the per-town minimum need more market places than the budget allows.")
            ) from None
        today, proposed = figures(instance, []), figures(instance, answer.chosen)
        before, after = solver.distances(instance, []), solver.distances(instance, answer.chosen)
        gain = np.where(np.isfinite(before), before, 0) - np.where(np.isfinite(after), after, 0)
        villages = [
            {
                "code": v.code,
                "name": v.name,
                "town": v.town.name,
                "people": int(instance.population[i]),
                "before": None if not np.isfinite(before[i]) else float(before[i]),
                "after": None if not np.isfinite(after[i]) else float(after[i]),
                "lat": v.latitude,
                "lon": v.longitude,
            }
            for i, v in enumerate(area.villages)
        ]
        gaining = [
            villages[i] | {"gain": float(gain[i])}
            for i in np.argsort(-gain * instance.population)[:TOP_VILLAGES]
            if gain[i] > 0
        ]
        run.used, run.objective_value, run.bound, run.gap, run.seconds = (
            answer.method,
            answer.objective,
            answer.bound,
            answer.gap,
            answer.seconds,
        )
        run.result = {
            "today": today.__dict__,
            "proposed": proposed.__dict__,
            "gaining": gaining,
            "villages": villages,
            "markets": [
                {
                    "code": m.code,
                    "name": m.name,
                    "town": m.town.name,
                    "lat": m.latitude,
                    "lon": m.longitude,
                    "chosen": j in answer.chosen,
                }
                for j, m in enumerate(area.markets)
            ],
            "synthetic": area.synthetic,
        }
        run.status = PlanRun.Status.DONE
        run.save()
        run.chosen.set([area.markets[j] for j in answer.chosen])
    except DomainError as error:
        PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.FAILED, error=error.text()[:300])
        run.refresh_from_db()
        return run
    except Exception as error:
        PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.FAILED, error=str(error)[:300])
        raise
    return run


@transaction.atomic(durable=True)
def plan_apply(*, actor: User, run: PlanRun) -> int:
    """Hand the proposal to the booth plan: the chosen market places get a regular booth, the other
    candidates of the same towns do not, and those towns plan booth days from market cycles. One
    durable transaction: all of it or none."""
    require_planner(actor)
    if run.status != PlanRun.Status.DONE:
        raise DomainError(_("Only a finished proposal can be used."))
    chosen = set(run.chosen.values_list("pk", flat=True))
    codes = [m["code"] for m in run.result.get("markets", [])]
    markets = MarketPlace.objects.filter(code__in=codes).visible_to(actor)
    changed = market_places_set_regular_booths(markets=markets, chosen=chosen)
    towns_plan_booths_from_markets(
        actor=actor, town_ids=markets.filter(pk__in=chosen).values_list("town_id", flat=True).distinct()
    )
    PlanRun.objects.filter(pk=run.pk).update(applied_at=timezone.now())
    return changed
