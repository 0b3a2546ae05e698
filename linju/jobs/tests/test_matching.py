import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.jobs.matching import Seekers, Vacancies, allocate, failures, top_seekers, top_vacancies


def seekers(**overrides):
    base = {
        "ids": [1],
        "education": [3],
        "shifts": [1],
        "heavy_ok": [False],
        "max_commute": [60],
        "skills": [0b11],
        "wage": [4000],
        "wants_training": [True],
        "village": [0],
        "age": [40],
    }
    base |= overrides
    types = {
        "ids": np.int64,
        "education": np.int16,
        "shifts": np.int16,
        "heavy_ok": bool,
        "max_commute": np.int16,
        "skills": np.uint64,
        "wage": np.int32,
        "wants_training": bool,
        "village": np.int32,
        "age": np.int16,
    }
    return Seekers(**{k: np.array(v, dtype=types[k]) for k, v in base.items()})


def vacancies(n=1, **overrides):
    base = {
        "ids": list(range(10, 10 + n)),
        "min_education": [2] * n,
        "shifts": [1] * n,
        "heavy": [False] * n,
        "skills": [0b11] * n,
        "wage_max": [5000] * n,
        "training": [True] * n,
        "employer": [0] * n,
        "headcount": [1] * n,
        "min_age": [16] * n,
        "max_age": [127] * n,
    }
    base |= overrides
    types = {
        "ids": np.int64,
        "min_education": np.int16,
        "shifts": np.int16,
        "heavy": bool,
        "skills": np.uint64,
        "wage_max": np.int32,
        "training": bool,
        "employer": np.int32,
        "headcount": np.int64,
        "min_age": np.int16,
        "max_age": np.int16,
    }
    return Vacancies(**{k: np.array(v, dtype=types[k]) for k, v in base.items()})


COMMUTE = np.array([[30]], dtype=np.int16)


def fits(s, v, commute=COMMUTE) -> bool:
    idx, _score = top_vacancies(s, v, commute, k=1)
    return bool(idx[0, 0] >= 0)


def test_a_good_pair_fits():
    assert fits(seekers(), vacancies())


@pytest.mark.parametrize(
    ("s", "v", "commute"),
    [
        ({"max_commute": [29]}, {}, COMMUTE),  # commute over the limit
        ({"education": [1]}, {}, COMMUTE),  # education below the minimum
        ({"shifts": [2]}, {}, COMMUTE),  # no shift in common
        ({"heavy_ok": [False]}, {"heavy": [True]}, COMMUTE),  # refuses heavy manual work
    ],
)
def test_every_hard_constraint_excludes(s, v, commute):
    assert not fits(seekers(**s), vacancies(**v), commute)


def test_heavy_work_is_fine_for_who_accepts_it():
    assert fits(seekers(heavy_ok=[True]), vacancies(heavy=[True]))


def test_equal_scores_rank_the_lower_id_first_whatever_the_input_order():
    v = vacancies(3, ids=[30, 10, 20])
    idx, score = top_vacancies(seekers(), v, COMMUTE, k=3)
    assert [int(v.ids[j]) for j in idx[0]] == [10, 20, 30]
    assert len(set(score[0].tolist())) == 1


def test_skills_wage_training_and_nearness_raise_the_score():
    v = vacancies(2, skills=[0b11, 0b1100], wage_max=[5000, 5000])
    idx, score = top_vacancies(seekers(), v, COMMUTE, k=2)
    assert int(v.ids[idx[0, 0]]) == 10 and score[0, 0] > score[0, 1]


def test_top_seekers_for_a_vacancy():
    s = seekers(
        ids=[5, 6, 7],
        education=[3, 3, 1],
        shifts=[1, 1, 1],
        heavy_ok=[False] * 3,
        max_commute=[60, 60, 60],
        skills=[0b11, 0b1, 0b11],
        wage=[4000] * 3,
        wants_training=[True] * 3,
        village=[0, 0, 0],
    )
    rows, _scores = top_seekers(s, vacancies(), COMMUTE, 0, k=5)
    assert [int(s.ids[r]) for r in rows] == [5, 6]  # 7 lacks the education


