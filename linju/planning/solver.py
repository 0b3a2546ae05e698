"""Where to hold regular market-day booths: p-median and maximal covering over villages.

An instance: villages with a population, stations that are always open (each village's minutes to
its nearest one is `base`), and candidate market places with minutes from each village
(`minutes`, villages × candidates; inf where no road is known). Choose at most `budget` candidates,
keeping the fixed-in ones, never the fixed-out ones, and at least `town_minimum[t]` in town t:

- p-median: least population-weighted travel to the nearest open place;
- maximal covering: most people within `within` minutes of an open place.

Exact: a mixed-integer program solved by SciPy's `milp` (HiGHS). Fast: greedy, then vertex
interchange (Teitz & Bart, with Whitaker's fast swap evaluation, vectorised in numpy), with the
LP relaxation's optimum as a lower bound, so every answer states its gap. No hand-written simplex.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

MEDIAN, COVER = "median", "cover"


class InfeasibleProblem(ValueError):
    """The fixed places and town minimums cannot be met within the budget."""


@dataclass
class Instance:
    population: np.ndarray  # (n,) people per village
    base: np.ndarray  # (n,) minutes to the nearest always-open station (inf if none)
    minutes: np.ndarray  # (n, m) minutes from each village to each candidate
    towns: np.ndarray  # (m,) town index of each candidate
    budget: int
    fixed_in: set[int] = field(default_factory=set)
    fixed_out: set[int] = field(default_factory=set)
    town_minimum: dict[int, int] = field(default_factory=dict)

    def check(self) -> None:
        if self.fixed_in & self.fixed_out:
            raise InfeasibleProblem("a place is both fixed in and fixed out")
        needed = set(self.fixed_in)
        extra = 0
        for town, minimum in self.town_minimum.items():
            inside = {j for j in range(self.minutes.shape[1]) if self.towns[j] == town} - self.fixed_out
            if len(inside) < minimum:
                raise InfeasibleProblem("a town has fewer open-able places than its minimum")
            extra += max(0, minimum - len(inside & self.fixed_in))
        if len(needed) + extra > self.budget:
            raise InfeasibleProblem("the fixed places and town minimums need more than the budget")


@dataclass
class Answer:
    chosen: list[int]
    objective: float  # p-median: total weighted minutes; covering: people NOT within reach
    bound: float  # a lower bound on the objective (equal to it when solved exactly)
    seconds: float
    method: str

    @property
    def gap(self) -> float:
        """How far the answer may be from the best possible, as a share of the answer (never < 0)."""
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)


def distances(instance: Instance, chosen) -> np.ndarray:
    """Each village's minutes to its nearest open place."""
    chosen = list(chosen)
    if not chosen:
        return instance.base.copy()
    return np.minimum(instance.base, instance.minutes[:, chosen].min(axis=1))


def cost(instance: Instance, chosen, objective: str = MEDIAN, within: float = 30) -> float:
    d = distances(instance, chosen)
    if objective == MEDIAN:
        return float(np.dot(instance.population, np.where(np.isfinite(d), d, 0)))
    return float(instance.population[d > within].sum())


def _feasible(instance: Instance, chosen: list[int]) -> bool:
    counts: dict[int, int] = {}
    for j in chosen:
        counts[int(instance.towns[j])] = counts.get(int(instance.towns[j]), 0) + 1
    return (
        len(chosen) <= instance.budget
        and instance.fixed_in <= set(chosen)
        and not (instance.fixed_out & set(chosen))
        and all(counts.get(t, 0) >= k for t, k in instance.town_minimum.items())
    )


def brute_force(instance: Instance, objective: str = MEDIAN, within: float = 30) -> Answer:
    """Every subset of size ≤ budget (tests and tiny instances only)."""
    started = time.perf_counter()
    best, best_cost = None, float("inf")
    m = instance.minutes.shape[1]
    for size in range(instance.budget + 1):
        for chosen in itertools.combinations(range(m), size):
            if not _feasible(instance, list(chosen)):
                continue
            value = cost(instance, chosen, objective, within)
            if value < best_cost - 1e-9:
                best, best_cost = list(chosen), value
    if best is None:
        raise InfeasibleProblem("no choice meets the constraints")
    return Answer(best, best_cost, best_cost, time.perf_counter() - started, "brute force")


