"""Matching job seekers and vacancies, vectorised with numpy.

Hard constraints (a pair failing any of them is never suggested):
  commute ≤ the seeker's limit (from Commute: walk, bus or the company shuttle), education ≥ the
  vacancy's minimum, at least one shift in common, no heavy manual work for those who refuse it,
  the seeker's age within the vacancy's range.
Soft score (0–10000): skills overlap 5000 (2500 when the vacancy asks for none), wage fit 2000,
  training for those who want to learn 1000, nearness 2000.
Ranking is deterministic: the integer score, then the lower vacancy (or seeker) id. A key packs
both: score << tie_bits | tie, in int32 while it fits (up to 131,072 candidates), int64 beyond.
Infeasible pairs get distinct negative keys, not -inf: numpy's partial sort is much slower on -inf
or on many equal values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

NO_ROUTE = 9999
LIMIT_BANDS = np.array([30, 45, 60, 75, 90, 120])
SCORE_BITS = 14  # the score is at most 10000
NO_MAX_AGE = 127
W_SKILLS, W_WAGE, W_TRAINING, W_NEAR = 5000, 2000, 1000, 2000


@dataclass
class Seekers:
    ids: np.ndarray  # int64
    education: np.ndarray  # int16
    shifts: np.ndarray  # int16 bit mask
    heavy_ok: np.ndarray  # bool
    max_commute: np.ndarray  # int16
    skills: np.ndarray  # uint64 bit mask
    wage: np.ndarray  # int32
    wants_training: np.ndarray  # bool
    village: np.ndarray  # int32, row of the commute matrix
    age: np.ndarray  # int16, whole years today


@dataclass
class Vacancies:
    ids: np.ndarray
    min_education: np.ndarray
    shifts: np.ndarray
    heavy: np.ndarray
    skills: np.ndarray
    wage_max: np.ndarray
    training: np.ndarray
    employer: np.ndarray  # int32, column of the commute matrix
    headcount: np.ndarray
    min_age: np.ndarray  # int16
    max_age: np.ndarray  # int16, NO_MAX_AGE when the vacancy sets none

    def __post_init__(self) -> None:
        self.skill_count = np.bitwise_count(self.skills).astype(np.int32)


def _block_keys(
    s: Seekers, rows: slice, v: Vacancies, by_vacancy: np.ndarray, tie: np.ndarray, tie_bits: int
) -> np.ndarray:
    """Ranking keys (score << tie_bits | tie-break) for the seekers in `rows` against every vacancy,
    negative where a hard constraint fails, in the tie's dtype (int32 while the key fits)."""
    minutes = by_vacancy[s.village[rows]].astype(np.int32)  # (block, V): one gather
    limit = s.max_commute[rows, None].astype(np.int32)
    feasible = minutes <= limit
    feasible &= s.education[rows, None] >= v.min_education[None, :]
    feasible &= (s.shifts[rows, None] & v.shifts[None, :]) != 0
    feasible &= s.heavy_ok[rows, None] | ~v.heavy[None, :]
    age = s.age[rows, None]
    feasible &= (age >= v.min_age[None, :]) & (age <= v.max_age[None, :])
    overlap = np.bitwise_count(s.skills[rows, None] & v.skills[None, :]).astype(np.int32)
    score = np.where(
        v.skill_count[None, :] > 0,
        (W_SKILLS * overlap) // np.maximum(v.skill_count, 1)[None, :],
        W_SKILLS // 2,
    ).astype(np.int32)
    wanted = s.wage[rows, None].astype(np.int32)
    shortfall = np.maximum(wanted - v.wage_max[None, :], 0)
    score += np.maximum(W_WAGE - (2 * W_WAGE * shortfall) // np.maximum(wanted, 1), 0)
    score += np.where(s.wants_training[rows, None] & v.training[None, :], W_TRAINING, 0).astype(np.int32)
    np.minimum(minutes, limit, out=minutes)
    score += W_NEAR - (W_NEAR * minutes) // np.maximum(limit, 1)
    keys = score.astype(tie.dtype)
    keys <<= tie_bits
    keys += tie[None, :]
    # Infeasible pairs sink below every feasible one but keep distinct values: a partial sort over
    # many equal values (or -inf) is several times slower.
    np.copyto(keys, -1 - tie[None, :], where=~feasible)
    return keys


def _tie(ids: np.ndarray) -> tuple[np.ndarray, int]:
    """(tie-break, its width in bits): higher for a lower id, so that equal scores rank the lower id
    first. int32 while score and tie fit in 31 bits; int64 for more candidates than that."""
    bits = max(15, int(len(ids)).bit_length())
    dtype = np.int32 if SCORE_BITS + bits <= 31 else np.int64
    rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
    return ((1 << bits) - 1 - rank).astype(dtype), bits


def top_vacancies(
    s: Seekers, v: Vacancies, commute: np.ndarray, k: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """For every seeker, the k best vacancies: (vacancy row indices, scores), -1 where fewer fit.

    Seekers are taken by village and by band of commute limit: a group's candidates are only the
    vacancies within the longest commute any of its seekers accepts, usually a small part of the district.
    """
    n = len(s.ids)
    out_idx = np.full((n, k), -1, dtype=np.int64)
    out_score = np.full((n, k), -1, dtype=np.int64)
    by_vacancy = np.ascontiguousarray(commute[:, v.employer])  # (villages, V)
    tie, tie_bits = _tie(v.ids)
    # Groups of seekers from one village with similar commute limits share one candidate list.
    band = np.searchsorted(LIMIT_BANDS, s.max_commute, side="left")
    group_key = s.village.astype(np.int64) * (len(LIMIT_BANDS) + 1) + band
    order = np.argsort(group_key, kind="stable")
    bounds = np.flatnonzero(np.diff(group_key[order])) + 1
    for group in np.split(order, bounds):
        if len(group) == 0:
            continue
        village = s.village[group[0]]
        candidates = np.flatnonzero(by_vacancy[village] <= s.max_commute[group].max())
        if len(candidates) == 0:
            continue
        sub = Vacancies(**{f: getattr(v, f)[candidates] for f in Vacancies.__dataclass_fields__})
        members = _take(s, group)
        members.village = np.zeros(len(group), dtype=np.int32)  # one village: row 0 of the slice below
        keys = _block_keys(
            members,
            slice(None),
            sub,
            by_vacancy[village : village + 1, candidates],
            tie[candidates],
            tie_bits,
        )
        kk = min(k, len(candidates))
        part = np.argpartition(keys, len(candidates) - kk, axis=1)[:, len(candidates) - kk :]
        part_keys = np.take_along_axis(keys, part, axis=1)
        ranked = np.argsort(-part_keys.astype(np.int64), axis=1, kind="stable")
        best = candidates[np.take_along_axis(part, ranked, axis=1)]
        best_keys = np.take_along_axis(part_keys, ranked, axis=1)
        ok = best_keys >= 0
        out_idx[group, :kk] = np.where(ok, best, -1)
        out_score[group, :kk] = np.where(ok, best_keys >> tie_bits, -1)
    return out_idx, out_score


def _take(s: Seekers, rows: np.ndarray) -> Seekers:
    return Seekers(**{f: getattr(s, f)[rows] for f in Seekers.__dataclass_fields__})


def top_seekers(
    s: Seekers, v: Vacancies, commute: np.ndarray, vacancy_row: int, k: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """For one vacancy, the k best seekers (seeker row indices, scores)."""
    one = Vacancies(
        **{f: getattr(v, f)[vacancy_row : vacancy_row + 1] for f in Vacancies.__dataclass_fields__}
    )
    by_vacancy = np.ascontiguousarray(commute[:, one.employer])
    tie, tie_bits = _tie(s.ids)
    keys = _block_keys(s, slice(None), one, by_vacancy, np.zeros(1, dtype=tie.dtype), tie_bits)[:, 0]
    keys = np.where(keys >= 0, keys + tie, -1)
    order = np.argsort(-keys.astype(np.int64), kind="stable")[:k]
    order = order[keys[order] >= 0]
    return order, keys[order] >> tie_bits


EXCLUSIONS = ("commute", "education", "shifts", "heavy_manual", "age")


def failures(s: Seekers, v: Vacancies, commute: np.ndarray, vacancy_row: int) -> dict[str, np.ndarray]:
    """For one vacancy, which seekers each hard constraint turns away (a bool per seeker, by
    constraint): the one statement of the hard constraints outside the vectorised ranking, which a
    property test holds equal to it."""
    e = v.employer[vacancy_row]
    minutes = commute[s.village, e]
    return {
        "commute": minutes > s.max_commute,
        "education": s.education < v.min_education[vacancy_row],
        "shifts": (s.shifts & v.shifts[vacancy_row]) == 0,
        "heavy_manual": v.heavy[vacancy_row] & ~s.heavy_ok,
        "age": (s.age < v.min_age[vacancy_row]) | (s.age > v.max_age[vacancy_row]),
    }


@dataclass(frozen=True)
class Shortage:
    """Why one vacancy finds no one, from its own requirements and the seekers it could reach:
    `reason` is "out_of_reach" (no seeker lives within the commute they accept), a hard constraint
    of EXCLUSIONS that turns away the most of those within reach when none passes them all, "skills"
    (none of those who pass has any skill asked), "wage" (most of those who pass want more than
    the vacancy pays) or "fit" (seekers fit: the work left is referring them)."""

    reason: str
    within_reach: int  # seekers whose village reaches the workplace within the minutes they accept
    fit: int  # of those, how many pass every hard constraint
    turned_away: int  # how many seekers the reason concerns
    nearest: int = NO_ROUTE  # minutes to the workplace from the nearest seeker's village
    wage_asked: int = 0  # the median wage asked by those who fit (for "wage")


def shortage(s: Seekers, v: Vacancies, commute: np.ndarray, vacancy_row: int) -> Shortage:
    """The one reason that holds back one vacancy: the seekers are narrowed as a match narrows them
    (reach, then the other hard constraints, then skills and wage), and the first step that leaves
    (nearly) no one names the reason."""
    j = vacancy_row
    minutes = commute[s.village, v.employer[j]].astype(np.int32)
    reach = minutes <= s.max_commute
    nearest = int(minutes.min(initial=NO_ROUTE))
    if not reach.any():
        return Shortage("out_of_reach", 0, 0, len(s.ids), nearest=nearest)
    fails = failures(s, v, commute, j)  # within reach, the commute fails no one
    fit = reach.copy()
    for failed in fails.values():
        fit &= ~failed
    within, fitting = int(reach.sum()), int(fit.sum())
    if not fitting:
        counts = {r: int((fails[r] & reach).sum()) for r in EXCLUSIONS}
        worst = max(EXCLUSIONS, key=lambda r: (counts[r], -EXCLUSIONS.index(r)))
        return Shortage(worst, within, 0, counts[worst], nearest=nearest)
    if v.skill_count[j]:
        if not int(np.bitwise_or.reduce(s.skills[fit]) & v.skills[j]):
            return Shortage("skills", within, fitting, fitting, nearest=nearest)
    wanted = s.wage[fit]
    short = int((wanted > v.wage_max[j]).sum())
    if 2 * short > fitting:
        return Shortage("wage", within, fitting, short, nearest=nearest, wage_asked=int(np.median(wanted)))
    return Shortage("fit", within, fitting, 0, nearest=nearest)


def allocate(best_idx: np.ndarray, best_score: np.ndarray, headcount: np.ndarray) -> np.ndarray:
    """One vacancy place per seeker at most, each vacancy at most its headcount, total score as high
    as possible, over each seeker's candidate vacancies. Returns the vacancy row per seeker (-1: none).

    Solved as a minimum-weight full matching (scipy's LAPJVsp) between places and seekers; every
    place also has a stand-in "nobody" so that a full matching always exists.
    """
    n = best_idx.shape[0]
    slots_of = np.concatenate([[0], np.cumsum(headcount)])
    n_slots = int(slots_of[-1])
    top = int(best_score.max(initial=0)) + 1
    rows, cols, weights = [], [], []
    for column in range(best_idx.shape[1]):
        idx, score = best_idx[:, column], best_score[:, column]
        ok = idx >= 0
        seekers = np.nonzero(ok)[0]
        vacancies = idx[ok]
        for copy in range(int(headcount.max(initial=0))):
            fits = copy < headcount[vacancies]
            rows.append(slots_of[vacancies[fits]] + copy)
            cols.append(seekers[fits])
            weights.append(top - score[ok][fits] + 1)  # strictly positive: a sparse zero is no edge
    # the stand-ins: place p can always go to "nobody" p, at a cost above any real match
    rows.append(np.arange(n_slots))
    cols.append(n + np.arange(n_slots))
    weights.append(np.full(n_slots, top * 4 + 10))
    graph = csr_matrix(
        (np.concatenate(weights).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_slots, n + n_slots),
    )
    slot_rows, seeker_cols = min_weight_full_bipartite_matching(graph)
    assignment = np.full(n, -1, dtype=np.int64)
    real = seeker_cols < n
    slot_vacancy = np.searchsorted(slots_of, np.arange(n_slots), side="right") - 1
    assignment[seeker_cols[real]] = (
        slot_vacancy[np.arange(n_slots)[real]] if len(slot_rows) == n_slots else slot_vacancy[slot_rows[real]]
    )
    return assignment