def test_allocation_respects_headcounts_and_prefers_the_better_total():
    # seekers 0 and 1 both want vacancy 0 (one place); vacancy 1 takes anyone (two places)
    best_idx = np.array([[0, 1], [0, 1], [1, -1]])
    best_score = np.array([[900, 100], [800, 700], [500, -1]])
    assignment = allocate(best_idx, best_score, np.array([1, 2]))
    assert np.bincount(assignment[assignment >= 0], minlength=2).tolist() == [1, 2]
    assert assignment.tolist() == [0, 1, 1]  # 900 + 700 + 500 beats 800 + 100 + 500


def test_allocation_leaves_unmatched_seekers_out():
    assignment = allocate(np.array([[0], [0], [0]]), np.array([[5], [9], [7]]), np.array([1]))
    assert assignment.tolist() == [-1, 0, -1]


def test_a_seeker_outside_the_vacancys_age_range_is_never_suggested():
    s = seekers(
        ids=[1, 2, 3],
        education=[3] * 3,
        shifts=[1] * 3,
        heavy_ok=[False] * 3,
        max_commute=[60] * 3,
        skills=[3] * 3,
        wage=[4000] * 3,
        wants_training=[True] * 3,
        village=[0] * 3,
        age=[17, 35, 58],
    )
    v = vacancies(2, min_age=[18, 16], max_age=[45, 127])
    commute = np.zeros((1, 1), dtype=np.int16)
    idx, _score = top_vacancies(s, v, commute, k=2)
    assert [sorted(int(i) for i in row if i >= 0) for row in idx] == [[1], [0, 1], [1]]
    rows, _scores = top_seekers(s, v, commute, vacancy_row=0)
    assert list(rows) == [1]


@pytest.mark.parametrize("n", [40_000, 140_000])
def test_many_vacancies_rank_by_score_then_lower_id(n):
    """More vacancies than a 15-bit tie-break holds (int32 keys to 131,072, int64 beyond)."""
    rng = np.random.default_rng(7)
    ids = rng.permutation(n).astype(np.int64) + 1
    v = vacancies(n, ids=ids, skills=[0b11] * (n - 3) + [0b01] * 3)
    idx, score = top_vacancies(seekers(), v, np.zeros((1, 1), dtype=np.int16), k=5)
    best = idx[0]
    assert (score[0] == score[0][0]).all()  # five equal scores: the five lowest ids among the full matches
    full = np.flatnonzero(v.skills == 0b11)
    assert list(v.ids[best]) == sorted(v.ids[full])[:5]


@settings(max_examples=200, deadline=None)
@given(
    education=st.integers(0, 6),
    min_education=st.integers(0, 6),
    shifts=st.integers(1, 15),
    vacancy_shifts=st.integers(1, 15),
    heavy_ok=st.booleans(),
    heavy=st.booleans(),
    limit=st.integers(5, 240),
    minutes=st.integers(0, 300),
    age=st.integers(16, 80),
    min_age=st.integers(16, 60),
    span=st.integers(0, 70),
)
def test_failures_agree_with_the_ranking(
    education, min_education, shifts, vacancy_shifts, heavy_ok, heavy, limit, minutes, age, min_age, span
):
    """The constraints a pair fails, as told to a seeker, are empty exactly when the ranking may
    suggest the pair: the words and the engine cannot disagree."""
    s = seekers(education=[education], shifts=[shifts], heavy_ok=[heavy_ok], max_commute=[limit], age=[age])
    v = vacancies(
        min_education=[min_education],
        shifts=[vacancy_shifts],
        heavy=[heavy],
        min_age=[min_age],
        max_age=[min(min_age + span, 127)],
    )
    commute = np.array([[minutes]], dtype=np.int16)
    failed = [name for name, row in failures(s, v, commute, 0).items() if row[0]]
    assert (not failed) == fits(s, v, commute)