# Exact --------------------------------------------------------------------------------------------


def _program(instance: Instance, objective: str, within: float, integral: bool):
    """Variables: y (one per candidate) then x (one per useful village-candidate pair).

    p-median (savings form): minimise Σ w·base − Σ w·(base − d)·x, with Σ_j x_ij ≤ 1, x_ij ≤ y_j.
    covering: z_i per village not covered by a station: minimise Σ w·(1 − z), z_i ≤ Σ_{d_ij ≤ T} y_j.
    """
    n, m = instance.minutes.shape
    w = instance.population.astype(float)
    base = np.where(np.isfinite(instance.base), instance.base, 0.0)
    lower = np.zeros(m)
    upper = np.ones(m)
    lower[list(instance.fixed_in)] = 1
    upper[list(instance.fixed_out)] = 0
    rows, cols, vals, row_lo, row_hi = [], [], [], [], []

    def add(row_cols, row_vals, lo, hi):
        r = len(row_lo)
        rows.extend([r] * len(row_cols))
        cols.extend(row_cols)
        vals.extend(row_vals)
        row_lo.append(lo)
        row_hi.append(hi)

    add(list(range(m)), [1.0] * m, 0, instance.budget)
    for town, minimum in instance.town_minimum.items():
        members = [j for j in range(m) if instance.towns[j] == town]
        add(members, [1.0] * len(members), minimum, np.inf)
    if objective == MEDIAN:
        vi, vj = np.nonzero(instance.minutes < instance.base[:, None])  # only pairs that save time
        k = len(vi)
        c = np.concatenate([np.zeros(m), -(w[vi] * (base[vi] - instance.minutes[vi, vj]))])
        constant = float(np.dot(w, base))
        # Σ_j x_ij ≤ 1 per village
        assign = sparse.csr_matrix((np.ones(k), (vi, m + np.arange(k))), shape=(n, m + k))
        # x_ij − y_j ≤ 0, as one sparse block
        link = sparse.hstack(
            [-sparse.csr_matrix((np.ones(k), (np.arange(k), vj)), shape=(k, m)), sparse.identity(k)]
        )
        lo_var = np.concatenate([lower, np.zeros(k)])
        hi_var = np.concatenate([upper, np.ones(k)])
        integrality = np.concatenate([np.ones(m) if integral else np.zeros(m), np.zeros(k)])
        extra = [LinearConstraint(assign, -np.inf, 1.0)]
    else:
        uncovered = np.flatnonzero(instance.base > within)
        k = len(uncovered)
        c = np.concatenate([np.zeros(m), -w[uncovered]])
        constant = float(w[uncovered].sum())
        reach = instance.minutes[uncovered] <= within  # (k, m)
        # z_i − Σ_{j reaches i} y_j ≤ 0
        link = sparse.hstack([-sparse.csr_matrix(reach.astype(float)), sparse.identity(k)])
        lo_var = np.concatenate([lower, np.zeros(k)])
        hi_var = np.concatenate([upper, np.ones(k)])
        integrality = np.concatenate([np.ones(m) if integral else np.zeros(m), np.zeros(k)])
        extra = []
    size = m + k
    top = sparse.csr_matrix((vals, (rows, cols)), shape=(len(row_lo), size))
    constraints = [
        LinearConstraint(top, np.array(row_lo, dtype=float), np.array(row_hi, dtype=float)),
        LinearConstraint(link.tocsr(), -np.inf, 0.0),
        *extra,
    ]
    return c, constant, constraints, Bounds(lo_var, hi_var), integrality, m


# The largest programs the automatic choice hands to HiGHS (village–place pairs that enter the
# program). Measured on generated districts (bench/planning.py's generator, 2 cores): covering with
# 41,000 pairs 0.7 s, p-median with 14,000 pairs 0.4–0.6 s but with 59,000 pairs 9 s.
EXACT_MAX_PAIRS = {MEDIAN: 20_000, COVER: 50_000}


