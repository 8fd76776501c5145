"""Minimal detectable effects against the number of cases (issue 13, item 7).

Runs :func:`netinnov.models.power.model_power` (the engine of ``netinnov
power``) for G cases × T waves on a features template: 36 cases × T waves
with a continuous within-case predictor ``x`` (case component plus wave noise)
and a 0/1 role indicator ``role`` present in 40 % of the cases for all waves,
a binary outcome (40 % events) and a count outcome (mean 2). The models are
pooled with ``C(wave)`` and errors clustered by case, as the default config's.
Each G draws its cases from the template (``n_cases``). Prints the MDE table
and writes ``benchmarks/out/power_mde.csv``.

    .venv/bin/python benchmarks/bench_power.py --cases 14,36,100 --waves 3 --datasets 100

Seeded (``--seed``); one process (the fits are single-threaded).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def template(n_cases: int, n_waves: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    case = np.repeat(np.arange(n_cases), n_waves)
    wave = np.tile(np.arange(n_waves), n_cases)
    n = n_cases * n_waves
    x = (rng.normal(size=n_cases)[case] + rng.normal(size=n)) / np.sqrt(2.0)
    return pd.DataFrame({
        "case_id": [f"c{c:03d}" for c in case], "wave": [f"w{w + 1}" for w in wave], "x": x,
        "role": (rng.random(n_cases) < 0.4).astype(float)[case],
        "implemented": (rng.random(n) < 0.4).astype(float),
        "diffusion": rng.poisson(2.0, size=n).astype(float),
    })  # fmt: skip


MODELS = [
    {"name": "implemented_logit", "outcome": "implemented", "family": "logit",
     "predictors": ["x", "role"], "controls": ["C(wave)"], "predict": False},
    {"name": "diffusion_poisson", "outcome": "diffusion", "family": "poisson",
     "predictors": ["x", "role"], "controls": ["C(wave)"], "predict": False},
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from netinnov.models.power import PowerSettings, model_power, summarize_power

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="14,36,100", help="numbers of cases, comma-separated")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--datasets", type=int, default=100, help="datasets per effect size")
    parser.add_argument("--icc", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args(argv)
    features = template(36, args.waves, args.seed)
    tables, summaries = [], []
    for g in (int(c) for c in args.cases.split(",")):
        settings = PowerSettings(datasets=args.datasets, icc=args.icc, n_cases=g)
        for spec in MODELS:
            start = time.perf_counter()
            power = model_power(features, spec, settings, seed=args.seed)
            summary = summarize_power(power)
            summary["seconds"] = round(time.perf_counter() - start, 1)
            tables.append(power)
            summaries.append(summary)
            print(summary[["model", "term", "n_cases", "mde", "mde_scale", "reached", "seconds"]]
                  .to_string(index=False, header=False), flush=True)  # fmt: skip
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    pd.concat(tables).to_csv(out / "power_curves.csv", index=False)
    summary = pd.concat(summaries)
    summary.to_csv(out / "power_mde.csv", index=False)
    print()
    print(mde_table(summary))
    return 0


def mde_table(summary: pd.DataFrame) -> str:
    """The MDE per model term (rows) and number of cases (columns), as markdown."""
    wide = summary.set_index(["model", "term", "mde_scale", "effect_unit", "n_cases"])[
        "mde"
    ].unstack()
    return wide.round(2).fillna("not reached").to_markdown()


if __name__ == "__main__":
    sys.exit(main())
