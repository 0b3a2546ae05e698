"""Generated planning instances for bench/planning.py: a hilly district's villages, town seats with
stations (always open) and candidate market places, with travel minutes by the demo's formula
(road 1.6 × straight line; on foot at 4 km/h or by country bus at 25 km/h after a 25-minute wait)."""

from __future__ import annotations

import numpy as np

ROAD_DETOUR, WALK_KMH, BUS_KMH, BUS_WAIT = 1.6, 4.0, 25.0, 25.0


def minutes_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    km = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2) * ROAD_DETOUR
    return np.round(np.minimum(km / WALK_KMH * 60, BUS_WAIT + km / BUS_KMH * 60))


def generate(villages: int, sites: int, towns: int = 30, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    seats = rng.uniform([0, 0], [100, 80], (towns, 2))
    home_town = rng.integers(0, towns, villages)
    places = seats[home_town] + rng.normal(0, 7, (villages, 2))
    market_villages = rng.choice(villages, sites, replace=False)
    candidates = places[market_villages]
    station_minutes = minutes_between(places, seats)
    return {
        "population": np.round(rng.lognormal(7, 0.6, villages)).astype(np.int64),
        "base": station_minutes.min(axis=1),
        "minutes": minutes_between(places, candidates),
        "towns": home_town[market_villages],
    }
