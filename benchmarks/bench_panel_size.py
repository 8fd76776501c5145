"""Size and coverage of the three regression estimators with few cases (issue 13, item 1).

Monte Carlo of ``tests/helpers/small_cluster_simulation.py`` (cases × 3 waves, case
random intercept with ICC 0.3, wave effects, a real covariate ``x`` and a null
case-level indicator ``z`` present in a quarter of the cases), each dataset
fitted through :func:`netinnov.models.glm.fit_glm` with
``regression_estimators: [glm, gee, mixed]`` and the automatic wave effects.
For each estimator it records the rejection rate of the true null ``z = 0`` at
5 % and the coverage of the 95 % interval, with Monte Carlo SEs, and writes
``benchmarks/out/panel_size.csv``.

    .venv/bin/python benchmarks/bench_panel_size.py --datasets 400 --cases 36 --families ols,logit

Seeded (``--seed``; dataset i uses seed + i), two worker processes by default.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from helpers.small_cluster_simulation import _OUTCOME, simulate_panel  # noqa: E402

ESTIMATORS = ("glm", "gee", "mixed")


def one(args: tuple[str, int, int]) -> list[dict]:
    from netinnov.models.glm import fit_glm

    family, seed, n_cases = args
    data = simulate_panel(family, np.random.default_rng(seed), n_cases=n_cases)
    spec = {"name": "m", "outcome": _OUTCOME[family], "family": family, "predictors": ["x", "z"],
            "predict": False, "regression_estimators": list(ESTIMATORS)}  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coefs, fit = fit_glm(data, spec)
    rows = []
    for est in ESTIMATORS:
        z = coefs[(coefs["estimator"] == est) & (coefs["term"] == "z")]
        ok = len(z) == 1 and np.isfinite(z["p_value"].iloc[0])
        rows.append({
            "family": family, "seed": seed, "n_cases": n_cases, "estimator": est, "ok": ok,
            "reject": bool(ok and z["p_value"].iloc[0] < 0.05),
            "cover": bool(ok and z["ci_low"].iloc[0] <= 0 <= z["ci_high"].iloc[0]),
            "inference": z["inference"].iloc[0] if len(z) else "",
        })  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=400)
    parser.add_argument("--cases", default="36")
    parser.add_argument("--families", default="ols,logit,poisson,ordered_logit")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "panel_size.csv")
    args = parser.parse_args(argv)
    tasks = [(f, args.seed + i, int(g)) for f in args.families.split(",") if f
             for g in args.cases.split(",") if g for i in range(args.datasets)]  # fmt: skip
    start = time.perf_counter()
    if args.workers > 1:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(args.workers) as pool:
            parts = pool.map(one, tasks, chunksize=4)
    else:
        parts = [one(t) for t in tasks]
    rows = pd.DataFrame([r for part in parts for r in part])
    out = []
    for (family, n_cases, est), part in rows.groupby(["family", "n_cases", "estimator"], sort=False):
        ok = part[part["ok"]]
        rate = float(ok["reject"].mean())
        cover = float(ok["cover"].mean())
        n = len(ok)
        out.append({
            "family": family, "n_cases": n_cases, "estimator": est, "datasets": n,
            "failed": int((~part["ok"]).sum()), "reject": rate, "mcse": float(np.sqrt(rate * (1 - rate) / n)),
            "coverage": cover, "inference": ok["inference"].mode().iloc[0] if n else "",
        })  # fmt: skip
    table = pd.DataFrame(out)
    print(table.round(4).to_string(index=False))
    print(f"{time.perf_counter() - start:.0f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