def program_pairs(instance: Instance, objective: str = MEDIAN, within: float = 30) -> int:
    """How many village–place pairs the exact program would hold: for p-median the pairs that beat
    the village's station; for covering, the villages beyond the reach of a station times the
    places within reach of them. This, not the count of villages or places, is what HiGHS pays for."""
    if objective == MEDIAN:
        return int((instance.minutes < instance.base[:, None]).sum())
    return int((instance.minutes[instance.base > within] <= within).sum())


def exact_is_quick(instance: Instance, objective: str = MEDIAN, within: float = 30) -> bool:
    return program_pairs(instance, objective, within) <= EXACT_MAX_PAIRS[objective]


def exact(
    instance: Instance,
    objective: str = MEDIAN,
    within: float = 30,
    time_limit: float = 600,
    presolve: bool = True,
) -> Answer:
    """The optimum, by HiGHS through scipy.optimize.milp. `presolve=False` for covering programs of
    many candidates that each reach one or two villages (a 驿站 in every village): HiGHS's presolve
    spends most of its time on them (3,000 villages: 25 s of presolve, 0.8 s without it)."""
    instance.check()
    started = time.perf_counter()
    c, constant, constraints, bounds, integrality, m = _program(instance, objective, within, integral=True)
    result = milp(
        c,
        constraints=constraints,
        bounds=bounds,
        integrality=integrality,
        options={"time_limit": time_limit, "mip_rel_gap": 0, "presolve": presolve},
    )
    if result.x is None:
        raise InfeasibleProblem(result.message)
    chosen = [j for j in range(m) if result.x[j] > 0.5]
    value = cost(instance, chosen, objective, within)
    bound = constant + (result.mip_dual_bound if result.mip_dual_bound is not None else result.fun)
    return Answer(chosen, value, min(value, bound), time.perf_counter() - started, "exact (HiGHS MILP)")


def lp_bound(instance: Instance, objective: str = MEDIAN, within: float = 30) -> float:
    """The LP relaxation's optimum: no choice of places can do better than this."""
    c, constant, constraints, bounds, integrality, _m = _program(instance, objective, within, integral=False)
    result = milp(c, constraints=constraints, bounds=bounds, integrality=integrality)
    return constant + result.fun if result.x is not None else -np.inf


def _select(rho: np.ndarray, instance: Instance) -> np.ndarray:
    """The y that minimises Σ ρ_j y_j under the budget, fixed places and town minimums: the fixed-in,
    then each town's cheapest up to its minimum, then any others that lower the sum (optimal for
    these constraints: lower bounds per town under one upper bound on the total)."""
    m = len(rho)
    y = np.zeros(m, dtype=bool)
    y[list(instance.fixed_in)] = True
    free = np.ones(m, dtype=bool)
    free[list(instance.fixed_out)] = False
    free[y] = False
    for town, minimum in instance.town_minimum.items():
        members = np.flatnonzero(free & (instance.towns == town))
        need = minimum - int((y & (instance.towns == town)).sum())
        if need > 0:
            take = members[np.argsort(rho[members], kind="stable")[:need]]
            y[take] = True
            free[take] = False
    room = instance.budget - int(y.sum())
    if room > 0:
        others = np.flatnonzero(free & (rho < 0))
        y[others[np.argsort(rho[others], kind="stable")[:room]]] = True
    return y


