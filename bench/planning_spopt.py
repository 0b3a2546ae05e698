"""The baseline for bench/planning.py: PySAL spopt's PMedian (PuLP + CBC) on the same instance.

Runs in its own environment (.venv-bench, `make bench-env`: spopt is for the benchmark only).
Reads an .npz written by bench/planning.py; prints one JSON line: seconds, objective, chosen.
The stations are one extra facility, predefined (always open), with each village's minutes to its
nearest station, so spopt solves the same problem: p = 1 + budget facilities."""

import json
import sys
import time

import numpy as np
import pulp
from spopt.locate import PMedian


def main() -> None:
    data = np.load(sys.argv[1])
    budget, limit = int(sys.argv[2]), float(sys.argv[3])
    population, base, minutes = data["population"], data["base"], data["minutes"]
    cost = np.hstack([base[:, None], np.where(np.isfinite(minutes), minutes, 10 * np.nanmax(base))])
    predefined = np.zeros(cost.shape[1], dtype=int)
    predefined[0] = 1
    started = time.perf_counter()
    model = PMedian.from_cost_matrix(
        cost, population, p_facilities=1 + budget, predefined_facilities_arr=predefined
    )
    try:
        model = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    except RuntimeError:  # spopt raises when CBC stops (time limit) without a solution
        status = pulp.LpStatus[model.problem.status]
        print(json.dumps({"seconds": time.perf_counter() - started, "objective": None, "status": status}))
        return
    seconds = time.perf_counter() - started
    chosen = [j - 1 for j, var in enumerate(model.fac_vars) if j and var.value() and var.value() > 0.5]
    d = np.minimum(base, minutes[:, chosen].min(axis=1)) if chosen else base
    status = pulp.LpStatus[model.problem.status]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "objective": float(np.dot(population, d)),
                "chosen": chosen,
                "status": status,
            }
        )
    )


if __name__ == "__main__":
    main()
