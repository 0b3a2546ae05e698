"""The solvers against brute force on small instances, with fixed places and town minimums."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.planning.solver import (
    COVER,
    MEDIAN,
    InfeasibleProblem,
    Instance,
    brute_force,
    cost,
    exact,
    heuristic,
)


def instance(seed: int, n=14, m=7, budget=3, **kwargs) -> Instance:
    rng = np.random.default_rng(seed)
    villages = rng.uniform(0, 40, (n, 2))
    sites = rng.uniform(0, 40, (m, 2))
    minutes = np.round(np.linalg.norm(villages[:, None] - sites[None], axis=2) * 3)
    base = np.round(np.linalg.norm(villages - np.array([20, 20]), axis=1) * 3 + 20)  # one station
    return Instance(
        population=rng.integers(50, 800, n),
        base=base,
        minutes=minutes,
        towns=np.arange(m) % 3,
        budget=budget,
        **kwargs,
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), budget=st.integers(0, 4), objective=st.sampled_from([MEDIAN, COVER]))
def test_exact_equals_brute_force(seed, budget, objective):
    problem = instance(seed, budget=budget)
    best = brute_force(problem, objective, within=45)
    answer = exact(problem, objective, within=45)
    assert answer.objective == pytest.approx(best.objective)
    assert answer.gap == pytest.approx(0, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), budget=st.integers(1, 4), objective=st.sampled_from([MEDIAN, COVER]))
def test_heuristic_is_never_better_than_the_optimum_and_its_gap_is_honest(seed, budget, objective):
    problem = instance(seed, budget=budget)
    best = brute_force(problem, objective, within=45)
    answer = heuristic(problem, objective, within=45)
    assert answer.objective >= best.objective - 1e-6
    assert answer.gap >= 0
    assert answer.bound <= best.objective + 1e-6  # the LP bound is a true lower bound
    assert answer.objective == pytest.approx(cost(problem, answer.chosen, objective, 45))


def test_fixed_in_out_and_town_minimums_are_respected():
    for seed in range(8):
        problem = instance(seed, budget=3, fixed_in={1}, fixed_out={0, 4}, town_minimum={2: 1})
        best = brute_force(problem)
        for answer in (exact(problem), heuristic(problem)):
            assert 1 in answer.chosen and not {0, 4} & set(answer.chosen)
            assert any(problem.towns[j] == 2 for j in answer.chosen)
            assert len(answer.chosen) <= 3
        assert exact(problem).objective == pytest.approx(best.objective)


def test_impossible_constraints_are_refused():
    with pytest.raises(InfeasibleProblem):
        exact(instance(1, budget=1, fixed_in={1, 2}))
    with pytest.raises(InfeasibleProblem):
        heuristic(instance(1, budget=2, fixed_in={3}, fixed_out={3}))


def test_measure_by_hand():
    # three villages; a station 60 min from each; a market 10 min from the first two
    problem = Instance(
        population=np.array([100, 300, 600]),
        base=np.array([60.0, 60.0, 20.0]),
        minutes=np.array([[10.0], [10.0], [90.0]]),
        towns=np.array([0]),
        budget=1,
    )
    assert cost(problem, []) == 100 * 60 + 300 * 60 + 600 * 20
    assert cost(problem, [0]) == 100 * 10 + 300 * 10 + 600 * 20
    assert cost(problem, [0], COVER, within=30) == 0
    assert cost(problem, [], COVER, within=30) == 400