def lagrangian_bound(instance: Instance, upper: float, iterations: int = 400, target: float = 1e-3) -> float:
    """A lower bound for p-median by Lagrangian relaxation of "each village goes to one place",
    improved by subgradient steps (Held–Karp step size). Every multiplier vector gives a valid
    bound; the best one found is returned. Only village–candidate pairs that beat the village's
    station enter (multipliers are kept at or below the station's cost), so each step costs the
    number of such pairs, not villages × candidates. Stops once the gap is proven below `target`
    (0.1 %): for placing booths, a tighter proof changes no decision."""
    w = instance.population.astype(float)
    finite = instance.minutes[np.isfinite(instance.minutes)]
    cap = float(finite.max()) if finite.size else 0.0
    station = w * np.where(np.isfinite(instance.base), instance.base, cap)  # c_i0, always open
    vi, vj = np.nonzero(
        instance.minutes < np.where(np.isfinite(instance.base), instance.base, np.inf)[:, None]
    )
    cost_pairs = w[vi] * instance.minutes[vi, vj]
    m = instance.minutes.shape[1]
    # start from each village's cost in a good solution (the nearest place in the heuristic answer)
    lam = station.copy()
    best, theta, stall = -np.inf, 2.0, 0
    for _step in range(iterations):
        reduced = np.minimum(0.0, cost_pairs - lam[vi])
        rho = np.bincount(vj, weights=reduced, minlength=m)
        y = _select(rho, instance)
        value = float(lam.sum() + np.minimum(0.0, station - lam).sum() + rho[y].sum())
        if value > best + 1e-9 * abs(value):
            best, stall = value, 0
        else:
            stall += 1
            if stall >= 20:
                theta, stall = theta / 2, 0
                if theta < 1e-4:
                    break
        # subgradient: 1 − (how many places village i is assigned to)
        assigned = (station - lam < 0).astype(float)
        open_pairs = y[vj] & (reduced < 0)
        assigned += np.bincount(vi[open_pairs], minlength=len(lam))
        g = 1.0 - assigned
        norm = float(np.dot(g, g))
        if norm == 0 or upper - best <= target * abs(upper):
            break  # proven close enough: more steps would only polish the bound
        lam = np.minimum(station, lam + theta * (upper - value) / norm * g)
    return best


# Fast ---------------------------------------------------------------------------------------------


def _effective(instance: Instance, objective: str, within: float) -> tuple[np.ndarray, np.ndarray]:
    """(base, minutes) in the objective's own units: minutes for p-median; for covering 0 when
    within reach and 1 otherwise, so the same interchange minimises people out of reach."""
    if objective == MEDIAN:
        big = np.nanmax(np.where(np.isfinite(instance.minutes), instance.minutes, 0)) * 10 + 1e6
        return np.where(np.isfinite(instance.base), instance.base, big), np.where(
            np.isfinite(instance.minutes), instance.minutes, big
        )
    return (instance.base > within).astype(float), (instance.minutes > within).astype(float)


def _greedy(
    instance: Instance, base: np.ndarray, D: np.ndarray, w: np.ndarray, allowed: np.ndarray, first: int | None
) -> list[int]:
    """The fixed-in places, `first` if given, each town's minimum, then the largest saving each time."""
    m = D.shape[1]
    chosen = list(instance.fixed_in)

    def current() -> np.ndarray:
        return np.minimum(base, D[:, chosen].min(axis=1)) if chosen else base.copy()

    # only village–place pairs that beat the village's station can ever save anything
    pair_v, pair_j = np.nonzero(D < base[:, None])
    pair_d, pair_w = D[pair_v, pair_j], w[pair_v]

    def savings_now(d: np.ndarray) -> np.ndarray:
        return np.bincount(pair_j, weights=pair_w * np.maximum(0, d[pair_v] - pair_d), minlength=m)

    def add_best(mask: np.ndarray) -> None:
        d = current()
        savings = savings_now(d)
        savings[~mask] = -np.inf
        savings[chosen] = -np.inf
        chosen.append(int(np.argmax(savings)))

    if first is not None and first not in chosen and len(chosen) < instance.budget:
        chosen.append(first)
    for town, minimum in instance.town_minimum.items():
        while sum(1 for j in chosen if instance.towns[j] == town) < minimum:
            add_best(allowed & (instance.towns == town))
    while len(chosen) < min(instance.budget, int(allowed.sum())):
        d = current()
        savings = savings_now(d)
        savings[~allowed] = -np.inf
        savings[chosen] = -np.inf
        if savings.max() <= 0:
            break
        chosen.append(int(np.argmax(savings)))
    return chosen


def _interchange(
    instance: Instance,
    base: np.ndarray,
    D: np.ndarray,
    w: np.ndarray,
    allowed: np.ndarray,
    chosen: list[int],
    progress: Callable[[str, int], None] | None,
) -> list[int]:
    """Vertex interchange: swap one chosen place for one not chosen while the total falls (Teitz &
    Bart, with Whitaker's fast swap evaluation, vectorised)."""
    n, m = D.shape
    chosen = list(chosen)
    removable = np.array([j not in instance.fixed_in for j in range(m)])
    for round_ in range(1, 10 * m + 1):
        if not chosen:
            break
        open_d = D[:, chosen]  # (n, p)
        order = np.argsort(open_d, axis=1)
        first = np.minimum(base, open_d[np.arange(n), order[:, 0]])
        nearest = np.where(open_d[np.arange(n), order[:, 0]] < base, order[:, 0], -1)  # -1: a station
        second = np.minimum(base, open_d[np.arange(n), order[:, 1]]) if len(chosen) > 1 else base
        with_k = np.minimum(first[:, None], D)  # (n, m): adding k
        gain = w @ (with_k - first[:, None])  # ≤ 0
        p = len(chosen)
        owner = sparse.csr_matrix(
            (w[nearest >= 0], (nearest[nearest >= 0], np.flatnonzero(nearest >= 0))), shape=(p, n)
        )
        loss = owner @ (np.minimum(second[:, None], D) - with_k)  # (p, m): removing j after adding k
        change = gain[None, :] + loss
        change[:, chosen] = np.inf
        change[:, ~allowed] = np.inf
        for index, j in enumerate(chosen):
            if not removable[j]:
                change[index, :] = np.inf
                continue
            town = int(instance.towns[j])
            minimum = instance.town_minimum.get(town, 0)
            if minimum and sum(1 for t in chosen if instance.towns[t] == town) <= minimum:
                change[index, instance.towns != town] = np.inf  # only a swap within the town keeps it
        index, k = np.unravel_index(np.argmin(change), change.shape)
        if not change[index, k] < -1e-9 * max(1.0, float(w.sum())):
            break
        chosen[index] = int(k)
        if progress:
            progress("interchange", round_)
    return chosen


COVER_STARTS = 6  # covering: greedy from each of the best first places, then interchange; keep the best


def heuristic(
    instance: Instance,
    objective: str = MEDIAN,
    within: float = 30,
    progress: Callable[[str, int], None] | None = None,
    bound: bool = True,
) -> Answer:
    """Greedy (town minimums first, then the largest saving), then swaps while any improves.

    Covering has wide plateaus (many swaps change no one's reach), where one descent stops early:
    it is run from the plain greedy start and from greedy starts that open each of the next best
    first places, and the best end is kept (six descents, still a fraction of the exact time)."""
    instance.check()
    started = time.perf_counter()
    base, D = _effective(instance, objective, within)
    w = instance.population.astype(float)
    allowed = np.ones(D.shape[1], dtype=bool)
    allowed[list(instance.fixed_out)] = False
    firsts: list[int | None] = [None]
    if objective == COVER:
        saving = w @ np.maximum(0, base[:, None] - D)
        saving[~allowed] = -np.inf
        saving[list(instance.fixed_in)] = -np.inf
        ranked = [
            int(j) for j in np.argsort(-saving, kind="stable") if np.isfinite(saving[j]) and saving[j] > 0
        ]
        firsts += ranked[1:COVER_STARTS]
    best: list[int] | None = None
    best_value = np.inf
    for first in firsts:
        chosen = _greedy(instance, base, D, w, allowed, first)
        if progress:
            progress("greedy", len(chosen))
        chosen = _interchange(instance, base, D, w, allowed, chosen, progress)
        value = cost(instance, chosen, objective, within)
        if value < best_value - 1e-9:
            best, best_value = chosen, value
    chosen = best
    value = cost(instance, chosen, objective, within)
    if not bound:
        lower = -np.inf
    elif objective == MEDIAN:
        lower = lagrangian_bound(instance, value)
    else:
        lower = lp_bound(instance, objective, within)
    return Answer(
        sorted(chosen), value, min(value, lower), time.perf_counter() - started, "greedy + interchange"
    )
